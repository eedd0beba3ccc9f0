// The real Terraform binary with the AWS provider from a filesystem mirror (the image's
// /opt/tf-plugins, or STRATUSDB_TF_PLUGINS): why the Terraform tests are skipped when either is
// missing, and a working directory with a configuration, initialized, whose commands run against a
// server (its endpoint given as the `endpoint` variable).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { localOnly } from './server-process.js';
import { tempDir } from './temp-dirs.js';

const run = promisify(execFile);
const plugins = process.env['STRATUSDB_TF_PLUGINS'] ?? '/opt/tf-plugins';

/** Why the Terraform tests cannot run here, or false. */
export function terraformMissing(): string | false {
  if (localOnly.skip !== false) return localOnly.skip;
  // The storage-faults pass checks storage decisions; the provider's calls are the LMDB and PostgreSQL passes' (CI's time).
  if (process.env['STRATUSDB_STORAGE_FAULTS'] !== undefined) return 'STRATUSDB_STORAGE_FAULTS is set: the Terraform tests run in the LMDB and PostgreSQL passes';
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch {
    return 'Terraform is not installed: the Terraform tests are skipped';
  }
  if (!existsSync(join(plugins, 'registry.terraform.io/hashicorp/aws'))) return `no AWS provider in a filesystem mirror at ${plugins} (set STRATUSDB_TF_PLUGINS): the Terraform tests are skipped`;
  return false;
}

/**
 * The head of a configuration: the AWS provider with these services' endpoints at the `endpoint`
 * variable (and, with `alias`, a second provider of that alias in `region`).
 */
export function awsProviders(endpoints: readonly string[], second?: { readonly alias: string; readonly region: string }): string {
  const provider = (extra: string): string => `provider "aws" {
${extra}  access_key                  = "AKIDTERRAFORM"
  secret_key                  = "secret"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  endpoints {
${endpoints.map((e) => `    ${e.padEnd(22)} = var.endpoint`).join('\n')}
  }
}
`;
  return `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
variable "endpoint" { type = string }
${provider('  region                      = "us-east-1"\n')}${second === undefined ? '' : provider(`  alias                       = "${second.alias}"\n  region                      = "${second.region}"\n`)}`;
}

export interface TerraformProject {
  /** Runs `terraform ARGS` (with -var=endpoint=… for plan, apply and destroy); rejects on a non-zero exit, the output in the error. */
  run(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Replaces the configuration (main.tf). */
  configure(configuration: string): void;
}

/** A directory with `configuration` as main.tf, `terraform init` done, its commands against `endpoint`. */
export async function terraformProject(prefix: string, configuration: string, endpoint: () => string): Promise<TerraformProject> {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path    = "${plugins}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }\n}\n`);
  const project: TerraformProject = {
    run: (...args) => {
      const withEndpoint = ['plan', 'apply', 'destroy'].includes(args[0] as string) ? [...args, `-var=endpoint=${endpoint()}`] : args;
      return run('terraform', [...withEndpoint, '-input=false', '-no-color'], {
        cwd: dir, env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, timeout: 300_000,
      });
    },
    configure: (text) => writeFileSync(join(dir, 'main.tf'), text),
  };
  project.configure(configuration);
  await project.run('init');
  return project;
}
