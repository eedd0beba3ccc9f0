// Smithy's RPC v2 CBOR protocol, as newer AWS CLIs speak it to CloudWatch: POST
// /service/<service>/operation/<operation>, a CBOR body each way, timestamps as tag 1 (epoch seconds),
// `smithy-protocol: rpc-v2-cbor` on the answer. An error is a map of `__type` and `message`, its
// query-protocol code in the x-amzn-query-error header (CloudWatch is query-compatible).
import { decode, encode } from 'cbor2';
import type { ReplyBody } from '../api/operation.js';
import { SerializationException, type DynamoDbError } from '../errors/errors.js';

export const cborContentType = 'application/cbor';
export const cborHeaders: Readonly<Record<string, string>> = { 'smithy-protocol': 'rpc-v2-cbor' };

/** The body as the JSON protocol would have carried it (timestamps as epoch seconds); an empty body is an empty input. */
export function decodeCbor(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return datesToSeconds(decode(body));
  } catch {
    // Not CBOR, or nested past what a request holds.
    throw new SerializationException('');
  }
}

function datesToSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(datesToSeconds);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), datesToSeconds(v)]));
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesToSeconds(v)]));
  }
  return value;
}

/** A result's members (undefined ones left out; Dates become tag 1). */
export function cborReply(body: ReplyBody): Uint8Array {
  // Every number CloudWatch answers is a double: written as a float, as its service writes it.
  return encode(withoutUndefined(body), { avoidInts: true });
}

export function cborError(error: DynamoDbError): Uint8Array {
  return encode({ __type: error.type, ...(error.message === '' ? {} : { message: error.message }), ...error.extra });
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
  }
  return value;
}
