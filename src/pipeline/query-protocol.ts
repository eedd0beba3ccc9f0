// The AWS query protocol, as IAM and STS speak it (every SDK and the AWS CLI), and older AWS CLIs and
// SDKs to CloudWatch: a form body (Action, Version, members flattened as `Dimensions.member.1.Name=…`,
// timestamps in ISO 8601) read by the operation's shapes, and an XML answer
// (<OpResponse><OpResult>…</OpResult><ResponseMetadata>…), lists as <member> elements, timestamps in
// ISO 8601. Errors are <ErrorResponse> with the code the query protocol names. The form's Version
// names the service (CloudWatch's when it names none).
import type { ReplyBody } from '../api/operation.js';
import { resolveOperation } from '../api/registry.js';
import type { Members, Shape } from '../api/validate/shape.js';
import type { DynamoDbError } from '../errors/errors.js';

export const queryContentType = 'application/x-www-form-urlencoded';
export const xmlContentType = 'text/xml';

/** The services served in this protocol, by the API version a form names: their targets and XML namespaces. */
const services: Readonly<Record<string, { readonly target: string; readonly namespace: string }>> = {
  '2010-08-01': { target: 'GraniteServiceVersion20100801', namespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
  '2010-05-08': { target: 'AWSIdentityManagementV20100508', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  '2011-06-15': { target: 'AWSSecurityTokenServiceV20110615', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
};
const cloudWatch = services['2010-08-01'] as { readonly target: string; readonly namespace: string };
const namespaces = new Map(Object.values(services).map((s) => [s.target, s.namespace]));

/** The target a form names (its Action, of the service its Version names), or undefined when it names none served. */
export function queryTarget(body: Buffer): string | undefined {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  const version = form.get('Version');
  const target = `${(version === null ? cloudWatch : services[version] ?? cloudWatch).target}.${action ?? ''}`;
  return action !== null && resolveOperation(target) !== undefined ? target : undefined;
}

function namespaceOf(target: string | undefined): string {
  return (target === undefined ? undefined : namespaces.get(target)) ?? cloudWatch.namespace;
}

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

export function queryReply(target: string, operation: string, body: ReplyBody, requestId: string): string {
  return `<${operation}Response xmlns="${namespaceOf(target)}">\n  <${operation}Result>${elements(body)}</${operation}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`;
}

export function queryError(target: string | undefined, error: DynamoDbError, requestId: string): string {
  const { code, fault } = error.queryError;
  return `<ErrorResponse xmlns="${namespaceOf(target)}">\n  <Error>\n    <Type>${fault}</Type>\n    <Code>${escape(code)}</Code>\n    <Message>${escape(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

function elements(members: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const [name, value] of Object.entries(members)) {
    if (value !== undefined) out += `<${name}>${content(value)}</${name}>`;
  }
  return out;
}

function content(value: unknown): string {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((v) => `<member>${content(v)}</member>`).join('');
  if (typeof value === 'object' && value !== null) return elements(value as Record<string, unknown>);
  return escape(String(value));
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
