// A CloudFormation template (SAM's and the CDK's output included) read into what it asks of
// StratusDB: its parameters, conditions and mappings evaluated, its resources' names made as
// CloudFormation makes them (a name property, else `<stack>-<logical id>-<suffix>`, kept from the
// stack's last deployment), its tables and stream-triggered functions converted, and every other
// resource listed as skipped.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { refuse, type Where } from './deploy-error.js';
import { isObject, type DesiredStack, type DesiredTable, type DesiredTrigger, type Skipped } from './desired-state.js';
import { environmentOf, functionSpec, mappingTrigger, triggerName, writeInlineCode, type FunctionSpec, type StreamMapping } from './function-resources.js';
import { evaluate, type Scope } from './intrinsics.js';
import { Properties } from './property-reader.js';
import { readGlobalTable, readSimpleTable, readTable, type TableReading } from './table-resources.js';
import { conditionsOf, parameterValues, pseudoParameters } from './template-scope.js';

export interface StackOptions {
  /** The file as the user named it (messages), and the directory code paths are taken from. */
  readonly file: string;
  readonly baseDir: string;
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly parameters: ReadonlyMap<string, string>;
  /** The names the stack's last deployment gave its tables, by logical id. */
  readonly previousTables: Readonly<Record<string, string>>;
  /** Where inline function code is written for the triggers to load. */
  readonly workDir: string;
}

const tableTypes = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable']);
const functionTypes = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const transforms = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

interface Resource {
  readonly id: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** CloudFormation's generated name: the stack's, the logical id's, and a suffix (here derived from both, so it is the same each run). */
function generatedName(stack: string, id: string, max: number): string {
  const suffix = createHash('sha256').update(`${stack}/${id}`).digest('hex').slice(0, 12).toUpperCase();
  const head = `${stack}-${id}`.slice(0, max - suffix.length - 1);
  return `${head}-${suffix}`;
}

/** SAM's Globals.Function under a function's own properties (its Environment's variables merged). */
function withGlobals(own: Readonly<Record<string, unknown>>, globals: unknown): Record<string, unknown> {
  if (!isObject(globals)) return { ...own };
  const merged: Record<string, unknown> = { ...globals, ...own };
  const globalEnv = globals['Environment'];
  const ownEnv = own['Environment'];
  if (isObject(globalEnv) && isObject(ownEnv) && isObject(globalEnv['Variables']) && isObject(ownEnv['Variables'])) {
    merged['Environment'] = { ...ownEnv, Variables: { ...globalEnv['Variables'], ...ownEnv['Variables'] } };
  }
  return merged;
}

export function readStack(template: unknown, options: StackOptions): DesiredStack {
  const fileWhere: Where = { file: options.file };
  if (!isObject(template)) throw refuse(fileWhere, undefined, 'a template must be a map with Resources');
  const transform = template['Transform'];
  for (const t of transform === undefined ? [] : Array.isArray(transform) ? transform : [transform]) {
    if (typeof t !== 'string' || !transforms.has(t)) throw refuse(fileWhere, 'Transform', `${JSON.stringify(t)} is not served (AWS::Serverless-2016-10-31 and AWS::LanguageExtensions are)`);
  }
  const declared = template['Resources'];
  if (!isObject(declared) || Object.keys(declared).length === 0) throw refuse(fileWhere, 'Resources', 'a template needs at least one resource');
  const globals = isObject(template['Globals']) ? template['Globals'] : {};

  const parameters = pseudoParameters(options);
  for (const [k, v] of parameterValues(template['Parameters'], options.parameters, fileWhere)) parameters.set(k, v);
  const mapTables = isObject(template['Mappings']) ? template['Mappings'] : {};
  let scope: Scope | undefined;
  const condition = conditionsOf(template['Conditions'], () => scope as Scope, fileWhere);

  const resources = new Map<string, Resource>();
  for (const [id, value] of Object.entries(declared)) {
    if (!isObject(value) || typeof value['Type'] !== 'string') throw refuse({ file: options.file, logicalId: id }, 'Type', 'every resource needs a Type');
    const type = value['Type'];
    const own = isObject(value['Properties']) ? value['Properties'] : {};
    const properties = type === 'AWS::Serverless::Function' ? withGlobals(own, globals['Function']) : type === 'AWS::Serverless::SimpleTable' ? withGlobals(own, globals['SimpleTable']) : own;
    resources.set(id, { id, type, properties, metadata: isObject(value['Metadata']) ? value['Metadata'] : {} });
  }
  // Resources whose Condition is false are not made, and nothing may refer to them.
  const included = (id: string): boolean => {
    const c = (declared[id] as Record<string, unknown>)['Condition'];
    return c === undefined || condition(String(c));
  };

  const names = new Map<string, string>();
  const naming = new Set<string>();
  const nameOf = (id: string): string | undefined => {
    const resource = resources.get(id);
    if (resource === undefined || !included(id)) return undefined;
    const known = names.get(id);
    if (known !== undefined) return known;
    if (naming.has(id)) throw refuse({ file: options.file, logicalId: id, type: resource.type }, undefined, 'its name refers back to itself');
    naming.add(id);
    const where: Where = { file: options.file, logicalId: id, type: resource.type };
    const property = tableTypes.has(resource.type) ? 'TableName' : functionTypes.has(resource.type) ? 'FunctionName' : undefined;
    const given = property === undefined ? undefined : evaluate(resource.properties[property], scope as Scope, property);
    if (given !== undefined && typeof given !== 'string') throw refuse(where, property, 'must be a string');
    const name = given ?? (tableTypes.has(resource.type) ? options.previousTables[id] ?? generatedName(options.stackName, id, 255) : generatedName(options.stackName, id, 64));
    naming.delete(id);
    names.set(id, name);
    return name;
  };
  const arnOf = (resource: Resource, name: string): string => {
    if (tableTypes.has(resource.type)) return `arn:aws:dynamodb:${options.region}:${options.accountId}:table/${name}`;
    if (functionTypes.has(resource.type)) return `arn:aws:lambda:${options.region}:${options.accountId}:function:${name}`;
    const service = resource.type.split('::')[1]?.toLowerCase() ?? 'unknown';
    return `arn:aws:${service}:${options.region}:${options.accountId}:${name}`;
  };
  scope = {
    where: fileWhere, parameters, mappings: mapTables, condition, region: options.region,
    ref: nameOf,
    getAtt: (id, attribute) => {
      const resource = resources.get(id);
      const name = nameOf(id);
      if (resource === undefined || name === undefined) return undefined;
      if (attribute === 'Arn') return arnOf(resource, name);
      // The stream's label is known only once the table exists: its ARN with `*` for the label.
      if (tableTypes.has(resource.type)) return attribute === 'StreamArn' ? `${arnOf(resource, name)}/stream/*` : attribute === 'TableId' ? name : undefined;
      if (functionTypes.has(resource.type)) return undefined;
      return `${name}.${attribute}`;
    },
  };

  const tables: DesiredTable[] = [];
  const skipped: Skipped[] = [];
  const functions = new Map<string, FunctionSpec>();
  const mappings: StreamMapping[] = [];
  const unmapped = new Set<string>();
  for (const resource of resources.values()) {
    const where: Where = { file: options.file, logicalId: resource.id, type: resource.type };
    if (!included(resource.id)) continue;
    const name = nameOf(resource.id) as string;
    const served = tableTypes.has(resource.type) || functionTypes.has(resource.type) || resource.type === 'AWS::Lambda::EventSourceMapping';
    if (!served) {
      skipped.push({ where, reason: 'not served (deploy makes DynamoDB tables and their stream-triggered functions)' });
      continue;
    }
    const p = new Properties(where, evaluate(resource.properties, scope, '') as Record<string, unknown>);
    if (tableTypes.has(resource.type)) {
      const reading: TableReading = resource.type === 'AWS::DynamoDB::Table' ? readTable(p, name, options.region)
        : resource.type === 'AWS::DynamoDB::GlobalTable' ? readGlobalTable(p, name, options.region) : readSimpleTable(p, name, options.region);
      tables.push(reading.table);
      skipped.push(...reading.skipped);
      continue;
    }
    if (functionTypes.has(resource.type)) {
      const spec = resource.type === 'AWS::Serverless::Function' ? samFunction(p, name, options, resource) : lambdaFunction(p, name, options, resource);
      if ('reason' in spec) {
        skipped.push(spec);
        continue;
      }
      functions.set(name, spec);
      if (resource.type === 'AWS::Serverless::Function') {
        const events = p.object('Events');
        let streams = 0;
        for (const eventId of Object.keys(events?.entries() ?? {})) {
          const event = (events as Properties).object(eventId) as Properties;
          const type = event.string('Type');
          if (type !== 'DynamoDB') {
            skipped.push({ where, property: event.path('Type'), reason: `${type ?? 'an event without a Type'} events are not served (DynamoDB events are)` });
            continue;
          }
          const settings = event.object('Properties');
          if (settings === undefined) throw event.fail('Properties', 'is required');
          mappings.push({ where, id: eventId, functionName: name, settings, arnProperty: 'Stream' });
          streams++;
        }
        if (streams === 0) skipped.push({ where, reason: 'no DynamoDB event: nothing triggers it here' });
      } else unmapped.add(name);
      continue;
    }
    // AWS::Lambda::EventSourceMapping
    const target = p.requiredString('FunctionName');
    const functionName = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(target)?.[1] ?? target;
    mappings.push({ where, id: resource.id, functionName, settings: p, arnProperty: 'EventSourceArn' });
  }

  const perFunction = new Map<string, number>();
  for (const m of mappings) perFunction.set(m.functionName, (perFunction.get(m.functionName) ?? 0) + 1);
  const triggers: DesiredTrigger[] = [];
  for (const mapping of mappings) {
    const fn = functions.get(mapping.functionName);
    if (fn === undefined) {
      const skippedFunction = skipped.some((s) => s.where.logicalId !== undefined && nameOf(s.where.logicalId) === mapping.functionName);
      if (skippedFunction) {
        skipped.push({ where: mapping.where, reason: `its function ${mapping.functionName} is skipped` });
        continue;
      }
      throw refuse(mapping.where, 'FunctionName', `${mapping.functionName} is not a function of the template`);
    }
    unmapped.delete(mapping.functionName);
    const made = mappingTrigger(mapping, fn, triggerName(mapping.functionName, mapping.id, (perFunction.get(mapping.functionName) ?? 0) > 1));
    skipped.push(...made.skipped);
    if (made.trigger !== undefined) triggers.push(made.trigger);
  }
  for (const name of unmapped) {
    const fn = functions.get(name) as FunctionSpec;
    skipped.push({ where: fn.where, reason: 'no event source mapping of a DynamoDB stream names it: nothing triggers it here' });
  }
  const seen = new Map<string, DesiredTrigger>();
  for (const t of triggers) {
    const other = seen.get(t.name);
    if (other !== undefined) throw refuse(t.where, undefined, `its trigger's name ${t.name} is also ${other.where.logicalId ?? ''}'s`);
    seen.set(t.name, t);
  }
  return { name: options.stackName, region: options.region, source: options.file, tables, triggers, skipped };
}

/** AWS::Serverless::Function: code from CodeUri (a directory beside the template) or InlineCode. */
function samFunction(p: Properties, name: string, options: StackOptions, resource: Resource): FunctionSpec | Skipped {
  const runtime = p.string('Runtime');
  const inline = p.string('InlineCode');
  const codeUri = p.raw('CodeUri');
  const kind = runtime?.startsWith('python3') === true ? 'python' : 'node';
  const codeDir = inline !== undefined ? writeInlineCode(join(options.workDir, resource.id), inline, kind) : typeof codeUri === 'string' ? resolve(options.baseDir, codeUri) : codeUri === undefined ? options.baseDir : undefined;
  const handler = inline !== undefined && p.string('Handler') !== undefined ? `index.${(p.string('Handler') as string).split('.').pop() ?? 'handler'}` : p.string('Handler');
  return functionSpec(p.where, name, runtime, handler, codeDir, p.number('Timeout'), environmentOf(p.object('Environment')));
}

/**
 * AWS::Lambda::Function: code inline (Code.ZipFile), or the CDK's asset directory beside the template
 * (Metadata aws:asset:path, or `asset.<hash>` for the Code.S3Key `<hash>.zip` the CDK writes).
 */
function lambdaFunction(p: Properties, name: string, options: StackOptions, resource: Resource): FunctionSpec | Skipped {
  const runtime = p.string('Runtime');
  const code = p.object('Code');
  const zipFile = code?.string('ZipFile');
  const s3Key = /^([0-9a-f]{64})\.zip$/.exec(code?.string('S3Key') ?? '')?.[1];
  const assetDir = s3Key === undefined ? undefined : `asset.${s3Key}`;
  const asset = resource.metadata['aws:asset:path'] ?? (assetDir !== undefined && existsSync(join(options.baseDir, assetDir)) ? assetDir : undefined);
  const kind = runtime?.startsWith('python3') === true ? 'python' : 'node';
  const codeDir = zipFile !== undefined ? writeInlineCode(join(options.workDir, resource.id), zipFile, kind) : typeof asset === 'string' ? resolve(options.baseDir, asset) : undefined;
  const handler = p.string('Handler');
  const spec = functionSpec(p.where, name, runtime, handler, codeDir, p.number('Timeout'), environmentOf(p.object('Environment')));
  return 'reason' in spec && spec.property === 'CodeUri' ? { ...spec, property: 'Code', reason: 'the code is in S3: inline code (ZipFile) or a CDK asset directory (Metadata aws:asset:path) is run here' } : spec;
}

/** The directory inline code of a stack is written to, beside its file. */
export function workDirOf(file: string, stackName: string): string {
  return join(dirname(resolve(file)), '.stratusdb', 'deploy', stackName);
}
