// What every kind of handler (worker-thread module, Runtime API program, webhook) offers the trigger
// runner: invoke one event and learn how it went. Also the Lambda environment handlers get.
import type { TriggerDefinition } from './trigger-config.js';

export interface InvocationRequest {
  readonly requestId: string;
  /** The event, JSON text. */
  readonly payload: string;
  /**
   * How long the handler has to answer, counted from when it receives the event — as on Lambda,
   * starting the handler (importing its module, a runtime's init) is not part of it.
   */
  readonly timeoutMs: number;
}

export type InvocationOutcome =
  | { readonly ok: true; readonly response: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

export interface Invoker {
  /** Never rejects: handler failures, crashes and timeouts are outcomes. */
  invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  /** Stops the handler's worker, process or requests. */
  close(): Promise<void>;
}

/** What an invoker needs to know about the function it runs. */
export interface FunctionContext {
  readonly name: string;
  readonly arn: string;
  readonly timeoutSeconds: number;
  /** The complete environment of the handler. */
  readonly environment: Readonly<Record<string, string>>;
  /** A line of handler output, for the server log. */
  readonly log: (line: string) => void;
}

export const memorySizeMb = '128';

/** Lambda's message when a function runs past its timeout. */
export function timedOut(timeoutSeconds: number): InvocationOutcome {
  return { ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

export function functionArn(def: TriggerDefinition, accountId: string): string {
  return `arn:aws:lambda:${def.region}:${accountId}:function:${def.name}`;
}

/**
 * Lambda's environment for a handler: region, function name, fake credentials, and endpoints that
 * point back at this server so the handler's own SDK calls land here. The server's own AWS_* settings
 * (profiles, real credentials) are not passed on: a handler under StratusDB must never reach AWS.
 */
export function lambdaEnvironment(
  def: TriggerDefinition, endpoint: string, inherited: Readonly<Record<string, string | undefined>>, extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(inherited)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_REGION: def.region,
    AWS_DEFAULT_REGION: def.region,
    AWS_LAMBDA_FUNCTION_NAME: def.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memorySizeMb,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `stratusdb/[$LATEST]${def.name}`,
    AWS_ACCESS_KEY_ID: 'AKIASTRATUSDBLOCAL00',
    AWS_SECRET_ACCESS_KEY: 'stratusdb-local-secret',
    AWS_SESSION_TOKEN: 'stratusdb-local-session',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoint,
  }, extra, def.environment);
  // A trigger given a key of its own (to sign as a user under --auth sigv4 | iam) signs without the placeholder token.
  if (def.environment['AWS_ACCESS_KEY_ID'] !== undefined && def.environment['AWS_SESSION_TOKEN'] === undefined) delete env['AWS_SESSION_TOKEN'];
  return env;
}
