// A handler program that speaks the AWS Lambda Runtime API (a custom runtime's bootstrap, the AWS
// runtime interface clients, StratusDB's Python bootstrap). Each program gets its own Runtime API
// server on a loopback port (AWS_LAMBDA_RUNTIME_API); the program asks for the next invocation and
// posts its response or error. On a timeout or exit the program is killed and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { timedOut, type FunctionContext, type InvocationOutcome, type InvocationRequest, type Invoker } from './invoker.js';

const apiVersion = '/2018-06-01/runtime';
/** Largest response or error body a function may post (Lambda's synchronous payload limit). */
const responseBytesMax = 6 * 1024 * 1024;
/**
 * Lambda gives a runtime's init 10 seconds, then retries it within the function's timeout: a program
 * not asking for its event within both has timed out.
 */
const initLimitMs = 10_000;

interface Pending {
  readonly request: InvocationRequest;
  delivered: boolean;
  /** Epoch ms by which the handler must answer, set when the event is delivered. */
  deadline?: number;
  readonly settle: (outcome: InvocationOutcome) => void;
  /** Starts the handler's own time (the event is delivered). */
  readonly started: () => void;
}

export class RuntimeApiInvoker implements Invoker {
  private server: Server | undefined;
  private address: string | undefined;
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  /** A parked GET /invocation/next, answered when an invocation arrives. */
  private waitingNext: ServerResponse | undefined;
  private initError: InvocationOutcome | undefined;
  private closed = false;

  constructor(
    private readonly fn: FunctionContext,
    private readonly command: readonly string[],
    private readonly cwd: string,
  ) {}

  warm(): void {
    this.ensureChild().catch((error: unknown) => this.fn.log(`could not start ${this.command.join(' ')}: ${String(error)}`));
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    try {
      await this.ensureChild();
    } catch (error) {
      return { ok: false, errorType: 'Runtime.InvalidEntrypoint', errorMessage: String(error) };
    }
    return new Promise<InvocationOutcome>((resolve) => {
      const expire = (): void => {
        this.kill();
        settle(timedOut(this.fn.timeoutSeconds));
      };
      // Until the program takes the event it is starting: the init limit, then the function's timeout.
      let timer = setTimeout(expire, initLimitMs + request.timeoutMs);
      const settle = (outcome: InvocationOutcome): void => {
        clearTimeout(timer);
        if (this.pending?.request === request) this.pending = undefined;
        resolve(outcome);
      };
      const started = (): void => {
        clearTimeout(timer);
        timer = setTimeout(expire, request.timeoutMs);
      };
      this.pending = { request, delivered: false, settle, started };
      if (this.initError !== undefined) {
        const failure = this.initError;
        this.initError = undefined;
        this.kill();
        settle(failure);
        return;
      }
      this.deliver();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.kill();
    const server = this.server;
    this.server = undefined;
    this.waitingNext?.destroy();
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A program's keep-alive connections would hold close() open.
      server.closeAllConnections();
      await closed;
    }
  }

  private starting: Promise<void> | undefined;

  /** The Runtime API server listening and the program running (one start at a time). */
  private ensureChild(): Promise<void> {
    this.starting ??= this.startChild().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startChild(): Promise<void> {
    if (this.closed) throw new Error('closed');
    if (this.server === undefined) {
      const server = createServer((req, res) => this.route(req, res));
      this.server = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    if (this.child !== undefined) return;
    const [program, ...args] = this.command as [string, ...string[]];
    const child = spawn(program, args, {
      cwd: this.cwd,
      env: { ...this.fn.environment, AWS_LAMBDA_RUNTIME_API: this.address as string },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream !== null) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.fn.log(line));
    }
    const gone = (reason: string): void => {
      if (this.child !== child) return;
      this.child = undefined;
      this.waitingNext = undefined;
      const failure = this.initError ?? { ok: false, errorType: 'Runtime.ExitError', errorMessage: reason };
      this.initError = undefined;
      this.pending?.settle(failure);
    };
    child.once('error', (error) => gone(`Runtime failed to start: ${error.message}`));
    child.once('exit', (code, signal) => gone(`Runtime exited with error: ${signal === null ? `exit status ${code}` : `signal: ${signal}`}`));
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.waitingNext = undefined;
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  }

  /** Hands the pending invocation to a program waiting on /invocation/next. */
  private deliver(): void {
    const pending = this.pending;
    const res = this.waitingNext;
    if (pending === undefined || pending.delivered || res === undefined) return;
    this.waitingNext = undefined;
    pending.delivered = true;
    pending.deadline = Date.now() + pending.request.timeoutMs;
    pending.started();
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': pending.request.requestId,
      'Lambda-Runtime-Deadline-Ms': String(pending.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': this.fn.arn,
      'Lambda-Runtime-Trace-Id': `Root=1-${pending.request.requestId.slice(0, 8)}-${pending.request.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    res.end(pending.request.payload);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${apiVersion}/invocation/next`) {
      this.waitingNext?.destroy();
      this.waitingNext = res;
      this.deliver();
      return;
    }
    const match = /^\/2018-06-01\/runtime\/(?:invocation\/([^/]+)\/(response|error)|init\/(error))$/.exec(url);
    if (req.method !== 'POST' || match === null) return reply(res, 404, { errorMessage: 'Unknown Runtime API path', errorType: 'InvalidRequest' });
    readBody(req).then((body) => {
      if (body === undefined) return reply(res, 413, { errorMessage: 'Payload too large', errorType: 'RequestTooLarge' });
      if (match[3] === 'error') {
        this.initError = errorOutcome(body, 'Runtime.InitError');
        reply(res, 202, { status: 'OK' });
        // An init failure fails the invocation in flight, if any; the program is then expected to exit.
        if (this.pending !== undefined) {
          const failure = this.initError;
          this.initError = undefined;
          this.kill();
          this.pending.settle(failure);
        }
        return;
      }
      const pending = this.pending;
      if (pending === undefined || !pending.delivered || pending.request.requestId !== decodeURIComponent(match[1] as string)) {
        return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      }
      reply(res, 202, { status: 'OK' });
      if (match[2] === 'response') {
        let response: unknown = null;
        try {
          response = body.length === 0 ? null : (JSON.parse(body) as unknown);
        } catch {
          response = body;
        }
        pending.settle({ ok: true, response });
      } else {
        pending.settle(errorOutcome(body, 'Unhandled'));
      }
    }, () => res.destroy());
  }
}

function errorOutcome(body: string, fallbackType: string): InvocationOutcome {
  try {
    const parsed = JSON.parse(body) as { errorType?: unknown; errorMessage?: unknown };
    return {
      ok: false,
      errorType: typeof parsed.errorType === 'string' ? parsed.errorType : fallbackType,
      errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : body,
    };
  } catch {
    return { ok: false, errorType: fallbackType, errorMessage: body };
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= responseBytesMax) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > responseBytesMax ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
