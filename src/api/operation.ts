// What an operation is to the pipeline: its name and target, its kind, its input (decoded from the
// request by its shape, the type derived from the shape), the (IAM action, resource ARN) pairs it
// needs, and its execution — which answers a structured result: the reply's members (stored items
// kept as raw JSON, spliced in unparsed) and the capacity it consumed per table.
import type { Engine } from '../engine/engine.js';
import { ExpressionCache } from '../expressions/expression-cache.js';
import { StatementCache } from '../partiql/statement-cache.js';
import { validateInput } from './validate/validate-input.js';
import { resolveTableNames } from './validate/table-arn.js';
import type { InputOfMembers, Members } from './validate/shape.js';
import type { MetricStore } from './metric-store.js';
import type { TriggerControl } from '../model/trigger-control.js';
import type { Caller } from '../engine/identity-service.js';

export interface RequestContext {
  readonly requestId: string;
  /** From the request's SigV4 credential scope; tables are scoped by it. */
  readonly region: string;
  readonly accountId: string;
  /** Epoch ms when the request arrived, from the server's injected clock. */
  readonly now: number;
  /** The Host the client addressed (DescribeEndpoints answers with it). */
  readonly host: string;
  /** The verified caller (--auth sigv4 | iam); undefined with --auth none, where IAM's and STS's operations act as the account's root. */
  readonly caller?: Caller;
}

/** What an operation executes with: the engine, and the parse caches of expressions and statements. */
export interface Services {
  readonly engine: Engine;
  readonly expressions: ExpressionCache;
  readonly statements: StatementCache;
  /** The metrics CloudWatch's operations read (the pipeline's metrics stage records them). */
  readonly metrics?: MetricStore;
  /** The server's triggers, for the deployment operations (`stratusdb deploy`). */
  readonly triggers?: TriggerControl;
}

/** The services of one server: its engine, parse caches shared by all its requests, and its metrics. */
export function servicesOf(engine: Engine, metrics?: MetricStore, triggers?: TriggerControl): Services {
  return { engine, expressions: new ExpressionCache(), statements: new StatementCache(), ...(metrics === undefined ? {} : { metrics }), ...(triggers === undefined ? {} : { triggers }) };
}

export type OperationKind = 'read' | 'write' | 'control' | 'stream';

/** One IAM action on one resource an operation needs, e.g. dynamodb:PutItem on a table's ARN. */
export interface Permission {
  readonly action: string;
  readonly resource: string;
  /** The request's condition keys for this action, named in lower case (dynamodb:leadingkeys, …; condition-keys.ts). */
  readonly keys?: Readonly<Record<string, readonly string[]>>;
}

/** Capacity one table (with its indexes) consumed: the metrics stage counts it, throttling will admit by it. */
export interface Usage {
  readonly table: string;
  /** Reads and writes, the table's indexes included (metrics). */
  readonly readUnits: number;
  readonly writeUnits: number;
  /** What the capacity buckets are charged: the kind, the table's own units and each GSI's. */
  readonly kind: 'read' | 'write';
  readonly tableUnits: number;
  readonly globalIndexes: readonly { readonly name: string; readonly units: number }[];
}

/** JSON text to splice into the reply as it is (a stored item, a stream record). */
export class RawJson {
  constructor(readonly json: string) {}
}

/**
 * A reply's members: JSON values, or RawJson (also as the elements of a top-level array); members
 * left undefined are omitted. Deeper raw JSON is composed by the operation into one RawJson.
 */
export type ReplyBody = Readonly<Record<string, unknown>>;

export interface OperationResult {
  readonly body: ReplyBody;
  readonly usage?: readonly Usage[];
}

export interface OperationDefinition<I = unknown> {
  readonly name: string;
  readonly target: 'DynamoDB_20120810' | 'DynamoDBStreams_20120810' | 'AnyScaleFrontendService' | 'GraniteServiceVersion20100801' | 'AWSIdentityManagementV20100508' | 'AWSSecurityTokenServiceV20110615' | 'TrentService' | 'StratusDB_20261207';
  readonly kind: OperationKind;
  /** The input's members (the query protocol reads a form by them). */
  readonly members: Members;
  /** The request's members typed and checked (SerializationException, ValidationException). */
  decode(body: unknown): I;
  /** The decoded input with the tables it names by ARN named by name, checked against the request's region and account. */
  resolve(input: I, ctx: RequestContext, services: Services): I;
  /** The actions and resources the request needs (BatchGetItem: every table; a transaction: each action's). */
  permissions(input: I, ctx: RequestContext, services: Services): readonly Permission[];
  execute(services: Services, ctx: RequestContext, input: I): Promise<OperationResult>;
  /** Called without AWS credentials, its signature not looked at (STS's AssumeRoleWithWebIdentity). */
  readonly anonymous?: boolean;
}

/** An operation whose input is its members checked by validateInput. */
export function operation<const M extends Members>(definition: {
  readonly name: string;
  readonly target?: OperationDefinition['target'];
  readonly kind: OperationKind;
  readonly members: M;
  /** Instead of validateInput, when the operation checks its members in an order of its own. */
  readonly decode?: (body: unknown) => InputOfMembers<M>;
  readonly permissions: (input: InputOfMembers<M>, ctx: RequestContext, services: Services) => readonly Permission[];
  readonly execute: (services: Services, ctx: RequestContext, input: InputOfMembers<M>) => Promise<OperationResult>;
  readonly anonymous?: boolean;
}): OperationDefinition<InputOfMembers<M>> {
  return {
    name: definition.name,
    target: definition.target ?? 'DynamoDB_20120810',
    kind: definition.kind,
    members: definition.members,
    decode: definition.decode ?? ((body) => validateInput(body, definition.members)),
    // DynamoDB Streams names tables by name only; Application Auto Scaling by resource id.
    resolve: definition.target !== undefined && definition.target !== 'DynamoDB_20120810' ? (input) => input : (input, ctx, { engine }) => resolveTableNames(input, ctx, engine.tables),
    permissions: definition.permissions,
    execute: definition.execute,
    ...(definition.anonymous === true ? { anonymous: true } : {}),
  };
}

/** A table's ARN as IAM policies name it. */
export function tableArn(ctx: RequestContext, tableName: string): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}`;
}

/** A table's or one of its indexes' ARN as IAM policies name it. */
export function tableOrIndexArn(ctx: RequestContext, tableName: string, indexName: string | undefined): string {
  return indexName === undefined ? tableArn(ctx, tableName) : `${tableArn(ctx, tableName)}/index/${indexName}`;
}

/** The one permission most operations need: `dynamodb:<operation>` on the table they name. */
export function onTable(action: string, tableName: string | undefined, ctx: RequestContext): Permission[] {
  return [{ action: `dynamodb:${action}`, resource: tableName === undefined ? '*' : tableArn(ctx, tableName) }];
}
