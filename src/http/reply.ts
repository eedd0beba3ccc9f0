// Writes a reply the way DynamoDB does: JSON body, x-amzn-RequestId, x-amz-crc32 of the body as
// sent, and DynamoDB's `Server: Server`.
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

/**
 * Headers go to writeHead as one flat array and the body as a string, so Node writes headers and
 * body in a single syscall without building a header object or a body Buffer first.
 */
export function send(res: ServerResponse, requestId: string, status: number, contentType: string, body: string): void {
  res.writeHead(status, [
    'x-amzn-RequestId', requestId,
    'Content-Type', contentType,
    'Content-Length', String(Buffer.byteLength(body, 'utf8')),
    'x-amz-crc32', String(crc32(body)),
    'Server', 'Server',
  ]);
  res.end(body, 'utf8');
}

/** A compressed reply: the checksum is of the compressed bytes, as DynamoDB computes it. */
export function sendEncoded(res: ServerResponse, requestId: string, status: number, contentType: string, body: Buffer, encoding: string): void {
  res.writeHead(status, [
    'x-amzn-RequestId', requestId,
    'Content-Type', contentType,
    'Content-Encoding', encoding,
    'Content-Length', String(body.length),
    'x-amz-crc32', String(crc32(body)),
    'Server', 'Server',
  ]);
  res.end(body);
}

/** A reply in another protocol (CloudWatch's CBOR or XML), with that protocol's headers. */
export function sendWith(res: ServerResponse, requestId: string, status: number, contentType: string, body: string | Uint8Array, headers: Readonly<Record<string, string>>): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, [
    'x-amzn-RequestId', requestId,
    'Content-Type', contentType,
    'Content-Length', String(bytes.length),
    ...Object.entries(headers).flat(),
    'Server', 'Server',
  ]);
  res.end(bytes);
}
