// The serialize stage: a structured result to DynamoDB's JSON body, once. Stored items and stream
// records (RawJson) are spliced in as they are, never parsed and re-encoded; members left undefined
// are omitted, as DynamoDB omits absent members. An array's elements are all RawJson or none are.
// Exceptions become `{"__type":…,"message":…}` (`"Message"` for the few AWS spells so).
import { RawJson, type ReplyBody } from '../api/operation.js';
import type { DynamoDbError } from '../errors/errors.js';

export function serializeReply(body: ReplyBody): string {
  let out = '{';
  for (const name in body) {
    const value = body[name];
    if (value === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(name)}:${serializeValue(value)}`;
  }
  return `${out}}`;
}

function serializeValue(value: unknown): string {
  if (value instanceof RawJson) return value.json;
  if (Array.isArray(value) && value.length > 0 && value[0] instanceof RawJson) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (i > 0) out += ',';
      out += element instanceof RawJson ? element.json : JSON.stringify(element);
    }
    return `${out}]`;
  }
  return JSON.stringify(value);
}

export function errorBody(error: DynamoDbError): string {
  const body: Record<string, unknown> = { __type: error.type };
  if (error.message !== '') body[error.messageKey] = error.message;
  return JSON.stringify({ ...body, ...error.extra });
}
