// The `triggers` section of the project file: Lambda event source mappings for table streams, with
// the names and defaults of Lambda's CreateEventSourceMapping (camelCased), checked field by field.
import { dirname, isAbsolute, resolve } from 'node:path';
import { compileFilters, type RecordFilter } from './event-filter.js';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** How the handler runs: a JS/TS module in a worker thread, a Runtime API program, or a webhook. */
export type HandlerSpec =
  | { readonly kind: 'module'; readonly file: string; readonly exportName: string }
  | { readonly kind: 'process'; readonly command: readonly string[]; readonly handler: string; readonly runtime: string; readonly cwd: string }
  | { readonly kind: 'webhook'; readonly url: string };

export type FailureDestination =
  | { readonly kind: 'table'; readonly arn: string; readonly region: string; readonly tableName: string }
  | { readonly kind: 'file'; readonly path: string };

export interface TriggerDefinition {
  readonly name: string;
  readonly table: string;
  /** The table's region (default us-east-1); also the handler's AWS_REGION. */
  readonly region: string;
  readonly handler: HandlerSpec;
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly startingPosition: StartingPosition;
  readonly filter?: RecordFilter;
  /** -1: until the records expire. */
  readonly maximumRetryAttempts: number;
  /** -1: until the records expire. */
  readonly maximumRecordAgeInSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly parallelizationFactor: number;
  readonly destinationOnFailure?: FailureDestination;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** A project file problem; the message names the field (`triggers[0].batchSize: …`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Lambda's limits for DynamoDB event source mappings (services-ddb-params) and functions.
const batchSizeMax = 10_000;
const batchingWindowSecondsMax = 300;
const retryAttemptsMax = 10_000;
const recordAgeSecondsMin = 60;
const recordAgeSecondsMax = 604_800;
const parallelizationFactorMax = 10;
/** Lambda's default function timeout, and its largest. */
const timeoutSecondsDefault = 3;
const timeoutSecondsMax = 900;
const defaultRegion = 'us-east-1';
/** Lambda allows five filters per mapping by default. */
const filtersMax = 5;
/** Lambda function names: letters, digits, hyphens, underscores, up to 64. */
const namePattern = /^[A-Za-z0-9_-]{1,64}$/;

const knownFields = new Set([
  'name', 'table', 'region', 'handler', 'runtime', 'bootstrap', 'enabled', 'batchSize', 'maximumBatchingWindowInSeconds',
  'startingPosition', 'filterCriteria', 'maximumRetryAttempts', 'maximumRecordAgeInSeconds', 'bisectBatchOnFunctionError',
  'functionResponseTypes', 'parallelizationFactor', 'destinationOnFailure', 'timeoutSeconds', 'environment',
  // Lambda's CodeSha256 of the handler's code: `stratusdb deploy` sets it, so that new code redeploys the trigger.
  'codeSha256',
]);

export interface TriggerPaths {
  /** Relative handler and destination paths are taken from here (the project file's directory). */
  readonly baseDir: string;
  /** The Python interpreter for `"runtime": "python3"`. */
  readonly python: string;
  /** The bundled Runtime API bootstrap for Python handlers. */
  readonly pythonBootstrap: string;
}

/** Checks the `triggers` value of a project file and fills in Lambda's defaults. */
export function parseTriggers(value: unknown, paths: TriggerPaths): TriggerDefinition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('triggers: must be a list');
  const out = value.map((entry: unknown, i) => parseTrigger(entry, `triggers[${i}]`, paths));
  const seen = new Set<string>();
  out.forEach((t, i) => {
    if (seen.has(t.name)) throw new ConfigError(`triggers[${i}].name: '${t.name}' is used by an earlier trigger`);
    seen.add(t.name);
  });
  return out;
}

/** One trigger's definition checked, its mistakes named from `at` (`triggers[0]`, or a deployed one's `Definition`). */
export function parseTrigger(entry: unknown, at: string, paths: TriggerPaths): TriggerDefinition {
  if (!isObject(entry)) throw new ConfigError(`${at}: must be an object`);
  for (const key of Object.keys(entry)) {
    if (!knownFields.has(key)) throw new ConfigError(`${at}.${key}: unknown field (known: ${[...knownFields].join(', ')})`);
  }
  const field = (name: string): unknown => entry[name];
  const name = requiredString(field('name'), `${at}.name`);
  if (!namePattern.test(name)) throw new ConfigError(`${at}.name: must be 1-64 letters, digits, hyphens or underscores (got '${name}')`);
  const startingPosition = requiredString(field('startingPosition'), `${at}.startingPosition`);
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') {
    throw new ConfigError(`${at}.startingPosition: must be TRIM_HORIZON or LATEST (got '${startingPosition}')`);
  }
  const responseTypes = optionalStringList(field('functionResponseTypes'), `${at}.functionResponseTypes`);
  for (const t of responseTypes) {
    if (t !== 'ReportBatchItemFailures') throw new ConfigError(`${at}.functionResponseTypes: the only value is ReportBatchItemFailures (got '${t}')`);
  }
  const maximumRecordAgeInSeconds = integer(field('maximumRecordAgeInSeconds'), `${at}.maximumRecordAgeInSeconds`, -1, recordAgeSecondsMax, -1);
  if (maximumRecordAgeInSeconds !== -1 && maximumRecordAgeInSeconds < recordAgeSecondsMin) {
    throw new ConfigError(`${at}.maximumRecordAgeInSeconds: must be -1 (forever) or from ${recordAgeSecondsMin} to ${recordAgeSecondsMax} (got ${maximumRecordAgeInSeconds})`);
  }
  const filter = parseFilterCriteria(field('filterCriteria'), `${at}.filterCriteria`);
  const destination = parseDestination(field('destinationOnFailure'), `${at}.destinationOnFailure`, paths.baseDir);
  return {
    name,
    table: requiredString(field('table'), `${at}.table`),
    region: field('region') === undefined ? defaultRegion : requiredString(field('region'), `${at}.region`),
    handler: parseHandler(entry, at, paths),
    enabled: boolean(field('enabled'), `${at}.enabled`, true),
    batchSize: integer(field('batchSize'), `${at}.batchSize`, 1, batchSizeMax, 100),
    maximumBatchingWindowInSeconds: integer(field('maximumBatchingWindowInSeconds'), `${at}.maximumBatchingWindowInSeconds`, 0, batchingWindowSecondsMax, 0),
    startingPosition,
    ...(filter === undefined ? {} : { filter }),
    maximumRetryAttempts: integer(field('maximumRetryAttempts'), `${at}.maximumRetryAttempts`, -1, retryAttemptsMax, -1),
    maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: boolean(field('bisectBatchOnFunctionError'), `${at}.bisectBatchOnFunctionError`, false),
    reportBatchItemFailures: responseTypes.length > 0,
    parallelizationFactor: integer(field('parallelizationFactor'), `${at}.parallelizationFactor`, 1, parallelizationFactorMax, 1),
    ...(destination === undefined ? {} : { destinationOnFailure: destination }),
    timeoutSeconds: integer(field('timeoutSeconds'), `${at}.timeoutSeconds`, 1, timeoutSecondsMax, timeoutSecondsDefault),
    environment: parseEnvironment(field('environment'), `${at}.environment`),
  };
}

function parseHandler(entry: Record<string, unknown>, at: string, paths: TriggerPaths): HandlerSpec {
  const handler = requiredString(entry['handler'], `${at}.handler`);
  const runtime = entry['runtime'] === undefined ? undefined : requiredString(entry['runtime'], `${at}.runtime`);
  const bootstrap = entry['bootstrap'];
  if (/^https?:\/\//.test(handler)) {
    if (runtime !== undefined) throw new ConfigError(`${at}.runtime: a webhook handler (an http:// URL) takes no runtime`);
    try {
      return { kind: 'webhook', url: new URL(handler).href };
    } catch {
      throw new ConfigError(`${at}.handler: '${handler}' is not a valid URL`);
    }
  }
  if (runtime === undefined || runtime.startsWith('nodejs')) {
    if (bootstrap !== undefined) throw new ConfigError(`${at}.bootstrap: only a "provided" runtime takes a bootstrap`);
    const [file, exportName] = splitHandler(handler, `${at}.handler`, 'handler');
    if (!/\.(m|c)?(j|t)s$/.test(file)) throw new ConfigError(`${at}.handler: a JavaScript/TypeScript handler is "path/to/file.ts#export" (got '${handler}'); set runtime for other languages`);
    return { kind: 'module', file: resolve(paths.baseDir, file), exportName };
  }
  if (runtime.startsWith('python3')) {
    if (bootstrap !== undefined) throw new ConfigError(`${at}.bootstrap: only a "provided" runtime takes a bootstrap`);
    const [file, fn] = splitHandler(handler, `${at}.handler`, 'handler');
    if (!file.endsWith('.py')) throw new ConfigError(`${at}.handler: a Python handler is "path/to/module.py#function" (got '${handler}')`);
    const module = resolve(paths.baseDir, file);
    return { kind: 'process', runtime, command: [paths.python, '-u', paths.pythonBootstrap], handler: `${module}#${fn}`, cwd: dirname(module) };
  }
  if (runtime.startsWith('provided')) {
    const command = typeof bootstrap === 'string' ? [bootstrap] : optionalStringList(bootstrap, `${at}.bootstrap`);
    if (command.length === 0) throw new ConfigError(`${at}.bootstrap: a "provided" runtime needs the program that speaks the Lambda Runtime API`);
    const program = command[0] as string;
    const resolved = program.includes('/') && !isAbsolute(program) ? resolve(paths.baseDir, program) : program;
    return { kind: 'process', runtime, command: [resolved, ...command.slice(1)], handler, cwd: paths.baseDir };
  }
  throw new ConfigError(`${at}.runtime: must be nodejs, python3 or provided (got '${runtime}')`);
}

function splitHandler(text: string, at: string, defaultExport: string): [string, string] {
  const hash = text.lastIndexOf('#');
  if (hash === -1) return [text, defaultExport];
  const file = text.slice(0, hash);
  const name = text.slice(hash + 1);
  if (file === '' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new ConfigError(`${at}: must be "path#name" with a valid name (got '${text}')`);
  return [file, name];
}

function parseFilterCriteria(value: unknown, at: string): RecordFilter | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ConfigError(`${at}: must be an object with a filters list`);
  const filters = value['filters'] ?? value['Filters'];
  if (!Array.isArray(filters)) throw new ConfigError(`${at}.filters: must be a list of { pattern }`);
  if (filters.length > filtersMax) throw new ConfigError(`${at}.filters: at most ${filtersMax} filters (got ${filters.length})`);
  const patterns = filters.map((f: unknown, i) => {
    const where = `${at}.filters[${i}].pattern`;
    if (!isObject(f)) throw new ConfigError(`${at}.filters[${i}]: must be an object with a pattern`);
    const pattern = f['pattern'] ?? f['Pattern'];
    if (typeof pattern === 'string') {
      try {
        return { where, pattern: JSON.parse(pattern) as unknown };
      } catch {
        throw new ConfigError(`${where}: is not valid JSON`);
      }
    }
    return { where, pattern };
  });
  try {
    return compileFilters(patterns);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function parseDestination(value: unknown, at: string, baseDir: string): FailureDestination | undefined {
  if (value === undefined) return undefined;
  const text = requiredString(value, at);
  const arn = /^arn:aws:dynamodb:([a-z0-9-]+):\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/.exec(text);
  if (arn !== null) return { kind: 'table', arn: text, region: arn[1] as string, tableName: arn[2] as string };
  if (text.startsWith('arn:')) throw new ConfigError(`${at}: an ARN must be a DynamoDB table's (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME), got '${text}'`);
  return { kind: 'file', path: resolve(baseDir, text.startsWith('file:') ? text.slice('file:'.length) : text) };
}

function parseEnvironment(value: unknown, at: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ConfigError(`${at}: must be an object of names to strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) throw new ConfigError(`${at}.${k}: not a valid environment variable name`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new ConfigError(`${at}.${k}: must be a string`);
    out[k] = String(v);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(value: unknown, at: string): string {
  if (value === undefined) throw new ConfigError(`${at}: is required`);
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${at}: must be a non-empty string`);
  return value;
}

function optionalStringList(value: unknown, at: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw new ConfigError(`${at}: must be a list of strings`);
  return value;
}

function integer(value: unknown, at: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${at}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function boolean(value: unknown, at: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${at}: must be true or false (got ${JSON.stringify(value)})`);
  return value;
}
