// A JavaScript/TypeScript handler in a worker thread. The worker is started ahead of the first event
// and kept warm; one invocation at a time. A timeout, a crash or process.exit in the handler ends the
// worker (terminate() stops even a busy loop) and the next invocation gets a fresh one.
import { Worker } from 'node:worker_threads';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { WorkerInit, WorkerInvocation, WorkerMessage } from './handler-worker.js';
import { memorySizeMb, timedOut, type FunctionContext, type InvocationOutcome, type InvocationRequest, type Invoker } from './invoker.js';

const workerScript = new URL('./handler-worker.js', import.meta.url);

interface Running {
  /** Undefined when the module could not even be prepared (a TypeScript build error). */
  readonly worker: Worker | undefined;
  /** Resolves once the module is imported: undefined, or the import's failure. */
  readonly ready: Promise<InvocationOutcome | undefined>;
  pending?: { requestId: string; settle: (outcome: InvocationOutcome) => void };
}

export class WorkerInvoker implements Invoker {
  /** The worker being started or running; undefined after a crash, a timeout or close. */
  private running: Promise<Running> | undefined;
  private closed = false;

  constructor(
    private readonly fn: FunctionContext,
    /** The module to import: a JS file, or the bundle a TS handler was built into. */
    private readonly file: () => Promise<string>,
    private readonly exportName: string,
  ) {}

  /** Starts the worker now so the first event does not wait for the import. */
  warm(): void {
    void this.start();
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    if (this.closed) return { ok: false, errorType: 'Runtime.ExitError', errorMessage: 'the trigger is stopping' };
    const started = this.start();
    const running = await started;
    const failed = await running.ready;
    const worker = running.worker;
    if (failed !== undefined || worker === undefined) {
      this.stop(started);
      return failed ?? { ok: false, errorType: 'Runtime.ExitError', errorMessage: 'the worker is gone' };
    }
    // The module is imported: the handler's time starts now.
    const deadline = Date.now() + request.timeoutMs;
    return new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.stop(started);
        settle(timedOut(this.fn.timeoutSeconds));
      }, request.timeoutMs);
      const settle = (outcome: InvocationOutcome): void => {
        clearTimeout(timer);
        if (running.pending?.requestId === request.requestId) delete running.pending;
        resolve(outcome);
      };
      running.pending = { requestId: request.requestId, settle };
      const message: WorkerInvocation = { requestId: request.requestId, payload: request.payload, deadline };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const started = this.running;
    this.running = undefined;
    const running = await started;
    running?.pending?.settle({ ok: false, errorType: 'Runtime.ExitError', errorMessage: 'the trigger is stopping' });
    await running?.worker?.terminate();
  }

  private start(): Promise<Running> {
    this.running ??= this.spawn();
    return this.running;
  }

  private async spawn(): Promise<Running> {
    let file: string;
    try {
      file = await this.file();
    } catch (error) {
      return { worker: undefined, ready: Promise.resolve({ ok: false, errorType: 'Runtime.ImportModuleError', errorMessage: (error as Error).message }) };
    }
    if (this.closed) return { worker: undefined, ready: Promise.resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: 'the trigger is stopping' }) };
    let resolveReady: (value: InvocationOutcome | undefined) => void = () => undefined;
    const ready = new Promise<InvocationOutcome | undefined>((resolve) => (resolveReady = resolve));
    const init: WorkerInit = { file, exportName: this.exportName, functionName: this.fn.name, functionArn: this.fn.arn, memorySizeMb };
    const worker = new Worker(workerScript, { workerData: init, env: { ...this.fn.environment }, stdout: true, stderr: true });
    const running: Running = { worker, ready };
    const started = this.running;
    this.pipe(worker.stdout);
    this.pipe(worker.stderr);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolveReady(undefined);
      else if (message.type === 'init-error') resolveReady({ ok: false, errorType: message.errorType, errorMessage: message.errorMessage });
      else if (running.pending?.requestId === message.requestId) {
        running.pending.settle(message.ok ? { ok: true, response: message.response === null ? null : (JSON.parse(message.response) as unknown) } : message);
      }
    });
    const crashed = (reason: string): void => {
      if (started !== undefined) this.forget(started);
      const outcome: InvocationOutcome = { ok: false, errorType: 'Runtime.ExitError', errorMessage: reason };
      resolveReady(outcome);
      running.pending?.settle(outcome);
    };
    worker.on('error', (error) => crashed(`Runtime exited with error: ${error.name}: ${error.message}`));
    worker.on('exit', (code) => crashed(`Runtime exited with error: exit status ${code}`));
    return running;
  }

  /** Ends a worker (timeout, failed import); the next invocation starts a fresh one. */
  private stop(started: Promise<Running>): void {
    this.forget(started);
    void started.then((running) => running.worker?.terminate());
  }

  private forget(started: Promise<Running>): void {
    if (this.running === started) this.running = undefined;
  }

  private pipe(stream: Readable): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.fn.log(line));
  }
}
