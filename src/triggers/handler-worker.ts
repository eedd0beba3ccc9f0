// Runs inside a worker thread: imports the user's handler module once, then answers invocations with
// a Lambda-shaped context. Anything the handler does wrong (throws, never settles, exits, loops) stays
// in this thread; the parent enforces the timeout and replaces the worker.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

export interface WorkerInit {
  readonly file: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memorySizeMb: string;
}

export interface WorkerInvocation {
  readonly requestId: string;
  readonly payload: string;
  readonly deadline: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly errorType: string; readonly errorMessage: string }
  | { readonly type: 'result'; readonly requestId: string; readonly ok: true; readonly response: string | null }
  | { readonly type: 'result'; readonly requestId: string; readonly ok: false; readonly errorType: string; readonly errorMessage: string };

type Handler = (event: unknown, context: object, callback?: (error: unknown, result?: unknown) => void) => unknown;

function describe(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  return { errorType: 'Error', errorMessage: String(error) };
}

function pick(module: Record<string, unknown>, name: string): Handler | undefined {
  const direct = module[name];
  if (typeof direct === 'function') return direct as Handler;
  const fallback = module['default'];
  if (typeof fallback === 'object' && fallback !== null) {
    const fn = (fallback as Record<string, unknown>)[name];
    if (typeof fn === 'function') return fn as Handler;
  }
  return undefined;
}

function call(handler: Handler, event: unknown, context: object): Promise<unknown> {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, context));
  // Callback-style handler (event, context, callback); an async one may also just resolve.
  return new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(resolve, reject);
    }
  });
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const init = workerData as WorkerInit;
  let handler: Handler | undefined;
  try {
    const module = (await import(pathToFileURL(init.file).href)) as Record<string, unknown>;
    handler = pick(module, init.exportName);
    if (handler === undefined) throw Object.assign(new Error(`${init.file} does not export a function named ${init.exportName}`), { name: 'Runtime.HandlerNotFound' });
  } catch (error) {
    port.postMessage({ type: 'init-error', ...describe(error) } satisfies WorkerMessage);
    return;
  }
  const fn = handler;
  port.on('message', (message: WorkerInvocation) => {
    const context = {
      awsRequestId: message.requestId,
      functionName: init.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: init.functionArn,
      memoryLimitInMB: init.memorySizeMb,
      logGroupName: `/aws/lambda/${init.functionName}`,
      logStreamName: `stratusdb/[$LATEST]${init.functionName}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    };
    call(fn, JSON.parse(message.payload), context).then(
      (result) => port.postMessage({ type: 'result', requestId: message.requestId, ok: true, response: result === undefined ? null : JSON.stringify(result) } satisfies WorkerMessage),
      (error: unknown) => port.postMessage({ type: 'result', requestId: message.requestId, ok: false, ...describe(error) } satisfies WorkerMessage),
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}

void main();
