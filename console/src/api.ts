// The console's one way to the server: the same API every SDK calls, on the same origin, each request
// signed with SigV4 (aws4fetch) by the credentials the user signed in with — or, while the server
// asks for none (--auth none), by placeholder ones, since DynamoDB's API needs a signature's shape.
import { AwsClient } from 'aws4fetch';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
}

/** What an unauthenticated server accepts (any key works with --auth none). */
export const placeholderCredentials = (region: string): Credentials => ({ accessKeyId: 'console', secretAccessKey: 'console', region });

/** An exception the server answered: its type (without the namespace) and message, as DynamoDB wrote them. */
export class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const targets = {
  dynamodb: { prefix: 'DynamoDB_20120810', service: 'dynamodb' },
  streams: { prefix: 'DynamoDBStreams_20120810', service: 'dynamodb' },
  cloudwatch: { prefix: 'GraniteServiceVersion20100801', service: 'monitoring' },
  stratusdb: { prefix: 'StratusDB_20261207', service: 'dynamodb' },
  iam: { prefix: 'AWSIdentityManagementV20100508', service: 'iam' },
} as const;
export type Service = keyof typeof targets;

export class Api {
  private readonly clients = new Map<string, AwsClient>();

  constructor(readonly credentials: Credentials) {}

  private client(service: string): AwsClient {
    let client = this.clients.get(service);
    if (client === undefined) {
      const c = this.credentials;
      client = new AwsClient({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, region: c.region, service, ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }) });
      this.clients.set(service, client);
    }
    return client;
  }

  /** One operation of `service`: its output, or an ApiError. */
  async call<T = JsonObject>(service: Service, operation: string, input: object): Promise<T> {
    const target = targets[service];
    const response = await this.client(target.service).fetch(`${location.origin}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `${target.prefix}.${operation}` },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    const body = parseBody(text, response.ok);
    if (!response.ok) {
      const type = String(body['__type'] ?? 'UnknownError').replace(/^.*#/, '');
      const message = String(body['message'] ?? body['Message'] ?? response.statusText);
      throw new ApiError(type, message, response.status);
    }
    return body as T;
  }

  dynamodb<T = JsonObject>(operation: string, input: object = {}): Promise<T> {
    return this.call<T>('dynamodb', operation, input);
  }

  /**
   * A GET page of the server's own (trigger status, counters), signed like the API's calls: while
   * the server verifies requests it answers only a caller IAM allows (an ApiError otherwise).
   */
  async status<T>(path: string): Promise<T> {
    const response = await this.client('dynamodb').fetch(`${location.origin}${path}`, { method: 'GET' });
    const text = await response.text();
    const body = parseBody(text, response.ok);
    if (!response.ok) throw new ApiError(String(body['__type'] ?? 'HttpError').replace(/^.*#/, ''), String(body['message'] ?? body['Message'] ?? `${path}: HTTP ${response.status}`), response.status);
    return body as T;
  }
}

/** A JSON answer; an error answered in another form (a 413's empty body, a 404's XML) keeps its text as the message. */
function parseBody(text: string, ok: boolean): JsonObject {
  if (text === '') return {};
  try {
    return JSON.parse(text) as JsonObject;
  } catch (error) {
    if (ok) throw error;
    return { message: text };
  }
}

/** A message for any failure: an API error as "Type: message", anything else its text. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.type}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
