// Servers with authentication on (--auth sigv4 | iam) and the clients that talk to them: the root's
// credentials (given in the environment, as a deployment would), IAM and STS clients, users made with
// a policy of their own, and requests signed by the SDK's own signer (@smithy/signature-v4) that a
// test may then alter before sending them raw.
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand, type IAMClientConfig } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const root: Credentials = { accessKeyId: 'AKIAROOTFORTESTS0001', secretAccessKey: 'root-secret-for-tests' };

/** A server verifying signatures; `dataDir` to start one again on the same data, `rootSecret` to start it with another root secret. */
export function startAuthServer(mode: 'sigv4' | 'iam', args: readonly string[] = [], options: { dataDir?: string; rootSecret?: string } = {}): Promise<ServerProcess> {
  return startServerProcess({
    args: ['--auth', mode, ...args], ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    env: { STRATUSDB_ROOT_ACCESS_KEY_ID: root.accessKeyId, STRATUSDB_ROOT_SECRET_ACCESS_KEY: options.rootSecret ?? root.secretAccessKey },
  });
}

const made: { destroy(): void }[] = [];

/** Every client made here is closed (an after hook's job). */
export function destroyClients(): void {
  for (const c of made.splice(0)) c.destroy();
}

export function dynamo(server: ServerProcess, credentials: Credentials = root, region = 'us-east-1'): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
  made.push(client);
  return client;
}

/** `config`: more of the client's configuration (an HTTPS agent). */
export function iam(server: ServerProcess, credentials: Credentials = root, config: Partial<IAMClientConfig> = {}): IAMClient {
  const client = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...config });
  made.push(client);
  return client;
}

export function sts(server: ServerProcess, credentials: Credentials = root): STSClient {
  const client = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  made.push(client);
  return client;
}

export interface TestUser extends Credentials {
  readonly userName: string;
  readonly userId: string;
}

/** A user with an access key and (when given) one inline policy. */
export async function newUser(server: ServerProcess, userName: string, policy?: unknown, config: Partial<IAMClientConfig> = {}): Promise<TestUser> {
  const client = iam(server, root, config);
  const user = await client.send(new CreateUserCommand({ UserName: userName }));
  if (policy !== undefined) await client.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'test', PolicyDocument: JSON.stringify(policy) }));
  const key = (await client.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey;
  return { userName, userId: user.User?.UserId as string, accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
}

/** Node's crypto as the signer's hash. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array => (typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
export class Sha256 {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

/** A DynamoDB request as a client sends it: method, path, headers (a name may repeat) and body. */
export interface RawRequest {
  readonly path: string;
  readonly headers: [string, string][];
  readonly body: string;
}

/** A DynamoDB call signed by the SDK's signer (header signature, or presigned with `expiresIn`). */
export async function signed(server: ServerProcess, operation: string, body: unknown, options: { credentials?: Credentials; region?: string; service?: string; date?: Date; presignSeconds?: number } = {}): Promise<RawRequest> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: options.service ?? 'dynamodb', region: options.region ?? 'us-east-1', credentials: options.credentials ?? root, sha256: Sha256 });
  const text = JSON.stringify(body);
  const request = {
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`, 'x-amz-user-agent': 'stratusdb-tests' },
    body: text,
  };
  const date = options.date ?? new Date();
  if (options.presignSeconds !== undefined) {
    const presigned = await signer.presign(request, { signingDate: date, expiresIn: options.presignSeconds, unhoistableHeaders: new Set(['x-amz-target']) });
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    return { path: `/?${query}`, headers: Object.entries(presigned.headers), body: text };
  }
  const done = await signer.sign(request, { signingDate: date });
  return { path: '/', headers: Object.entries(done.headers), body: text };
}

/** Sends a raw request; answers its status and parsed JSON body. */
export function send(server: ServerProcess, raw: RawRequest): Promise<{ status: number; body: { __type?: string; message?: string; Message?: string } & Record<string, unknown> }> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: raw.path, headers: raw.headers.flat(), setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** The exception a raw request's answer names: its type after '#', and its message. */
export function exception(body: { __type?: string; message?: string; Message?: string }): { name: string | undefined; message: string | undefined } {
  return { name: body.__type?.split('#')[1], message: body.message ?? body.Message };
}
