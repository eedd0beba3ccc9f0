// What `stratusdb deploy FILE` reads: a CloudFormation or SAM template (YAML or JSON), a CDK output
// directory (cdk.out: each `<Stack>.template.json` a stack), a directory holding one of those, or a
// Serverless Framework service (serverless.yml). Each becomes a template with its stack's name and
// region, read further (stack-template.ts) once the server's record of the stack is known.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DeployError } from './deploy-error.js';
import { isServerlessService, readServerless } from './serverless-file.js';
import { parseTemplateText } from './template-text.js';

export interface DeploySettings {
  /** FILE as given. */
  readonly file: string;
  readonly stackName?: string;
  /** --region, else the environment's AWS_REGION / AWS_DEFAULT_REGION. */
  readonly region?: string;
  readonly stage?: string;
  /** --parameter NAME=VALUE: a template's Parameters, a serverless.yml's `${opt:NAME}`. */
  readonly parameters: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly accountId: string;
}

/** One stack's template, ready to be read against the server's record of it. */
export interface LoadedTemplate {
  readonly template: unknown;
  /** The file it was read from (as shown in messages). */
  readonly file: string;
  readonly baseDir: string;
  readonly stackName: string;
  readonly region: string;
  /** Parameters for the template (a serverless.yml's are its variables, already resolved). */
  readonly parameters: ReadonlyMap<string, string>;
}

const stackNamePattern = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const defaultFiles = ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml'];

function checkStackName(name: string, file: string): string {
  if (!stackNamePattern.test(name)) throw new DeployError(`${file}: '${name}' is not a valid stack name (a letter, then letters, digits and hyphens, up to 128): give one with --stack-name`);
  return name;
}

function readText(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DeployError(`${shown}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export function loadTemplates(settings: DeploySettings): LoadedTemplate[] {
  const path = resolve(settings.file);
  if (!existsSync(path)) throw new DeployError(`${settings.file}: no such file or directory`);
  const region = settings.region ?? settings.env['AWS_REGION'] ?? settings.env['AWS_DEFAULT_REGION'];
  if (statSync(path).isDirectory()) {
    const cdk = readdirSync(path).filter((f) => f.endsWith('.template.json')).sort();
    if (cdk.length > 0) {
      if (settings.stackName !== undefined && cdk.length > 1) throw new DeployError(`${settings.file}: --stack-name names one stack, and the directory holds ${cdk.length} (${cdk.join(', ')})`);
      return cdk.map((f) => {
        const shown = join(settings.file, f);
        return {
          template: parseTemplateText(readText(join(path, f), shown), shown), file: shown, baseDir: path,
          stackName: checkStackName(settings.stackName ?? f.slice(0, -'.template.json'.length), shown), region: region ?? 'us-east-1', parameters: settings.parameters,
        };
      });
    }
    const found = defaultFiles.find((f) => existsSync(join(path, f)));
    if (found === undefined) throw new DeployError(`${settings.file}: holds no *.template.json (CDK output), ${defaultFiles.join(', ')}`);
    return loadTemplates({ ...settings, file: join(settings.file, found) });
  }
  const value = parseTemplateText(readText(path, settings.file), settings.file);
  if (isServerlessService(value)) {
    const options = new Map(settings.parameters);
    if (settings.stage !== undefined) options.set('stage', settings.stage);
    if (settings.region !== undefined) options.set('region', settings.region);
    const service = readServerless(value, { file: settings.file, options, env: settings.env, accountId: settings.accountId, defaultRegion: region ?? 'us-east-1' });
    return [{ template: service.template, file: settings.file, baseDir: dirname(path), stackName: checkStackName(settings.stackName ?? service.stackName, settings.file), region: service.region, parameters: new Map() }];
  }
  if (settings.stage !== undefined) throw new DeployError(`${settings.file}: --stage is a Serverless Framework option; a template takes --parameter`);
  const base = basename(path).replace(/\.(template\.)?(ya?ml|json)$/i, '');
  return [{ template: value, file: settings.file, baseDir: dirname(path), stackName: checkStackName(settings.stackName ?? base, settings.file), region: region ?? 'us-east-1', parameters: settings.parameters }];
}
