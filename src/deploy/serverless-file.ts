// A Serverless Framework service (serverless.yml) as a CloudFormation template: its variables
// resolved as the framework resolves them — `${self:…}`, `${sls:stage}`, `${opt:stage}` and other
// `${opt:…}`, `${env:…}`, `${aws:region}` / `${aws:accountId}`, with fallbacks (`${opt:stage, 'dev'}`)
// and nesting — then `resources.Resources` (and its Conditions, Mappings, Outputs) as the template,
// and each function with `stream` events as a function whose DynamoDB events trigger it.
import { refuse, type Where } from './deploy-error.js';
import { isObject } from './desired-state.js';

export interface ServerlessOptions {
  readonly file: string;
  /** --stage, --region and --parameter values: what `${opt:…}` reads. */
  readonly options: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly accountId: string;
  /** The region when neither --region nor provider.region names one. */
  readonly defaultRegion: string;
}

export interface ServerlessService {
  readonly template: Record<string, unknown>;
  readonly stackName: string;
  readonly stage: string;
  readonly region: string;
}

/** Whether a parsed file is a Serverless Framework service rather than a CloudFormation template. */
export function isServerlessService(value: unknown): boolean {
  return isObject(value) && 'service' in value && ('provider' in value || 'functions' in value) && !('Resources' in value);
}

const variable = /\$\{([^${}]*)\}/;

/** Resolves the variables of a serverless.yml, innermost first, until none is left. */
class Variables {
  private readonly resolving = new Set<string>();

  constructor(private readonly root: Record<string, unknown>, private readonly o: ServerlessOptions, private readonly stage: () => string, private readonly region: () => string) {}

  resolve(value: unknown, at: string): unknown {
    if (typeof value === 'string') return this.resolveText(value, at);
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, `${at}[${i}]`));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, at === '' ? k : `${at}.${k}`)]));
    return value;
  }

  private resolveText(text: string, at: string): unknown {
    let current = text;
    for (let rounds = 0; rounds < 100; rounds++) {
      const match = variable.exec(current);
      if (match === null) return current;
      const value = this.lookup((match[1] as string).trim(), at);
      // A whole-string variable keeps its value's type (a number, a map); inside a string it is text.
      if (match[0] === current) {
        if (typeof value !== 'string') return value;
        current = value;
        continue;
      }
      if (typeof value === 'object' && value !== null) throw refuse({ file: this.o.file }, at, `${match[0]} is not a string and cannot be part of one`);
      current = current.replace(match[0], String(value));
    }
    throw refuse({ file: this.o.file }, at, `${text}: variables nest too deep`);
  }

  /** One variable's value: its sources tried in order (a fallback after each comma). */
  private lookup(expression: string, at: string): unknown {
    const choices = splitChoices(expression);
    for (const choice of choices) {
      const quoted = /^(['"])(.*)\1$/.exec(choice);
      if (quoted !== null) return quoted[2];
      if (/^-?\d+(\.\d+)?$/.test(choice)) return Number(choice);
      if (choice === 'true' || choice === 'false') return choice === 'true';
      const value = this.source(choice, at);
      if (value !== undefined && value !== null) return value;
    }
    throw refuse({ file: this.o.file }, at, `\${${expression}} has no value (give it, or a fallback: \${${choices[0] ?? ''}, 'default'})`);
  }

  private source(choice: string, at: string): unknown {
    const colon = choice.indexOf(':');
    const kind = colon === -1 ? 'self' : choice.slice(0, colon);
    const address = colon === -1 ? choice : choice.slice(colon + 1);
    switch (kind) {
      case 'self': {
        if (this.resolving.has(address)) throw refuse({ file: this.o.file }, at, `\${self:${address}} refers back to itself`);
        this.resolving.add(address);
        try {
          const found = address === '' ? this.root : address.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), this.root);
          return found === undefined ? undefined : this.resolve(found, address);
        } finally {
          this.resolving.delete(address);
        }
      }
      case 'opt':
        return this.o.options.get(address);
      case 'env':
        return this.o.env[address];
      case 'sls':
        if (address === 'stage') return this.stage();
        if (address === 'instanceId') return 'stratusdb';
        break;
      case 'aws':
        if (address === 'region') return this.region();
        if (address === 'accountId') return this.o.accountId;
        break;
      default:
        break;
    }
    throw refuse({ file: this.o.file }, at, `\${${choice}}: the ${kind}: variable source is not served (self, sls, opt, env and aws are)`);
  }
}

/** `opt:stage, 'dev'` → ['opt:stage', "'dev'"]: commas inside quotes kept. */
function splitChoices(expression: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of expression) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === '\'' || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ',') {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((c) => c !== '');
}

/** The framework's logical id of a function: its key with the first letter upper-cased, `-` as Dash and `_` as Underscore. */
function functionLogicalId(key: string): string {
  const normal = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normal.charAt(0).toUpperCase()}${normal.slice(1)}LambdaFunction`;
}

export function readServerless(value: unknown, o: ServerlessOptions): ServerlessService {
  const where: Where = { file: o.file };
  if (!isObject(value)) throw refuse(where, undefined, 'must be a map');
  let stage = '';
  let region = '';
  const vars = new Variables(value, o, () => stage, () => region);
  const provider = isObject(value['provider']) ? value['provider'] : {};
  stage = String(o.options.get('stage') ?? vars.resolve(provider['stage'], 'provider.stage') ?? 'dev');
  region = String(o.options.get('region') ?? vars.resolve(provider['region'], 'provider.region') ?? o.defaultRegion);
  const serviceValue = vars.resolve(value['service'], 'service');
  const service = isObject(serviceValue) ? serviceValue['name'] : serviceValue;
  if (typeof service !== 'string' || service === '') throw refuse(where, 'service', 'must name the service');
  const providerName = vars.resolve(provider['name'], 'provider.name');
  if (providerName !== undefined && providerName !== 'aws') throw refuse(where, 'provider.name', `${String(providerName)}: only the aws provider is served`);

  const resources = vars.resolve(value['resources'] ?? {}, 'resources');
  const section = (isObject(resources) ? resources : {}) as Record<string, unknown>;
  const template: Record<string, unknown> = {};
  for (const key of ['Conditions', 'Mappings', 'Outputs']) if (section[key] !== undefined) template[key] = section[key];
  const cfnResources: Record<string, unknown> = { ...(isObject(section['Resources']) ? section['Resources'] : {}) };

  const functions = vars.resolve(value['functions'] ?? {}, 'functions');
  if (!isObject(functions)) throw refuse(where, 'functions', 'must be a map of functions');
  const providerEnv = vars.resolve(provider['environment'] ?? {}, 'provider.environment');
  for (const [key, raw] of Object.entries(functions)) {
    if (!isObject(raw)) throw refuse(where, `functions.${key}`, 'must be a map');
    const events = Array.isArray(raw['events']) ? raw['events'] : [];
    const samEvents: Record<string, unknown> = {};
    events.forEach((event: unknown, i: number) => {
      const at = `functions.${key}.events[${i}]`;
      if (!isObject(event)) throw refuse(where, at, 'must be a map');
      const [type, spec] = Object.entries(event)[0] ?? [];
      const name = `Stream${i}`;
      if (type !== 'stream') {
        samEvents[`Event${i}`] = { Type: type ?? 'unknown', Properties: {} };
        return;
      }
      samEvents[name] = streamEvent(spec, at, where);
    });
    const environment = { ...(isObject(providerEnv) ? providerEnv : {}), ...(isObject(raw['environment']) ? raw['environment'] : {}) };
    cfnResources[functionLogicalId(key)] = {
      Type: 'AWS::Serverless::Function',
      Properties: {
        FunctionName: raw['name'] ?? `${service}-${stage}-${key}`, Handler: raw['handler'], Runtime: raw['runtime'] ?? vars.resolve(provider['runtime'], 'provider.runtime') ?? 'nodejs20.x',
        ...((raw['timeout'] ?? provider['timeout']) === undefined ? {} : { Timeout: raw['timeout'] ?? vars.resolve(provider['timeout'], 'provider.timeout') }),
        ...(Object.keys(environment).length === 0 ? {} : { Environment: { Variables: environment } }),
        Events: samEvents,
      },
    };
  }
  if (Object.keys(cfnResources).length === 0) throw refuse(where, 'resources.Resources', 'declares nothing to deploy');
  template['Resources'] = cfnResources;
  return { template, stackName: `${service}-${stage}`, stage, region };
}

/** A function's `stream` event as a SAM DynamoDB event (a Kinesis stream's as a Kinesis one, skipped later). */
function streamEvent(spec: unknown, at: string, where: Where): Record<string, unknown> {
  const s: Record<string, unknown> = typeof spec === 'string' ? { arn: spec } : isObject(spec) ? spec : {};
  if (s['arn'] === undefined) throw refuse(where, `${at}.stream.arn`, 'is required');
  const type = s['type'] ?? (typeof s['arn'] === 'string' && s['arn'].includes(':kinesis:') ? 'kinesis' : 'dynamodb');
  const destinations = isObject(s['destinations']) ? s['destinations'] : {};
  const onFailure = destinations['onFailure'];
  const failureArn = isObject(onFailure) ? onFailure['arn'] : onFailure;
  const patterns = Array.isArray(s['filterPatterns']) ? s['filterPatterns'] : undefined;
  const optional = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });
  return {
    Type: type === 'kinesis' ? 'Kinesis' : 'DynamoDB',
    Properties: {
      Stream: s['arn'], StartingPosition: s['startingPosition'] ?? 'TRIM_HORIZON',
      ...optional('BatchSize', s['batchSize']), ...optional('MaximumBatchingWindowInSeconds', s['batchWindow']), ...optional('Enabled', s['enabled']),
      ...optional('MaximumRetryAttempts', s['maximumRetryAttempts']), ...optional('MaximumRecordAgeInSeconds', s['maximumRecordAgeInSeconds']),
      ...optional('BisectBatchOnFunctionError', s['bisectBatchOnFunctionError']), ...optional('ParallelizationFactor', s['parallelizationFactor']),
      ...optional('FunctionResponseTypes', s['functionResponseType'] === undefined ? undefined : [s['functionResponseType']]),
      ...optional('FilterCriteria', patterns === undefined ? undefined : { Filters: patterns.map((p: unknown) => ({ Pattern: JSON.stringify(p) })) }),
      ...optional('DestinationConfig', failureArn === undefined ? undefined : { OnFailure: { Destination: failureArn } }),
      ...optional('TumblingWindowInSeconds', s['tumblingWindowInSeconds']),
    },
  };
}
