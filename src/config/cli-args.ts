// Command-line flags and STRATUSDB_* environment variables → ServerOptions, and the --help text, all
// from the option table. DynamoDB Local's single-dash flags are accepted as aliases so scripts
// written for it run unchanged. Flags beat the environment.
import type { ServerOptions } from './options.js';
import { cliKeys, defaults, environmentName, ignoredFlags, optionTable, type Alias, type CliKey, type OptionSpec } from './option-table.js';

export type CliCommand =
  | { kind: 'serve'; options: ServerOptions }
  | { kind: 'triggers'; endpoint: string; json: boolean }
  | { kind: 'cost'; endpoint: string; json: boolean }
  | { kind: 'check'; data: string; json: boolean; inProcess: boolean }
  | { kind: 'migrate'; data: string }
  | { kind: 'work'; endpoint: string; work: WorkCommand }
  | { kind: 'region'; endpoint: string; region: string; outage: boolean; refuseRequests: boolean }
  | { kind: 'deploy'; endpoint: string; deploy: DeployCommand }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

const spec = (key: CliKey): OptionSpec<unknown> => optionTable[key] as OptionSpec<unknown>;

function optionLines(): string {
  const rows: [string, string][] = [];
  for (const key of cliKeys) {
    const option = spec(key);
    const placeholder = option.value.placeholder;
    const shown = option.shownDefault ?? (option.default === undefined ? '' : String(option.default));
    rows.push([`${option.flag}${placeholder === '' ? '' : ` ${placeholder}`}`, `${option.help}${shown === '' ? '' : ` (default ${shown})`}`]);
    for (const alias of option.aliases ?? []) {
      if (!alias.flag.startsWith('--')) continue;
      rows.push([alias.flag, 'sets' in alias ? `same as ${option.flag} ${String(alias.sets)}` : `same as ${option.flag}`]);
    }
  }
  rows.push(['--help, --version', '']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`.trimEnd()).join('\n');
}

function localAliases(): string {
  const names: string[] = [];
  for (const key of cliKeys) {
    for (const alias of spec(key).aliases ?? []) {
      if (alias.flag.startsWith('--')) continue;
      const placeholder = 'placeholder' in alias ? ` ${alias.placeholder}` : !('sets' in alias) && spec(key).value.placeholder !== '' ? ` ${spec(key).value.placeholder}` : '';
      names.push(`${alias.flag}${placeholder}`);
    }
  }
  return [...names, ...ignoredFlags, '-help'].join(', ');
}

export const helpText = `Usage: stratusdb [options]
       stratusdb triggers [--endpoint URL] [--json]
       stratusdb cost [--endpoint URL] [--json]
       stratusdb check [--data URL] [--json]
       stratusdb migrate [--data postgres://…]
       stratusdb backup --table NAME [--name BACKUP]
       stratusdb restore --target NAME (--backup-arn ARN | --table SOURCE [--time ISO])
       stratusdb export --table NAME --bucket BUCKET [--prefix P] [--format DYNAMODB_JSON|ION] [--time ISO | --from ISO [--to ISO]]
       stratusdb region outage REGION [--refuse-requests] | stratusdb region heal REGION
       stratusdb deploy FILE [--plan] [--prune] [--parameter NAME=VALUE]… [--stack-name NAME] [--region REGION] [--stage STAGE]
       stratusdb import --bucket BUCKET [--prefix P] [--format DYNAMODB_JSON|ION|CSV] [--compression NONE|GZIP|ZSTD]
                        (--table NAME --key ATTR:TYPE[,ATTR:TYPE] | --table-creation-parameters JSON)

Serves the DynamoDB API and the DynamoDB Streams API on one HTTP endpoint, and runs the stream
triggers of the project file. \`stratusdb triggers\` lists a running server's triggers with their
state and iterator age (default endpoint http://127.0.0.1:8000). \`stratusdb check\` verifies a stopped
server's store: every item readable and under its own key, statistics and indexes matching the items.
\`stratusdb migrate\` brings a PostgreSQL database's schema to this version and exits (a node does it
at start too). \`backup\`, \`restore\`, \`export\` and \`import\` ask a running server (--endpoint URL,
default http://127.0.0.1:8000) for that work through its DynamoDB API and draw its progress until it
is done; they exit 0 when it succeeded. \`region outage\` cuts a running server's replication links to
and from a region (global tables) — with --refuse-requests the region also answers every request with
HTTP 503 — and \`region heal\` restores them. \`stratusdb cost\` shows what a running server's tables
would cost on DynamoDB so far and a month ahead, at its list prices (or --prices). \`stratusdb deploy\`
applies a CloudFormation / SAM template, a CDK output directory or a serverless.yml to a running server:
its tables, and its stream-triggered functions as triggers (--plan prints the changes and makes none;
--prune deletes the tables the file no longer declares).

Options:
${optionLines()}

DynamoDB Local aliases: ${localAliases()}

Environment: each option also reads STRATUSDB_ and its name in capitals, e.g. ${environmentName('--port')}, ${environmentName('--gsi-propagation-delay-ms')};
  switches take true or false. Flags beat the environment.
`;

/** `stratusdb backup|restore|export|import`: long work asked of a running server, its progress drawn. */
export type WorkCommand =
  | { readonly verb: 'backup'; readonly table: string; readonly name: string | undefined }
  | { readonly verb: 'restore'; readonly target: string; readonly backupArn: string | undefined; readonly source: string | undefined; readonly time: string | undefined }
  | {
    readonly verb: 'export'; readonly table: string; readonly bucket: string; readonly prefix: string | undefined; readonly format: string | undefined;
    readonly time: string | undefined; readonly from: string | undefined; readonly to: string | undefined;
  }
  | {
    readonly verb: 'import'; readonly bucket: string; readonly prefix: string | undefined; readonly format: string; readonly compression: string | undefined;
    readonly table: string | undefined; readonly key: string | undefined; readonly parameters: string | undefined;
  };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Every flag and alias: the option it sets, and how. */
const byFlag = new Map<string, { key: CliKey; alias: Alias<unknown> | undefined }>();
for (const key of cliKeys) {
  byFlag.set(spec(key).flag, { key, alias: undefined });
  for (const alias of spec(key).aliases ?? []) byFlag.set(alias.flag, { key, alias });
}

class UsageError extends Error {}

function read(option: OptionSpec<unknown>, name: string, text: string): unknown {
  const value = option.value.read(text);
  if (typeof value === 'object' && value !== null && 'error' in value) {
    // Choices say what they accept whole; the others continue "<name> needs …".
    throw new UsageError(`${name} ${(value as { error: string }).error}`);
  }
  return value;
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  if (argv[0] === 'triggers' || argv[0] === 'cost') return parseReportCommand(argv[0], argv.slice(1), env);
  if (argv[0] === 'check') return parseCheckCommand(argv.slice(1), env);
  if (argv[0] === 'migrate') return parseMigrateCommand(argv.slice(1), env);
  if (argv[0] === 'region') return parseRegionCommand(argv.slice(1), env);
  if (argv[0] === 'deploy') return parseDeployCommand(argv.slice(1), env);
  if (argv[0] === 'backup' || argv[0] === 'restore' || argv[0] === 'export' || argv[0] === 'import') return parseWorkCommand(argv[0], argv.slice(1), env);
  const options: Mutable<Record<string, unknown>> = {};
  try {
    for (const key of cliKeys) {
      const name = environmentName(spec(key).flag);
      const text = env[name];
      if (text !== undefined) options[key] = read(spec(key), name, text);
    }
    const given = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i] as string;
      if (flag === '--help' || flag === '-h' || flag === '-help') return { kind: 'help' };
      if (flag === '--version' || flag === '-v' || flag === '-version') return { kind: 'version' };
      if (ignoredFlags.includes(flag)) continue;
      const found = byFlag.get(flag);
      if (found === undefined) return { kind: 'error', message: `unknown option ${flag} (see --help)` };
      const option = spec(found.key);
      const alias = found.alias;
      if (alias !== undefined && 'sets' in alias) {
        options[found.key] = alias.sets;
        continue;
      }
      if (option.value.placeholder === '') {
        options[found.key] = true;
        continue;
      }
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      const value = alias !== undefined && 'maps' in alias ? alias.maps(next) : read(option, flag, next);
      const earlier = options[found.key];
      // A repeatable list flag adds to what the flag (not the environment) gave before.
      options[found.key] = option.repeatable === true && Array.isArray(earlier) && Array.isArray(value) && given.has(found.key) ? [...(earlier as unknown[]), ...(value as unknown[])] : value;
      given.add(found.key);
    }
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    throw error;
  }
  return { kind: 'serve', options: options as ServerOptions };
}

/** A subcommand's flags: those that take a value get it, the others none. */
type SubcommandFlags = Readonly<Record<string, { readonly takes: 'value'; set(value: string): void } | { readonly takes: 'nothing'; set(): void }>>;

/** Reads a subcommand's flags; answers help or a usage error, or undefined when every flag was read. */
function readSubcommandFlags(command: string, argv: readonly string[], flags: SubcommandFlags): CliCommand | undefined {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    const known = Object.hasOwn(flags, flag) ? flags[flag] : undefined;
    if (known === undefined) return { kind: 'error', message: `unknown option ${flag} for ${command} (see --help)` };
    if (known.takes === 'nothing') {
      known.set();
      continue;
    }
    const next = argv[++i];
    if (next === undefined) return { kind: 'error', message: `${flag} needs a value` };
    known.set(next);
  }
  return undefined;
}

/** The endpoint a subcommand talks to unless --endpoint says otherwise. */
function defaultEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  return `http://127.0.0.1:${env[environmentName(optionTable.port.flag)] ?? defaults.port}`;
}

/** The flags each long-work command takes (each takes a value). */
const workFlags = {
  backup: ['--table', '--name'],
  restore: ['--target', '--backup-arn', '--table', '--time'],
  export: ['--table', '--bucket', '--prefix', '--format', '--time', '--from', '--to'],
  import: ['--bucket', '--prefix', '--format', '--compression', '--table', '--key', '--table-creation-parameters'],
} as const;

function parseWorkCommand(verb: keyof typeof workFlags, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let endpoint = defaultEndpoint(env);
  const given = new Map<string, string>();
  const flags: Record<string, { takes: 'value'; set(value: string): void }> = {
    '--endpoint': { takes: 'value', set: (value) => (endpoint = value.replace(/\/+$/, '')) },
    '--endpoint-url': { takes: 'value', set: (value) => (endpoint = value.replace(/\/+$/, '')) },
  };
  for (const flag of workFlags[verb]) flags[flag] = { takes: 'value', set: (value) => given.set(flag, value) };
  const refused = readSubcommandFlags(verb, argv, flags);
  if (refused !== undefined) return refused;
  const missing = (flag: string): CliCommand => ({ kind: 'error', message: `${verb} needs ${flag}` });
  const get = (flag: string): string | undefined => given.get(flag);
  switch (verb) {
    case 'backup': {
      const table = get('--table');
      return table === undefined ? missing('--table') : { kind: 'work', endpoint, work: { verb, table, name: get('--name') } };
    }
    case 'restore': {
      const target = get('--target');
      if (target === undefined) return missing('--target');
      if ((get('--backup-arn') === undefined) === (get('--table') === undefined)) return { kind: 'error', message: 'restore needs either --backup-arn or --table' };
      return { kind: 'work', endpoint, work: { verb, target, backupArn: get('--backup-arn'), source: get('--table'), time: get('--time') } };
    }
    case 'export': {
      const table = get('--table');
      const bucket = get('--bucket');
      if (table === undefined) return missing('--table');
      if (bucket === undefined) return missing('--bucket');
      return { kind: 'work', endpoint, work: { verb, table, bucket, prefix: get('--prefix'), format: get('--format'), time: get('--time'), from: get('--from'), to: get('--to') } };
    }
    case 'import': {
      const bucket = get('--bucket');
      if (bucket === undefined) return missing('--bucket');
      if (get('--table-creation-parameters') === undefined && (get('--table') === undefined || get('--key') === undefined)) {
        return { kind: 'error', message: 'import needs --table and --key, or --table-creation-parameters' };
      }
      return {
        kind: 'work', endpoint,
        work: { verb, bucket, prefix: get('--prefix'), format: get('--format') ?? 'DYNAMODB_JSON', compression: get('--compression'), table: get('--table'), key: get('--key'), parameters: get('--table-creation-parameters') },
      };
    }
  }
}

/** `stratusdb deploy FILE`: what to apply, and how. */
export interface DeployCommand {
  readonly file: string;
  readonly plan: boolean;
  readonly prune: boolean;
  readonly parameters: ReadonlyMap<string, string>;
  readonly stackName: string | undefined;
  readonly region: string | undefined;
  readonly stage: string | undefined;
}

function parseDeployCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let endpoint = defaultEndpoint(env);
  const file = argv[0];
  if (file === undefined || file.startsWith('-')) return file === '--help' || file === '-h' ? { kind: 'help' } : { kind: 'error', message: 'deploy: expected `deploy FILE` (a template, a cdk.out directory or a serverless.yml; see --help)' };
  let plan = false;
  let prune = false;
  let stackName: string | undefined;
  let region: string | undefined;
  let stage: string | undefined;
  const parameters = new Map<string, string>();
  let bad: string | undefined;
  const setEndpoint = { takes: 'value', set: (value: string) => (endpoint = value.replace(/\/+$/, '')) } as const;
  const refused = readSubcommandFlags('deploy', argv.slice(1), {
    '--endpoint': setEndpoint, '--endpoint-url': setEndpoint,
    '--plan': { takes: 'nothing', set: () => (plan = true) },
    '--prune': { takes: 'nothing', set: () => (prune = true) },
    '--stack-name': { takes: 'value', set: (value) => (stackName = value) },
    '--region': { takes: 'value', set: (value) => (region = value) },
    '--stage': { takes: 'value', set: (value) => (stage = value) },
    '--parameter': {
      takes: 'value',
      set: (value) => {
        const eq = value.indexOf('=');
        if (eq <= 0) bad = `--parameter needs NAME=VALUE (got '${value}')`;
        else parameters.set(value.slice(0, eq), value.slice(eq + 1));
      },
    },
  });
  if (refused !== undefined) return refused;
  if (bad !== undefined) return { kind: 'error', message: bad };
  return { kind: 'deploy', endpoint, deploy: { file, plan, prune, parameters, stackName, region, stage } };
}

/** `triggers` and `cost`: a running server's report, as a table or (--json) as it came. */
function parseReportCommand(kind: 'triggers' | 'cost', argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let endpoint = defaultEndpoint(env);
  let json = false;
  const setEndpoint = { takes: 'value', set: (value: string) => (endpoint = value.replace(/\/+$/, '')) } as const;
  const refused = readSubcommandFlags(kind, argv, { '--endpoint': setEndpoint, '--endpoint-url': setEndpoint, '--json': { takes: 'nothing', set: () => (json = true) } });
  return refused ?? { kind, endpoint, json };
}

function parseRegionCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const [action, region, ...rest] = argv;
  if ((action !== 'outage' && action !== 'heal') || region === undefined || region.startsWith('-')) {
    return { kind: 'error', message: 'region: expected `region outage REGION [--refuse-requests]` or `region heal REGION` (see --help)' };
  }
  let endpoint = defaultEndpoint(env);
  let refuseRequests = false;
  const setEndpoint = { takes: 'value', set: (value: string) => (endpoint = value.replace(/\/+$/, '')) } as const;
  const flags = {
    '--endpoint': setEndpoint, '--endpoint-url': setEndpoint,
    ...(action === 'outage' ? { '--refuse-requests': { takes: 'nothing', set: () => (refuseRequests = true) } as const } : {}),
  };
  const refused = readSubcommandFlags('region', rest, flags);
  return refused ?? { kind: 'region', endpoint, region, outage: action === 'outage', refuseRequests };
}

function parseMigrateCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let data = env[environmentName(optionTable.data.flag)] ?? defaults.data;
  const refused = readSubcommandFlags('migrate', argv, { '--data': { takes: 'value', set: (value) => (data = value) } });
  return refused ?? { kind: 'migrate', data };
}

function parseCheckCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let data = env[environmentName(optionTable.data.flag)] ?? defaults.data;
  let json = false;
  let inProcess = false;
  const refused = readSubcommandFlags('check', argv, {
    '--data': { takes: 'value', set: (value) => (data = value) },
    '-dbPath': { takes: 'value', set: (value) => (data = `lmdb://${value}`) },
    '--json': { takes: 'nothing', set: () => (json = true) },
    // The isolated child's own flag.
    '--in-process': { takes: 'nothing', set: () => (inProcess = true) },
  });
  return refused ?? { kind: 'check', data, json, inProcess };
}
