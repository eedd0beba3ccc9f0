// The stratusdb command's calls to a running server's DynamoDB API: JSON over HTTP, signed with
// SigV4 from the usual AWS environment variables (every key is accepted until authentication is on).
import { Signer } from './request-signer.js';

/** An error answer: DynamoDB's exception name and message. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** Why, without where: a ConnectionError's cause (the message names the endpoint too). */
    readonly reason = message,
  ) {
    super(message);
    this.name = type;
  }
}

export class ApiClient {
  private readonly signer: Signer;
  private readonly host: string;

  constructor(
    private readonly endpoint: string,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    this.signer = new Signer(env['AWS_ACCESS_KEY_ID'] ?? 'stratusdb', env['AWS_SECRET_ACCESS_KEY'] ?? 'stratusdb', region);
    this.host = new URL(endpoint).host;
  }

  /** Calls operation `name` (of DynamoDB, or of `target`) with `body`; the answer, or an ApiError. */
  async call<T>(name: string, body: unknown, target = 'DynamoDB_20120810'): Promise<T> {
    const text = JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(this.endpoint, { method: 'POST', headers: this.signer.sign(this.host, `${target}.${name}`, text), body: text });
    } catch (error) {
      throw this.unreachable(error);
    }
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) {
      const type = String(answer['__type'] ?? 'Error');
      throw new ApiError(type.slice(type.indexOf('#') + 1), String(answer['message'] ?? answer['Message'] ?? `HTTP ${res.status}`));
    }
    return answer as T;
  }

  /** GETs one of the server's own status pages (`path`), signed: the answer's JSON, or an ApiError. */
  async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}${path}`, { headers: this.signer.signGet(this.host, path) });
    } catch (error) {
      throw this.unreachable(error);
    }
    const text = await res.text();
    let answer: Record<string, unknown> = {};
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (a server of another kind): named by its status below
    }
    if (res.status !== 200) {
      const type = String(answer['__type'] ?? 'HttpError');
      throw new ApiError(type.slice(type.indexOf('#') + 1), String(answer['message'] ?? answer['Message'] ?? `HTTP ${res.status}`));
    }
    return answer as T;
  }

  /** The ConnectionError of a request that got no answer. */
  private unreachable(error: unknown): ApiError {
    const reason = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return new ApiError('ConnectionError', `cannot reach ${this.endpoint}: ${reason}`, reason);
  }
}
