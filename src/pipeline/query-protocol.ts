// The AWS query protocol, as older AWS CLIs and SDKs speak it to CloudWatch: a form body (Action,
// Version, members flattened as `Dimensions.member.1.Name=…`, timestamps in ISO 8601) read by the
// operation's shapes, and an XML answer (<OpResponse><OpResult>…</OpResult><ResponseMetadata>…),
// lists as <member> elements, timestamps in ISO 8601. Errors are <ErrorResponse> with the code the
// query protocol names.
import type { ReplyBody } from '../api/operation.js';
import { resolveOperation } from '../api/registry.js';
import type { Members, Shape } from '../api/validate/shape.js';
import type { DynamoDbError } from '../errors/errors.js';

export const queryContentType = 'application/x-www-form-urlencoded';
export const xmlContentType = 'text/xml';
const xmlNamespace = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** The target a form names (its Action, of the one service served in this protocol), or undefined when it names none served. */
export function queryTarget(body: Buffer): string | undefined {
  const action = new URLSearchParams(body.toString('utf8')).get('Action');
  const target = `${queryService}.${action ?? ''}`;
  return action !== null && resolveOperation(target) !== undefined ? target : undefined;
}

/** The one service the endpoint serves in the query protocol (older AWS CLIs' and SDKs' CloudWatch). */
const queryService = 'GraniteServiceVersion20100801';

/** The form's members as the JSON protocol would carry them, by the operation's shapes. */
export function decodeQuery(body: Buffer, members: Members): unknown {
  const form = new URLSearchParams(body.toString('utf8'));
  const names = [...form.keys()];
  return structure(form, names, members, '');
}

function structure(form: URLSearchParams, names: readonly string[], members: Members, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, shape] of members) {
    const value = member(form, names, shape, `${prefix}${name}`);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function member(form: URLSearchParams, names: readonly string[], shape: Shape, key: string): unknown {
  switch (shape.kind) {
    case 'structure':
      return names.some((n) => n.startsWith(`${key}.`)) ? structure(form, names, shape.members, `${key}.`) : undefined;
    case 'list': {
      // An empty list is sent as the bare key with no value.
      if (form.get(key) === '') return [];
      const indexes = new Set<number>();
      const pattern = `${key}.member.`;
      for (const n of names) {
        if (!n.startsWith(pattern)) continue;
        const index = Number.parseInt(n.slice(pattern.length), 10);
        if (Number.isSafeInteger(index) && index > 0) indexes.add(index);
      }
      if (indexes.size === 0) return undefined;
      return [...indexes].sort((a, b) => a - b).map((i) => member(form, names, shape.member, `${pattern}${i}`));
    }
    default: {
      const text = form.get(key);
      if (text === null) return undefined;
      return scalar(text, shape);
    }
  }
}

/** A scalar's text as its type; text that is not of the type stays text (the operation refuses it). */
function scalar(text: string, shape: Shape): unknown {
  switch (shape.kind) {
    case 'integer':
    case 'long':
    case 'double': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      return Number.isFinite(ms) ? ms / 1000 : text;
    }
    default:
      return text;
  }
}

export function queryReply(operation: string, body: ReplyBody, requestId: string): string {
  return `<${operation}Response xmlns="${xmlNamespace}">\n  <${operation}Result>${elements(body)}</${operation}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`;
}

export function queryError(error: DynamoDbError, requestId: string): string {
  const { code, fault } = error.queryError;
  return `<ErrorResponse xmlns="${xmlNamespace}">\n  <Error>\n    <Type>${fault}</Type>\n    <Code>${escape(code)}</Code>\n    <Message>${escape(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

function elements(members: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const [name, value] of Object.entries(members)) {
    if (value !== undefined) out += `<${name}>${content(value)}</${name}>`;
  }
  return out;
}

function content(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${content(v)}</member>`).join('');
  if (typeof value === 'object' && value !== null) return elements(value as Record<string, unknown>);
  return escape(String(value));
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
