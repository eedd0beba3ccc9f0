// One request's way between the wire and the engine, in explicit stages: parse the body, find the
// operation, authenticate, decode the input by the operation's shape, authorize the (action,
// resource) pairs it needs, admit it, execute it, record its metrics, serialize its result. Every
// DynamoDB and Streams request passes here and nowhere else; later issues fill in the authorize
// and admit stages (IAM, capacity) without touching any operation.
import { servicesOf, type OperationDefinition, type OperationResult, type Permission, type RequestContext, type Services } from '../api/operation.js';
import { resolveOperation } from '../api/registry.js';
import type { TriggerControl } from '../model/trigger-control.js';
import type { Engine } from '../engine/engine.js';
import { DynamoDbError, InternalServerError, ResourceNotFoundException, SerializationException, ServiceUnavailable, UnknownOperationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import { StorageFailure } from '../errors/storage-failure.js';
import { capacityAdmission, type Admission } from './admit.js';
import { authenticate, type Headers, type Principal, type SignatureAuthenticator } from './authenticate.js';
import { allowAll, type Authorizer, type RequestFacts } from './authorize.js';
import type { SignedRequest } from '../iam/sigv4.js';
import type { AuditLog } from './audit-log.js';
import { Metrics } from './metrics.js';
import { TableMetrics, type GaugeSources } from './table-metrics.js';
import { tableOfResource } from './resource-names.js';
import { parseRequestJson } from './request-json.js';
import { errorBody, serializeReply } from './serialize.js';
import { cborContentType, cborError, cborHeaders, cborReply, decodeCbor } from './cbor-protocol.js';
import { decodeQuery, queryError, queryReply, xmlContentType } from './query-protocol.js';

export type { SignedRequest } from '../iam/sigv4.js';

/**
 * How a request is written: DynamoDB's JSON (every DynamoDB, Streams and Application Auto Scaling
 * request, and CloudWatch's from the SDKs), or CloudWatch's other two, CBOR and the query protocol.
 */
export type WireProtocol = 'json' | 'cbor' | 'query';

export interface PipelineRequest {
  readonly requestId: string;
  /** The X-Amz-Target header. */
  readonly target: string | undefined;
  readonly headers: Headers;
  /** The URL's query (SigV4 may be carried there). */
  readonly query: URLSearchParams;
  readonly body: Buffer;
  /** The Host the client addressed. */
  readonly host: string;
  /** Default json. */
  readonly protocol?: WireProtocol;
  /** The request as it came over the wire, for verifying its signature (--auth sigv4 | iam). */
  readonly signed?: () => SignedRequest;
  /** The client's address as the socket gives it (an IPv4 one may come as ::ffff:a.b.c.d). */
  readonly sourceIp?: string;
  /** Whether it came over TLS (aws:SecureTransport). */
  readonly secure?: boolean;
}

export interface PipelineReply {
  readonly status: number;
  readonly body: string | Uint8Array;
  /** Set when the protocol decides it (CBOR, XML); JSON answers in the request's JSON type. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** CloudWatch's target: its answers carry timestamps, and its errors the query protocol's code. */
const cloudWatchTarget = 'GraniteServiceVersion20100801';

export interface PipelineOptions {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly accountId: string;
  readonly log: (line: string) => void;
  /** Log every exception answered (not only internal errors). */
  readonly debug: boolean;
  readonly authorizer?: Authorizer;
  /** Verifies signatures (--auth sigv4 | iam); without it, only their structure is checked. */
  readonly authenticator?: SignatureAuthenticator;
  /** --audit-log: each request's principal, actions and decision. */
  readonly audit?: AuditLog;
  readonly admission?: Admission;
  /** Minutes of CloudWatch statistics kept per metric (default a day). */
  readonly metricsRetentionMinutes?: number;
  /** Where the metrics' gauges (provisioned capacity, replication latency) are read. */
  readonly gauges?: GaugeSources;
  /** Keep no CloudWatch metrics (--no-metrics). */
  readonly noMetrics?: boolean;
  /** The server's triggers, for the deployment operations. */
  readonly triggers?: TriggerControl;
}

/** An IPv4 address as IPv4 (a dual-stack socket reports it as ::ffff:a.b.c.d). */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * The principal of an operation called without credentials (AssumeRoleWithWebIdentity): nobody,
 * in the region a signature's scope names if the client signed anyway, else us-east-1.
 */
function anonymousPrincipal(headers: Headers, query: URLSearchParams): Principal {
  try {
    return { accessKeyId: '', region: authenticate(headers, query).region };
  } catch {
    return { accessKeyId: '', region: anonymousRegion };
  }
}
const anonymousRegion = 'us-east-1';

/** The request as sent; a pipeline that verifies signatures refuses to run without it. */
function signedOf(request: PipelineRequest): SignedRequest {
  if (request.signed === undefined) throw new Error('verifying a signature needs the request as it was sent');
  return request.signed();
}

/** Statistics kept per metric unless told otherwise: a day of minutes. */
export const metricsRetentionMinutesDefault = 1440;

export class Pipeline {
  readonly metrics = new Metrics();
  /** DynamoDB's CloudWatch metrics per region and table (GET /metrics, the CloudWatch operations). */
  readonly tableMetrics: TableMetrics;
  private readonly services: Services;
  private readonly authorizer: Authorizer;
  private readonly admission: Admission;
  private readonly keepsMetrics: boolean;
  /** Other processes share the engine's store (see execute). */
  private readonly shared: boolean;

  constructor(private readonly options: PipelineOptions) {
    this.keepsMetrics = options.noMetrics !== true;
    this.tableMetrics = new TableMetrics(options.metricsRetentionMinutes ?? metricsRetentionMinutesDefault, this.keepsMetrics ? options.gauges : undefined);
    this.services = servicesOf(options.engine, this.tableMetrics, options.triggers);
    this.shared = options.engine.shared;
    this.authorizer = options.authorizer ?? allowAll;
    // Consumption is counted even when it is not enforced (auto scaling, metrics).
    this.admission = options.admission ?? capacityAdmission(options.engine);
  }

  /** Answers a request; never throws (every failure is a DynamoDB exception's reply). */
  async handle(request: PipelineRequest): Promise<PipelineReply> {
    const started = performance.now();
    let operation: OperationDefinition | undefined;
    let region: string | undefined;
    let tableOf: (() => string | undefined) | undefined;
    /** How far the request got, for the audit log: its principal once authenticated, its needs once authorized. */
    let audited: { principal?: Principal; needed?: readonly Permission[]; authorized?: boolean } | undefined;
    const protocol = request.protocol ?? 'json';
    try {
      // DynamoDB reads the body before it looks at the target or the signature.
      const json = protocol === 'json' && request.body.length > 0 ? parseRequestJson(request.body) : undefined;
      operation = resolveOperation(request.target);
      if (operation === undefined) throw new UnknownOperationException();
      const parsed = protocol === 'json' ? json : protocol === 'cbor' ? decodeCbor(request.body) : decodeQuery(request.body, operation.members);
      const authenticator = this.options.authenticator;
      if (this.options.audit !== undefined) audited = {};
      const principal = operation.anonymous === true ? anonymousPrincipal(request.headers, request.query)
        : authenticator === undefined ? authenticate(request.headers, request.query) : authenticator.authenticate(request.headers, request.query, signedOf(request), operation.target);
      if (audited !== undefined) audited.principal = principal;
      // A region whose outage a user caused (POST /stratusdb/regions) answers as an unavailable service.
      if (this.options.engine.replication.refuses(principal.region)) throw new ServiceUnavailable(messages.regionUnavailable);
      if (request.body.length === 0 && protocol === 'json') throw new SerializationException('');
      const ctx: RequestContext = {
        requestId: request.requestId,
        region: principal.region,
        accountId: this.options.accountId,
        now: this.options.clock.now(),
        host: request.host,
        ...(principal.caller === undefined ? {} : { caller: principal.caller }),
      };
      region = ctx.region;
      const input = operation.resolve(operation.decode(parsed), ctx, this.services);
      const op = operation;
      // The table a failed request named, for its metrics (read only when it fails).
      tableOf = () => {
        try {
          return tableOfResource(op.permissions(input, ctx, this.services)[0]?.resource ?? '')?.table;
        } catch {
          return undefined;
        }
      };
      const needed = (): readonly Permission[] => {
        if (audited === undefined) return op.permissions(input, ctx, this.services);
        audited.needed ??= op.permissions(input, ctx, this.services);
        return audited.needed;
      };
      this.authorizer.authorize(principal, needed, this.factsOf(request));
      if (audited !== undefined) {
        audited.authorized = true;
        this.audit(request, op.name, audited, needed());
      }
      this.admission.admit(operation, ctx, () => op.permissions(input, ctx, this.services));
      const result = await this.execute(operation, ctx, input);
      if (result.usage !== undefined) this.admission.consumed(result.usage, ctx);
      this.metrics.succeeded(operation.name, result.usage);
      const count = result.body['Count'];
      if (this.keepsMetrics) this.tableMetrics.succeeded(ctx.region, operation.name, result.usage, performance.now() - started, typeof count === 'number' ? count : undefined, ctx.now);
      return this.reply(protocol, operation, result.body, request.requestId);
    } catch (error) {
      const known = this.exception(request.requestId, error);
      // Refused at authentication (no principal) or authorization (principal, not authorized).
      if (audited !== undefined && operation !== undefined && audited.authorized !== true && (audited.principal === undefined || known.name === 'AccessDeniedException')) {
        this.audit(request, operation.name, audited, audited.needed, known.name);
      }
      this.metrics.failed(operation?.name, known.name);
      if (operation !== undefined && region !== undefined && this.keepsMetrics) {
        const reasons = known.extra['ThrottlingReasons'];
        this.tableMetrics.failed(region, operation.name, known.name, known.statusCode, tableOf?.(), Array.isArray(reasons) ? (reasons as { reason: string; resource: string }[]) : [], this.options.clock.now());
      }
      return this.errorReply(protocol, operation, known, request.requestId);
    }
  }

  /**
   * A GET of one of the server's own status pages (path) while requests are authenticated (--auth
   * sigv4 | iam): it must be signed — header or presigned URL, for dynamodb — by a known key whose
   * caller may perform `action` on `*`. Undefined when it may; else the refusal, as DynamoDB words
   * it. With --auth none every request may.
   */
  refuseStatus(request: PipelineRequest, path: string, action: string): PipelineReply | undefined {
    const authenticator = this.options.authenticator;
    if (authenticator === undefined) return undefined;
    let principal: Principal | undefined;
    const needed: readonly Permission[] = [{ action, resource: '*' }];
    try {
      principal = authenticator.authenticate(request.headers, request.query, signedOf(request), '');
      this.authorizer.authorize(principal, () => needed, this.factsOf(request));
      this.audit(request, `GET ${path}`, { principal }, needed);
      return undefined;
    } catch (error) {
      const known = this.exception(request.requestId, error);
      this.audit(request, `GET ${path}`, principal === undefined ? {} : { principal }, needed, known.name);
      return this.errorReply('json', undefined, known, request.requestId);
    }
  }

  /** What the request context knows of the connection, for an authorizer that reads it. */
  private factsOf(request: PipelineRequest): RequestFacts | undefined {
    if (this.authorizer === allowAll) return undefined;
    return request.sourceIp === undefined ? { secure: request.secure === true } : { sourceIp: plainAddress(request.sourceIp), secure: request.secure === true };
  }

  private audit(request: PipelineRequest, operation: string, audited: { readonly principal?: Principal }, needed: readonly Permission[] | undefined, error?: string): void {
    const principal = audited.principal;
    this.options.audit?.record({
      time: new Date(this.options.clock.now()).toISOString(), requestId: request.requestId,
      ...(principal?.caller === undefined ? {} : { principal: principal.caller.arn }), ...(principal === undefined ? {} : { accessKeyId: principal.accessKeyId, region: principal.region }),
      ...(request.sourceIp === undefined ? {} : { sourceIp: plainAddress(request.sourceIp) }), operation,
      decision: error === undefined ? 'allow' : principal === undefined ? 'unauthenticated' : 'deny',
      ...(needed === undefined ? {} : { actions: needed.map((p) => ({ action: p.action, resource: p.resource })) }),
      ...(error === undefined ? {} : { error }),
    });
  }

  /** The serialize stage: a result in the request's protocol. */
  private reply(protocol: WireProtocol, operation: OperationDefinition, body: OperationResult['body'], requestId: string): PipelineReply {
    if (protocol === 'cbor') return { status: 200, body: cborReply(body), contentType: cborContentType, headers: cborHeaders };
    if (protocol === 'query') return { status: 200, body: queryReply(operation.target, operation.name, body, requestId), contentType: xmlContentType };
    return { status: 200, body: serializeReply(operation.target === cloudWatchTarget ? datesAsSeconds(body) : body) };
  }

  /** An exception in the request's protocol; CloudWatch's name its query-protocol code in x-amzn-query-error. */
  private errorReply(protocol: WireProtocol, operation: OperationDefinition | undefined, error: DynamoDbError, requestId: string): PipelineReply {
    if (protocol === 'query') return { status: error.queryStatus, body: queryError(operation?.target, error, requestId), contentType: xmlContentType };
    const queryCompatible = protocol === 'cbor' || operation?.target === cloudWatchTarget;
    const headers = queryCompatible ? { 'x-amzn-query-error': `${error.queryError.code};${error.queryError.fault}` } : undefined;
    if (protocol === 'cbor') return { status: error.statusCode, body: cborError(error), contentType: cborContentType, headers: { ...cborHeaders, ...headers } };
    return { status: error.statusCode, body: errorBody(error), ...(headers === undefined ? {} : { headers }) };
  }

  /**
   * Runs the operation. On a store other processes share, a control operation first reads the
   * catalog again (a table another node just created, changed or deleted is as it is now), and any
   * operation that found no table or stream reads it again and runs once more (one created elsewhere
   * a moment ago): that refusal comes before any effect.
   */
  private execute(operation: OperationDefinition, ctx: RequestContext, input: unknown): Promise<OperationResult> {
    // A store of this process's own (the usual case) costs nothing more than the call.
    if (!this.shared) return operation.execute(this.services, ctx, input);
    return this.executeShared(operation, ctx, input);
  }

  private async executeShared(operation: OperationDefinition, ctx: RequestContext, input: unknown): Promise<OperationResult> {
    const engine = this.options.engine;
    if (operation.kind === 'control') await engine.syncCatalog();
    try {
      return await operation.execute(this.services, ctx, input);
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException) || operation.kind === 'control') throw error;
      await engine.syncCatalog();
      return operation.execute(this.services, ctx, input);
    }
  }

  /** The DynamoDB exception answered for an error; anything else is logged and answered as InternalServerError. */
  private exception(requestId: string, error: unknown): DynamoDbError {
    if (error instanceof DynamoDbError) {
      if (this.options.debug) this.options.log(`${requestId} ${error.name}: ${error.message}`);
      return error;
    }
    // A storage failure is the disk's doing, not a bug: one line, no stack.
    const detail = error instanceof StorageFailure ? `storage: ${error.message}` : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    this.options.log(`${requestId} ${detail}`);
    return new InternalServerError('Internal server error');
  }
}

/** The JSON protocol's timestamps: epoch seconds. */
function datesAsSeconds(body: OperationResult['body']): OperationResult['body'] {
  const walk = (value: unknown): unknown => {
    if (value instanceof Date) return value.getTime() / 1000;
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(body) as OperationResult['body'];
}
