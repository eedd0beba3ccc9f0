// Serialises replies the way DynamoDB does: JSON body, x-amzn-RequestId, x-amz-crc32 of the body.
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { DynamoDbError } from '../api/errors.js';

export function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    'x-amz-crc32': String(crc32(bytes)),
  });
  res.end(bytes);
}

export function errorBody(error: DynamoDbError): string {
  const body: Record<string, unknown> = { __type: error.type };
  if (error.message !== '') body['message'] = error.message;
  return JSON.stringify({ ...body, ...error.extra });
}
