// The stream-triggered functions of a template as StratusDB triggers: SAM's AWS::Serverless::Function
// with DynamoDB events, and AWS::Lambda::Function (code inline, or a CDK asset directory) with the
// AWS::Lambda::EventSourceMapping resources that name it. Each mapping of a table's stream becomes a
// trigger running the function's handler from its code directory (Node.js and Python runtimes),
// with the mapping's batch size, starting position, filters, retries and on-failure destination.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { DesiredTrigger, Json, Skipped } from './desired-state.js';
import type { Where } from './deploy-error.js';
import type { Properties } from './property-reader.js';

/** A function a template declares, ready to run (its handler found on disk). */
export interface FunctionSpec {
  readonly where: Where;
  readonly name: string;
  readonly runtime: string;
  /** `/abs/path/file.mjs#export` or `/abs/path/module.py#function`. */
  readonly handler: string;
  readonly timeoutSeconds?: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Lambda's CodeSha256: of the code directory's files (new code redeploys the trigger). */
  readonly codeSha256: string;
}

/** Files hashed at most: a code directory is a function's source, not a whole repository. */
const hashedFilesMax = 2000;

/** The SHA-256 of a code directory's files (names and contents, node_modules and dot-entries left out), in base64 as Lambda writes it. */
export function codeSha256(dir: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      if (name.startsWith('.') || name === 'node_modules' || name === '__pycache__' || files.length >= hashedFilesMax) continue;
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  for (const file of files) hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('base64');
}

/** One stream mapping: the function it runs and the mapping's settings (Lambda's names). */
export interface StreamMapping {
  readonly where: Where;
  /** Where in the resource the mapping is declared (an event's path), for names and messages. */
  readonly id: string;
  readonly functionName: string;
  readonly settings: Properties;
  /** The property holding the stream's ARN (SAM: Stream, EventSourceMapping: EventSourceArn). */
  readonly arnProperty: string;
}

const nodeExtensions = ['.mjs', '.js', '.cjs', '.ts', '.mts'];

/** What the function's runtime is, or why it is not run here. */
function runtimeKind(runtime: string): 'node' | 'python' | undefined {
  if (runtime.startsWith('nodejs')) return 'node';
  if (runtime.startsWith('python3')) return 'python';
  return undefined;
}

/**
 * The handler's file and export: Lambda's `path/module.export` in `codeDir`, the module's file found
 * with the runtime's extensions. Undefined with the reason when there is no such file.
 */
export function handlerPath(codeDir: string, handler: string, runtime: 'node' | 'python'): { readonly path: string } | { readonly missing: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return { missing: `'${handler}' is not "module.function"` };
  const module = handler.slice(0, dot);
  const name = handler.slice(dot + 1);
  const extensions = runtime === 'node' ? nodeExtensions : ['.py'];
  const base = resolve(codeDir, module);
  const found = extensions.map((ext) => base + ext).find((file) => existsSync(file));
  if (found === undefined) return { missing: `no ${extensions.map((ext) => `${module}${ext}`).join(', ')} in ${codeDir}` };
  return { path: `${found}#${name}` };
}

/** Inline code (ZipFile, InlineCode) written where the trigger can load it: Lambda names it index.js (CommonJS) or index.py. */
export function writeInlineCode(dir: string, code: string, kind: 'node' | 'python'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, kind === 'node' ? 'index.cjs' : 'index.py');
  writeFileSync(file, code);
  return dir;
}

export function environmentOf(p: Properties | undefined): Record<string, string> {
  const variables = p?.only(['Variables']).object('Variables');
  if (variables === undefined) return {};
  return Object.fromEntries(Object.keys(variables.entries()).map((k) => [k, variables.string(k) ?? '']));
}

/** A function's runtime and handler checked, or why it is skipped. */
export function functionSpec(
  where: Where, name: string, runtime: string | undefined, handler: string | undefined, codeDir: string | undefined, timeoutSeconds: number | undefined, environment: Record<string, string>,
): FunctionSpec | Skipped {
  if (runtime === undefined) return { where, property: 'Runtime', reason: 'no Runtime: container images are not run by StratusDB triggers' };
  const kind = runtimeKind(runtime);
  if (kind === undefined) return { where, property: 'Runtime', reason: `${runtime} is not run by StratusDB triggers (Node.js and Python are)` };
  if (handler === undefined) return { where, property: 'Handler', reason: 'no Handler' };
  if (codeDir === undefined) return { where, property: 'CodeUri', reason: 'the code is not on this machine (an S3 location): give a local directory' };
  const found = handlerPath(codeDir, handler, kind);
  if ('missing' in found) return { where, property: 'Handler', reason: found.missing };
  return { where, name, runtime, handler: found.path, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }), environment, codeSha256: codeSha256(codeDir) };
}

/** The table a DynamoDB stream's ARN names, or undefined when the ARN is not a DynamoDB stream's. */
export function streamTable(arn: string): { readonly table: string; readonly region: string } | undefined {
  const match = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\d{12}:table\/([A-Za-z0-9_.-]{3,255})\/stream\/.+$/.exec(arn);
  return match === null ? undefined : { region: match[1] as string, table: match[2] as string };
}

/** Settings a mapping may have that StratusDB's triggers do not apply (listed as skipped). */
const ignoredSettings = ['TumblingWindowInSeconds', 'KmsKeyArn', 'MetricsConfig', 'StartingPositionTimestamp', 'Tags'];

/** A trigger's name: the function's, or (when one function has several mappings) the function's and the mapping's, within Lambda's 64 characters. */
export function triggerName(functionName: string, mappingId: string, shared: boolean): string {
  const name = shared ? `${functionName}-${mappingId.replace(/[^A-Za-z0-9_-]/g, '')}` : functionName;
  return name.length <= 64 ? name : name.slice(0, 64);
}

/** The trigger a stream mapping makes, or why it is skipped. */
export function mappingTrigger(mapping: StreamMapping, fn: FunctionSpec, name: string): { trigger?: DesiredTrigger; skipped: Skipped[] } {
  const p = mapping.settings;
  const skipped: Skipped[] = [];
  const arn = p.string(mapping.arnProperty);
  if (arn === undefined) throw p.fail(mapping.arnProperty, 'is required');
  const source = streamTable(arn);
  if (source === undefined) return { skipped: [{ where: mapping.where, property: p.path(mapping.arnProperty), reason: `${arn} is not a DynamoDB stream: only table streams trigger functions here` }] };
  for (const key of ignoredSettings) if (p.has(key)) skipped.push({ where: mapping.where, property: p.path(key), reason: 'not applied by StratusDB triggers' });
  const startingPosition = p.string('StartingPosition');
  if (startingPosition === undefined) throw p.fail('StartingPosition', 'is required for a DynamoDB stream (TRIM_HORIZON or LATEST)');
  const filters = p.object('FilterCriteria')?.only(['Filters']).objects('Filters')?.map((f) => ({ pattern: f.only(['Pattern']).requiredString('Pattern') }));
  const onFailure = p.object('DestinationConfig')?.only(['OnFailure']).object('OnFailure')?.only(['Destination', 'Type']).string('Destination');
  let destination: string | undefined;
  if (onFailure !== undefined) {
    if (/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]+$/.test(onFailure)) destination = onFailure;
    else skipped.push({ where: mapping.where, property: p.path('DestinationConfig.OnFailure'), reason: `${onFailure}: SQS, SNS and S3 destinations are not served; failed batches are logged (a DynamoDB table's ARN is a destination here)` });
  }
  const responseTypes = p.strings('FunctionResponseTypes');
  const optional = (key: string, value: unknown): Json => (value === undefined ? {} : { [key]: value });
  const runtime = fn.runtime;
  const definition: Json = {
    name, table: source.table, region: source.region, handler: fn.handler, runtime,
    enabled: p.boolean('Enabled') ?? true, startingPosition,
    ...optional('batchSize', p.number('BatchSize')), ...optional('maximumBatchingWindowInSeconds', p.number('MaximumBatchingWindowInSeconds')),
    ...optional('maximumRetryAttempts', p.number('MaximumRetryAttempts')), ...optional('maximumRecordAgeInSeconds', p.number('MaximumRecordAgeInSeconds')),
    ...optional('bisectBatchOnFunctionError', p.boolean('BisectBatchOnFunctionError')), ...optional('parallelizationFactor', p.number('ParallelizationFactor')),
    ...optional('functionResponseTypes', responseTypes), ...optional('filterCriteria', filters === undefined ? undefined : { filters }),
    ...optional('destinationOnFailure', destination), ...optional('timeoutSeconds', fn.timeoutSeconds),
    ...(Object.keys(fn.environment).length === 0 ? {} : { environment: fn.environment }), codeSha256: fn.codeSha256,
  };
  return { trigger: { where: mapping.where, name, definition }, skipped };
}

