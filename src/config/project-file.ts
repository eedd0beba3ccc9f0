// The project file (stratusdb.config.json, or YAML): what a project declares beside its code — today
// its stream triggers and the IAM users it signs as. Read once at start; any problem is a ConfigError naming the file and field.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pythonBootstrapPath } from '../triggers/python-bootstrap.js';
import { ConfigError, parseTriggers, type TriggerDefinition } from '../triggers/trigger-config.js';
import { parseIdentities, type DeclaredIdentities } from './project-identities.js';

export interface ProjectFile {
  readonly path: string;
  readonly triggers: TriggerDefinition[];
  /** Users declared for local setups (the `iam` section), made when the server starts. */
  readonly identities: DeclaredIdentities;
}

/** The names looked for in the working directory when no --config is given. */
export const projectFileNames = ['stratusdb.config.json', 'stratusdb.config.yaml', 'stratusdb.config.yml'];

const knownSections = new Set(['triggers', 'iam', '$schema']);

/** The project file in `dir`, if there is one. */
export function findProjectFile(dir: string): string | undefined {
  return projectFileNames.map((name) => resolve(dir, name)).find((path) => existsSync(path));
}

export function readProjectFile(path: string, python = 'python3'): ProjectFile {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(full) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid ${/\.ya?ml$/i.test(full) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${path}: must be an object with a triggers list`);
  const sections = value as Record<string, unknown>;
  for (const key of Object.keys(sections)) {
    if (!knownSections.has(key)) throw new ConfigError(`${path}: ${key}: unknown section (known: triggers, iam)`);
  }
  try {
    const triggers = parseTriggers(sections['triggers'], { baseDir: dirname(full), python, pythonBootstrap: pythonBootstrapPath });
    return { path: full, triggers, identities: parseIdentities(sections['iam']) };
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}
