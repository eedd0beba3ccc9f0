// A webhook handler: each event is POSTed to the URL. A 2xx answer is a success (its JSON body is the
// function's response, so a partial batch response works too); any other status, a refused
// connection or no answer within the timeout is a function error.
import { timedOut, type FunctionContext, type InvocationOutcome, type InvocationRequest, type Invoker } from './invoker.js';

/** How much of an error answer's body goes into the error message. */
const errorBodyCharsMax = 500;

export class WebhookInvoker implements Invoker {
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly fn: FunctionContext, private readonly url: string) {}

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const abort = new AbortController();
    this.inFlight.add(abort);
    const deadline = Date.now() + request.timeoutMs;
    const timer = setTimeout(() => abort.abort(), request.timeoutMs);
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        body: request.payload,
        signal: abort.signal,
        headers: {
          'Content-Type': 'application/json',
          'Lambda-Runtime-Aws-Request-Id': request.requestId,
          'Lambda-Runtime-Deadline-Ms': String(deadline),
          'Lambda-Runtime-Invoked-Function-Arn': this.fn.arn,
        },
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        return { ok: false, errorType: 'Webhook.HttpError', errorMessage: `HTTP ${res.status}: ${text.slice(0, errorBodyCharsMax)}` };
      }
      try {
        return { ok: true, response: text.trim() === '' ? null : (JSON.parse(text) as unknown) };
      } catch {
        return { ok: true, response: text };
      }
    } catch (error) {
      if (abort.signal.aborted) return timedOut(this.fn.timeoutSeconds);
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return { ok: false, errorType: 'Webhook.RequestError', errorMessage: cause ?? (error as Error).message };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(abort);
    }
  }

  async close(): Promise<void> {
    for (const abort of this.inFlight) abort.abort();
  }
}
