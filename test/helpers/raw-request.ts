// Sends hand-made HTTP requests, for inputs no SDK would produce (wrong JSON types, bad envelopes).
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body's bytes as they came (compressed, when the server compressed them). */
  readonly bytes: Buffer;
  json(): Record<string, unknown>;
}

/** A structurally valid SigV4 Authorization header for region us-east-1 (not checked cryptographically yet). */
export const authHeaders = {
  Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20261121/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc',
  'X-Amz-Date': '20261121T000000Z',
};

export function rawRequest(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    // Node's client sends a DELETE's body with neither Content-Length nor chunked framing: say the length
    // (a POST's goes chunked, so a server can answer an oversized one before it has all arrived).
    const method = options.method ?? 'POST';
    const length = options.body === undefined || method === 'POST' ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) };
    const req = request(url, { method, headers: { ...length, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const body = bytes.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytes, json: () => JSON.parse(body) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** POSTs a DynamoDB operation with a raw JSON body. */
export function callRaw(endpoint: string, operation: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(endpoint, {
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${operation}`, ...authHeaders, ...headers },
    body,
  });
}
