// The DynamoDB wire protocol over node:http: Host and Origin checks, CORS, the body limit, content
// types, compression, GET pages (health, trigger status, metrics); every POST goes through the
// pipeline, whose reply this writes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { AccessDeniedException, DynamoDbError, InternalServerError } from '../errors/errors.js';
import type { Pipeline, SignedRequest, WireProtocol } from '../pipeline/pipeline.js';
import { queryContentType, queryTarget } from '../pipeline/query-protocol.js';
import { errorBody } from '../pipeline/serialize.js';
import type { BrowserAccess } from './browser-access.js';
import { compress, compressionThresholdBytes, decodeRequestBody, responseEncoding } from './compression.js';
import { sendAsset, type ConsoleAssets } from './console-assets.js';
import { send, sendEncoded, sendWith } from './reply.js';
import { trackRequests } from './shutdown.js';
import type { AdjustableClock } from '../model/clock.js';
import { peerPathPrefix, peerSignatureHeader, verifyPeerRequest } from '../model/peer-signature.js';
import { prometheusText, type MetricsSource } from './prometheus.js';
import { clockPath, costPath, prometheusPath, jobsPath, regionsPath, metricsPath, triggerStatusPath } from './status-paths.js';

/** DynamoDB refuses request bodies over 16 MB with HTTP 413. */
export const requestBodyBytesMax = 16 * 1024 * 1024;
/** How long a browser may cache a preflight's answer (Chromium caps it at two hours). */
const corsMaxAgeSeconds = 7200;

const jsonTypes = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']);
/** Smithy's RPC v2 CBOR requests name their service and operation in the path (newer AWS CLIs' CloudWatch). */
const cborPath = /^\/service\/(GraniteServiceVersion20100801)\/operation\/([A-Za-z]+)$/;

export interface HttpOptions {
  readonly pipeline: Pipeline;
  readonly log: (line: string) => void;
  /** GET /stratusdb/triggers: each trigger's state and counters. */
  readonly triggerStatus?: () => unknown;
  /** Which origins and Host names are answered. */
  readonly access: BrowserAccess;
  /** Serve HTTPS with this certificate chain and private key (PEM). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** GET /health/ready: whether storage answers (a server whose database is unreachable is alive but not ready). */
  readonly ready?: () => Promise<boolean>;
  /** GET /stratusdb/metrics: completed runs of each background job. */
  readonly backgroundRuns?: () => Readonly<Record<string, number>>;
  /** Global tables: each replication link's state (GET /stratusdb/metrics), and region outages (POST /stratusdb/regions). */
  readonly replication?: {
    readonly status: () => unknown;
    /** Undefined when region outages are closed: requests are authenticated (--auth sigv4 | iam), and this endpoint is not. */
    readonly outage: ((region: string, on: boolean, refuse: boolean) => readonly string[]) | undefined;
    /** Strongly consistent writes held, their items marked (--test-clock: POST /stratusdb/jobs). */
    readonly heldWrites: () => number;
  };
  /** GET /metrics: what Prometheus scrapes. */
  readonly prometheus?: MetricsSource;
  /** GET /stratusdb/cost: the cost meter's report. */
  readonly cost?: () => unknown;
  /** Global tables across servers (--peer): what this one answers the others, under their shared key. */
  readonly peers?: { readonly key: string; readonly handle: (operation: string, body: unknown) => Promise<unknown> };
  /** The web console's files, served under /console (--console). */
  readonly console?: ConsoleAssets;
  /** --test-clock: the clock POST /stratusdb/clock moves, and the jobs POST /stratusdb/jobs holds. */
  readonly testControls?: { readonly clock: AdjustableClock; readonly holdJobs: (held: boolean) => void };
}

export interface HttpServer {
  readonly server: Server | TlsServer;
  /** Graceful shutdown (see shutdown.ts): resolves once every connection is closed. */
  drain(graceMs: number): Promise<void>;
}

export function createHttpServer(options: HttpOptions): HttpServer {
  const nextRequestId = requestIds();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const id = nextRequestId();
    if (tracker.admit(req, res, id)) handle(options, req, res, id);
  };
  // HTTPS with --tls-cert / --tls-key: the same handler, keep-alive as over HTTP.
  const server = options.tls === undefined ? createServer({ keepAliveTimeout: 60_000 }, listener) : createTlsServer({ ...options.tls, keepAliveTimeout: 60_000 }, listener);
  // A request Node cannot parse — headers past its limit included, which Node would answer 431 —
  // gets the 400 DynamoDB's front end answers.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection the client reset has nobody to answer.
    if (error.code !== 'ECONNRESET' && socket.writable) socket.end(badRequest);
    else socket.destroy();
  });
  const tracker = trackRequests(server, options.tls === undefined ? 'connection' : 'secureConnection');
  return { server, drain: (graceMs) => tracker.drain(graceMs) };
}

/**
 * Request ids shaped like DynamoDB's (52 upper-case hex-ish characters): a random per-server prefix
 * and a counter. Drawing 26 random bytes per request cost ~10 µs of a ~100 µs GetItem.
 */
function requestIds(): () => string {
  const prefix = randomBytes(18).toString('hex').toUpperCase();
  let counter = 0;
  return () => prefix + (counter++).toString(16).toUpperCase().padStart(16, '0');
}

const badRequest = 'HTTP/1.1 400 Bad Request\r\nServer: Server\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const noQuery = new URLSearchParams();
const internalServerErrorBody = errorBody(new InternalServerError('Internal server error'));

function handle(options: HttpOptions, req: IncomingMessage, res: ServerResponse, id: string): void {
  const host = req.headers.host;
  if (!options.access.hostAllowed(host)) {
    return refuse(req, res, id, `Host '${host ?? ''}' is not allowed: this server listens on loopback and answers local host names only (name others with --allowed-hosts)`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!options.access.originAllowed(origin, host, (req.socket as TLSSocket).encrypted === true)) {
      return refuse(req, res, id, `Origin '${origin}' is not allowed: StratusDB grants browser access to loopback origins only (name others with --cors)`);
    }
    res.setHeader('x-amzn-RequestId', id);
    res.setHeader('Access-Control-Allow-Origin', options.access.allowOriginHeader(origin));
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-crc32,Date');
    if (req.method === 'OPTIONS') return preflight(req, res);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > requestBodyBytesMax) return tooLarge(req, res, id);
  const chunks: Buffer[] = [];
  let received = 0;
  let aborted = false;
  req.on('data', (chunk: Buffer) => {
    if (aborted) return;
    received += chunk.length;
    if (received > requestBodyBytesMax) {
      aborted = true;
      tooLarge(req, res, id);
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => {
    aborted = true;
  });
  req.on('end', () => {
    if (aborted) return;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    route(options, req, res, id, body).catch((error: unknown) => internalError(options, res, id, error));
  });
}

/** A request as it came over the wire (its signature covers these): the body before any Content-Encoding is undone. */
function signedRequest(req: IncomingMessage, rawUrl: string, body: Buffer): SignedRequest {
  const at = rawUrl.indexOf('?');
  return { method: req.method ?? 'POST', path: at < 0 ? rawUrl : rawUrl.slice(0, at), rawQuery: at < 0 ? '' : rawUrl.slice(at + 1), headers: req.rawHeaders, body };
}

/** The methods the endpoint serves; a preflight for any other is not granted. */
const corsMethods = 'GET, POST';

function preflight(req: IncomingMessage, res: ServerResponse): void {
  const headers = req.headers['access-control-request-headers'];
  if (headers !== undefined) res.setHeader('Access-Control-Allow-Headers', headers);
  res.setHeader('Access-Control-Allow-Methods', corsMethods);
  res.setHeader('Access-Control-Max-Age', corsMaxAgeSeconds);
  res.setHeader('Content-Length', 0);
  req.resume();
  res.end();
}

/** 403 before anything runs; the body, if any, is read and dropped. */
function refuse(req: IncomingMessage, res: ServerResponse, id: string, message: string): void {
  req.resume();
  send(res, id, 403, 'application/x-amz-json-1.0', errorBody(new AccessDeniedException(message)));
}

function tooLarge(req: IncomingMessage, res: ServerResponse, id: string): void {
  res.writeHead(413, { 'x-amzn-RequestId': id, 'Content-Length': 0, Connection: 'close' });
  res.end();
  req.resume();
}

async function route(options: HttpOptions, req: IncomingMessage, res: ServerResponse, id: string, body: Buffer): Promise<void> {
  // Nearly every request is "POST /": parse a URL only when there is something to parse.
  const rawUrl = req.url ?? '/';
  const url = rawUrl === '/' ? undefined : parseUrl(rawUrl);
  if (req.method === 'GET') return answerGet(options, req, res, id, url, rawUrl, body);
  if (options.peers !== undefined && url?.pathname.startsWith(peerPathPrefix) === true) return answerPeer(options.peers, req, res, id, url.pathname, body);
  if (options.replication !== undefined && url?.pathname === regionsPath) {
    const outage = options.replication.outage;
    if (outage === undefined) return refuse(req, res, id, 'Region outages are for tests: they are closed while requests are authenticated (--auth sigv4 | iam)');
    return regionOutage(outage, res, id, body);
  }
  if (options.testControls !== undefined && url?.pathname === clockPath) return advanceClock(options.testControls.clock, res, id, body);
  if (options.testControls !== undefined && url?.pathname === jobsPath) return holdJobs(options.testControls.holdJobs, res, id, body);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const cbor = url === undefined ? null : cborPath.exec(url.pathname);
  // A form naming a CloudWatch action is the query protocol; any other body that is not JSON, DynamoDB's 404.
  const formTarget = cbor === null && contentType === queryContentType && req.method === 'POST' ? queryTarget(body) : undefined;
  const protocol: WireProtocol = cbor !== null ? 'cbor' : formTarget !== undefined ? 'query' : 'json';
  if (req.method !== 'POST' || (protocol === 'json' && body.length > 0 && !jsonTypes.has(contentType))) {
    res.writeHead(404, { 'x-amzn-RequestId': id, 'Content-Type': 'application/xml' });
    res.end('<UnknownOperationException/>\n');
    return;
  }
  // The answer is in the request's JSON type (DynamoDB echoes application/json too).
  const replyType = jsonTypes.has(contentType) ? contentType : 'application/x-amz-json-1.0';
  let requestBody = body;
  const contentEncoding = req.headers['content-encoding'];
  if (contentEncoding !== undefined) {
    const decoded = await decodeRequestBody(body, contentEncoding, requestBodyBytesMax);
    if (!decoded.ok) {
      if (decoded.reason === 'too-large') return tooLarge(req, res, id);
      // DynamoDB answers a body it cannot decompress, or an encoding it does not know, with HTTP 500.
      return send(res, id, 500, replyType, internalServerErrorBody);
    }
    requestBody = decoded.body;
  }
  const header = req.headers['x-amz-target'];
  const target = cbor !== null ? `${cbor[1]}.${cbor[2]}` : formTarget ?? (Array.isArray(header) ? header[0] : header);
  const reply = await options.pipeline.handle({
    requestId: id,
    target,
    headers: req.headers,
    query: url?.searchParams ?? noQuery,
    body: requestBody,
    host: req.headers.host ?? 'localhost',
    protocol,
    signed: () => signedRequest(req, rawUrl, body),
    secure: (req.socket as TLSSocket).encrypted === true,
    ...(req.socket.remoteAddress === undefined ? {} : { sourceIp: req.socket.remoteAddress }),
  });
  if (reply.contentType !== undefined || reply.headers !== undefined || typeof reply.body !== 'string') {
    return sendWith(res, id, reply.status, reply.contentType ?? replyType, reply.body, reply.headers ?? {});
  }
  // Only an answer big enough to compress needs the client's Accept-Encoding read.
  const accepted = req.headers['accept-encoding'];
  const encoding = accepted !== undefined && Buffer.byteLength(reply.body, 'utf8') >= compressionThresholdBytes ? responseEncoding(accepted) : undefined;
  if (encoding !== undefined) return sendEncoded(res, id, reply.status, replyType, await compress(reply.body, encoding), encoding);
  send(res, id, reply.status, replyType, reply.body);
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    return undefined; // an unparseable path is answered like "/"
  }
}

/**
 * The status pages and the IAM action each needs while requests are authenticated: the AWS API
 * whose information it mirrors (Lambda's event source mappings, CloudWatch's metrics, Cost Explorer).
 */
const statusActions: ReadonlyMap<string, string> = new Map([
  [triggerStatusPath, 'lambda:ListEventSourceMappings'],
  [metricsPath, 'cloudwatch:GetMetricData'],
  [costPath, 'ce:GetCostAndUsage'],
]);

async function answerGet(options: HttpOptions, req: IncomingMessage, res: ServerResponse, id: string, url: URL | undefined, rawUrl: string, body: Buffer): Promise<void> {
  const path = url?.pathname ?? '/';
  const asset = options.console?.find(path);
  if (asset !== undefined) return sendAsset(req, res, id, asset);
  // Live: the process answers. Ready: its storage answers too (always, for an embedded store).
  if (path === '/health') return send(res, id, 200, 'application/json', '{"status":"ok"}');
  if (path === '/health/ready') {
    const ready = (await options.ready?.()) ?? true;
    return send(res, id, ready ? 200 : 503, 'application/json', ready ? '{"status":"ready"}' : '{"status":"storage unreachable"}');
  }
  const action = statusActions.get(path);
  if (action !== undefined) {
    const refusal = options.pipeline.refuseStatus({
      requestId: id, target: undefined, headers: req.headers, query: url?.searchParams ?? noQuery, body, host: req.headers.host ?? 'localhost',
      signed: () => signedRequest(req, rawUrl, body), secure: (req.socket as TLSSocket).encrypted === true,
      ...(req.socket.remoteAddress === undefined ? {} : { sourceIp: req.socket.remoteAddress }),
    }, path, action);
    if (refusal !== undefined) return send(res, id, refusal.status, 'application/x-amz-json-1.0', refusal.body as string);
  }
  if (path === triggerStatusPath) return send(res, id, 200, 'application/json', JSON.stringify({ triggers: options.triggerStatus?.() ?? [] }));
  if (path === prometheusPath && options.prometheus !== undefined) {
    const { contentType, text } = await prometheusText(options.prometheus);
    return send(res, id, 200, contentType, text);
  }
  if (path === costPath) return send(res, id, 200, 'application/json', JSON.stringify(options.cost?.() ?? { tables: [] }));
  if (path === metricsPath) return send(res, id, 200, 'application/json', JSON.stringify({ ...options.pipeline.metrics.snapshot(), background: options.backgroundRuns?.() ?? {}, replication: (await options.replication?.status()) ?? [], strongWritesHeld: options.replication?.heldWrites() ?? 0 }));
  // DynamoDB Local's answer to GET /; test presets such as @shelf/jest-dynamodb poll for it.
  send(res, id, 400, 'application/x-amz-json-1.0', JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken',
    message: 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
  }));
}

/** --test-clock: {"advanceMs": N} moves the clock N ms forward; answers {"now": ms}. */
function advanceClock(clock: AdjustableClock, res: ServerResponse, id: string, body: Buffer): void {
  const ms = jsonMembers(body)['advanceMs'];
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    return send(res, id, 400, 'application/json', JSON.stringify({ message: 'expected {"advanceMs": N}, N a whole number of milliseconds' }));
  }
  send(res, id, 200, 'application/json', JSON.stringify({ now: clock.advance(ms) }));
}

/** --test-clock: {"hold": true} holds the jobs that start from now, {"hold": false} lets them go; answers {"held": bool}. */
function holdJobs(hold: (held: boolean) => void, res: ServerResponse, id: string, body: Buffer): void {
  const held = jsonMembers(body)['hold'];
  if (typeof held !== 'boolean') return send(res, id, 400, 'application/json', JSON.stringify({ message: 'expected {"hold": true} or {"hold": false}' }));
  hold(held);
  send(res, id, 200, 'application/json', JSON.stringify({ held }));
}

/**
 * {"region": R, "outage": true|false, "refuseRequests"?: bool}: cuts or heals region R's replication
 * links (and refuses its requests meanwhile if asked); answers {"outages": [regions cut]}.
 */
function regionOutage(outage: (region: string, on: boolean, refuse: boolean) => readonly string[], res: ServerResponse, id: string, body: Buffer): void {
  const request = jsonMembers(body);
  const region = request['region'];
  const on = request['outage'];
  const refuse = request['refuseRequests'] ?? false;
  if (typeof region !== 'string' || region === '' || typeof on !== 'boolean' || typeof refuse !== 'boolean') {
    return send(res, id, 400, 'application/json', JSON.stringify({ message: 'expected {"region": "us-west-2", "outage": true|false, "refuseRequests": true|false}' }));
  }
  send(res, id, 200, 'application/json', JSON.stringify({ outages: outage(region, on, refuse) }));
}

/** A signed request of another server (--peer): its operation's answer, or its refusal as DynamoDB errors are written. */
async function answerPeer(peers: NonNullable<HttpOptions['peers']>, req: IncomingMessage, res: ServerResponse, id: string, path: string, body: Buffer): Promise<void> {
  const text = body.toString('utf8');
  // Without a key of its own a server takes no replication request (anyone could sign with an empty one).
  if (peers.key === '') return send(res, id, 403, 'application/json', errorBody(new AccessDeniedException('This server takes no replication requests: start it with --replication-key')));
  if (!verifyPeerRequest(peers.key, Date.now(), path, text, header(req.headers[peerSignatureHeader]))) {
    return send(res, id, 403, 'application/json', errorBody(new AccessDeniedException('The request is not signed with this server\'s --replication-key')));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  try {
    send(res, id, 200, 'application/json', JSON.stringify(await peers.handle(path.slice(peerPathPrefix.length), parsed)));
  } catch (error) {
    if (error instanceof DynamoDbError) return send(res, id, error.statusCode, 'application/json', errorBody(error));
    throw error;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The members of a JSON object body (none if the body is no such object). */
function jsonMembers(body: Buffer): Readonly<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A failure outside the pipeline (which answers every error itself): logged, and the connection closed. */
function internalError(options: HttpOptions, res: ServerResponse, id: string, error: unknown): void {
  options.log(`${id} internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (!res.headersSent) {
    send(res, id, 500, 'application/x-amz-json-1.0', internalServerErrorBody);
  } else {
    res.destroy();
  }
}
