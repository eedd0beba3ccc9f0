// A request body as JSON, refused as DynamoDB's parser refuses what it cannot read: bytes that are not
// UTF-8, text that is not JSON, and strings that are not Unicode (a lone surrogate such as "\ud83d"
// would otherwise become U+FFFD on the way to UTF-8, and two different keys one). Nesting beyond any
// legal request is refused before JSON.parse spends seconds on it.
import { SerializationException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

/** Bodies above this size are scanned for their nesting depth before they are parsed. */
const scannedBodyBytesMin = 1024 * 1024;
/**
 * No legal request nests near this deep (attribute values stop at 32 levels, two JSON levels each);
 * parsing 16 MB of brackets nested this deep takes V8 milliseconds, not seconds.
 */
const jsonDepthMax = 10_000;

/** An escaped UTF-16 surrogate in JSON text: only then can a parsed string hold a lone one. */
const escapedSurrogate = /\\u[dD][89a-fA-F]/;

/** Decodes and validates UTF-8 in one pass; a byte order mark stays in the text (JSON.parse refuses it, as DynamoDB does). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseRequestJson(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new SerializationException('');
  }
  if (body.length >= scannedBodyBytesMin && jsonDepth(body) > jsonDepthMax) throw new ValidationException(messages.nestingTooDeep);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SerializationException('');
  }
  // The cheap test first: most bodies have no escape sequence at all.
  if (text.includes('\\u') && escapedSurrogate.test(text) && !wellFormed(parsed)) throw new SerializationException('');
  return parsed;
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
function jsonDepth(body: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Every string in the value, member names included, is well-formed UTF-16. Walks without recursion. */
function wellFormed(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!next.isWellFormed()) return false;
    } else if (Array.isArray(next)) {
      for (const element of next) pending.push(element);
    } else if (next !== null && typeof next === 'object') {
      for (const [name, member] of Object.entries(next)) {
        if (!name.isWellFormed()) return false;
        pending.push(member);
      }
    }
  }
  return true;
}
