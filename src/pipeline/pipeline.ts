// One request's way between the wire and the engine, in explicit stages: parse the body, find the
// operation, authenticate, decode the input by the operation's shape, authorize the (action,
// resource) pairs it needs, admit it, execute it, record its metrics, serialize its result. Every
// DynamoDB and Streams request passes here and nowhere else; later issues fill in the authorize
// and admit stages (IAM, capacity) without touching any operation.
import { servicesOf, type OperationDefinition, type OperationResult, type RequestContext, type Services } from '../api/operation.js';
import { resolveOperation } from '../api/registry.js';
import type { Engine } from '../engine/engine.js';
import { DynamoDbError, InternalServerError, ResourceNotFoundException, SerializationException, ServiceUnavailable, UnknownOperationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import { StorageFailure } from '../errors/storage-failure.js';
import { capacityAdmission, type Admission } from './admit.js';
import { authenticate, type Headers } from './authenticate.js';
import { allowAll, type Authorizer } from './authorize.js';
import { Metrics } from './metrics.js';
import { TableMetrics } from './table-metrics.js';
import { tableOfResource } from './resource-names.js';
import { parseRequestJson } from './request-json.js';
import { errorBody, serializeReply } from './serialize.js';

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
}

export interface PipelineReply {
  readonly status: number;
  readonly body: string;
}

export interface PipelineOptions {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly accountId: string;
  readonly log: (line: string) => void;
  /** Log every exception answered (not only internal errors). */
  readonly debug: boolean;
  readonly authorizer?: Authorizer;
  readonly admission?: Admission;
}

export class Pipeline {
  readonly metrics = new Metrics();
  /** DynamoDB's CloudWatch metrics per region and table (GET /metrics). */
  readonly tableMetrics = new TableMetrics();
  private readonly services: Services;
  private readonly authorizer: Authorizer;
  private readonly admission: Admission;
  /** Other processes share the engine's store (see execute). */
  private readonly shared: boolean;

  constructor(private readonly options: PipelineOptions) {
    this.services = servicesOf(options.engine);
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
    try {
      // DynamoDB reads the body before it looks at the target or the signature.
      const parsed = request.body.length > 0 ? parseRequestJson(request.body) : undefined;
      operation = resolveOperation(request.target);
      if (operation === undefined) throw new UnknownOperationException();
      const principal = authenticate(request.headers, request.query);
      // A region whose outage a user caused (POST /stratusdb/regions) answers as an unavailable service.
      if (this.options.engine.replication.refuses(principal.region)) throw new ServiceUnavailable(messages.regionUnavailable);
      if (request.body.length === 0) throw new SerializationException('');
      const ctx: RequestContext = {
        requestId: request.requestId,
        region: principal.region,
        accountId: this.options.accountId,
        now: this.options.clock.now(),
        host: request.host,
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
      this.authorizer.authorize(principal, () => op.permissions(input, ctx, this.services));
      this.admission.admit(operation, ctx, () => op.permissions(input, ctx, this.services));
      const result = await this.execute(operation, ctx, input);
      if (result.usage !== undefined) this.admission.consumed(result.usage, ctx);
      this.metrics.succeeded(operation.name, result.usage);
      const count = result.body['Count'];
      this.tableMetrics.succeeded(ctx.region, operation.name, result.usage, performance.now() - started, typeof count === 'number' ? count : undefined);
      return { status: 200, body: serializeReply(result.body) };
    } catch (error) {
      const known = this.exception(request.requestId, error);
      this.metrics.failed(operation?.name, known.name);
      if (operation !== undefined && region !== undefined) {
        const reasons = known.extra['ThrottlingReasons'];
        this.tableMetrics.failed(region, operation.name, known.name, known.statusCode, tableOf?.(), Array.isArray(reasons) ? (reasons as { reason: string; resource: string }[]) : []);
      }
      return { status: known.statusCode, body: errorBody(known) };
    }
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
