// Signature Version 4, verified as AWS verifies it (--auth sigv4 | iam), in DynamoDB's order: the
// date's format, the date within 15 minutes of now (a presigned request: until its X-Amz-Expires
// too), Host among the signed headers, the algorithm, the credential scope's five elements, its
// region, service, terminator and day, the access key, the signature over the canonical request,
// and last the session token of temporary credentials. The signing key of a key, day, region and
// service is derived once and kept, so a request costs two hashes and one HMAC (two more hashes).
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { ExpiredTokenException, IncompleteSignatureException, InvalidSignatureException, UnrecognizedClientException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

const algorithm = 'AWS4-HMAC-SHA256';
const skewMs = 15 * 60_000;
/** The longest a presigned request may be valid (seven days). */
const presignedSecondsMax = 604_800;
const signingKeysMax = 10_000;

/** A request as it came over the wire: what the client signed. */
export interface SignedRequest {
  readonly method: string;
  /** The path as sent (without the query). */
  readonly path: string;
  /** The query string as sent, without '?' ('' when none). */
  readonly rawQuery: string;
  /** The headers as sent, in order, name then value (node's rawHeaders): a name may repeat, in any case. */
  readonly headers: readonly string[];
  /** The body as sent (before any Content-Encoding is undone). */
  readonly body: Uint8Array;
}

/** What the request says about its signature: from the Authorization header, or the query (presigned). */
export interface SignatureClaim {
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  /** X-Amz-Date, or the Date header's value when there is none (`httpDate`). */
  readonly date: string;
  readonly httpDate: boolean;
  /** Presigned: X-Amz-Expires in seconds (undefined: a header signature). */
  readonly expiresSeconds?: number;
  readonly presigned: boolean;
  readonly sessionToken?: string;
}

/** A key's secret, and for temporary credentials the token that must come with it and its expiry. */
export interface KeySecret {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiresMs?: number;
}

/** A credential scope's parts (keyid/day/region/service/aws4_request) and the problems of all but its day. */
interface Scope {
  readonly accessKeyId: string;
  readonly day: string;
  readonly region: string;
  readonly service: string;
  readonly problems: string;
  /** day/region/service/aws4_request, as the string to sign has it. */
  readonly scope: string;
  /** The scope's signing key, prepared (made on the first request, for the secret it was made from). */
  key?: PreparedKey;
}

export interface VerifiedSignature {
  readonly accessKeyId: string;
  readonly region: string;
}

/**
 * Checks `request`'s signature for `service` at `nowMs`; `secretOf` answers an access key's secret
 * (undefined: no such key). Throws DynamoDB's exception for the first check that fails.
 */
export class SignatureVerifier {
  private readonly scopes = new Map<string, Map<string, Scope>>();
  private scopeCount = 0;
  private readonly signedHeaderLists = new Map<string, SignedHeaders>();
  /**
   * The last X-Amz-Date read and what it came to (requests of one second share it), and the last
   * scope and SignedHeaders list: a client repeats them, and comparing with the last costs less
   * than finding them among all.
   */
  private lastDate: { readonly date: string; readonly at: number } | undefined;
  private lastScope: { readonly credential: string; readonly service: string; readonly scope: Scope } | undefined;
  private lastSigned: SignedHeaders | undefined;

  verify(request: SignedRequest, claim: SignatureClaim, service: string, nowMs: number, secretOf: (accessKeyId: string) => KeySecret | undefined): VerifiedSignature {
    const { date, at } = this.dateOf(claim);
    if (at < nowMs - skewMs) throw new InvalidSignatureException(messages.signatureExpired(date, basic(nowMs - skewMs), basic(nowMs)));
    if (at > nowMs + skewMs) throw new InvalidSignatureException(messages.signatureNotYetCurrent(date, basic(nowMs + skewMs), basic(nowMs)));
    if (claim.expiresSeconds !== undefined && at + claim.expiresSeconds * 1000 < nowMs) {
      throw new InvalidSignatureException(messages.presignedExpired(date, basic(nowMs - claim.expiresSeconds * 1000), basic(nowMs), claim.expiresSeconds));
    }
    const signed = this.signedHeadersOf(claim.signedHeaders);
    if (!signed.host) throw new InvalidSignatureException(messages.hostNotSigned);
    if (claim.algorithm !== algorithm) throw new IncompleteSignatureException(messages.unsupportedAlgorithm(claim.algorithm));
    const scope = this.scopeOf(claim.credential, service);
    const { accessKeyId, day, region } = scope;
    const problems = scope.problems + (day !== date.slice(0, 8) ? messages.scopeDate(day, date.slice(0, 8), date) : '');
    if (problems !== '') throw new InvalidSignatureException(problems.trimEnd());
    const secret = secretOf(accessKeyId);
    if (secret === undefined) throw new UnrecognizedClientException(messages.unknownAccessKey);
    const canonical = canonicalRequest(request, signed, claim.presigned);
    const stringToSign = `${algorithm}\n${date}\n${scope.scope}\n${sha256Hex(canonical)}`;
    const expected = hmacHex(signingKeyOf(scope, secret.secretAccessKey), stringToSign);
    if (!sameHex(claim.signature, expected)) throw new InvalidSignatureException(messages.signatureMismatch(canonical, stringToSign));
    if (secret.sessionToken !== undefined || claim.sessionToken !== undefined) {
      if (secret.sessionToken !== claim.sessionToken) throw new UnrecognizedClientException(messages.invalidSessionToken);
      if (secret.expiresMs !== undefined && secret.expiresMs <= nowMs) throw new ExpiredTokenException(messages.expiredSessionToken);
    }
    return { accessKeyId, region };
  }

  /**
   * A credential's scope, its parts and what is wrong with them but the day (which depends on the
   * request's date): worked out once per credential and service, for a client sends the same one all day.
   */
  private scopeOf(credential: string, service: string): Scope {
    const last = this.lastScope;
    if (last !== undefined && last.credential === credential && last.service === service) return last.scope;
    let ofService = this.scopes.get(service);
    if (ofService === undefined) {
      ofService = new Map();
      this.scopes.set(service, ofService);
    }
    let scope = ofService.get(credential);
    if (scope === undefined) {
      const parts = credential.replace(/\/+$/, '').split('/');
      if (parts.length !== 5) throw new IncompleteSignatureException(messages.credentialElements(credential));
      const [accessKeyId, day, region, scopeService, terminator] = parts as [string, string, string, string, string];
      let problems = '';
      if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(region)) problems += messages.scopeRegion(region);
      if (scopeService !== service) problems += messages.scopeService(service);
      if (terminator !== 'aws4_request') problems += messages.scopeTerminator(terminator);
      scope = { accessKeyId, day, region, service: scopeService, problems, scope: `${day}/${region}/${scopeService}/aws4_request` };
      if (this.scopeCount >= signingKeysMax) {
        for (const map of this.scopes.values()) map.clear();
        this.scopeCount = 0;
      }
      ofService.set(credential, scope);
      this.scopeCount++;
    }
    this.lastScope = { credential, service, scope };
    return scope;
  }

  private dateOf(claim: SignatureClaim): { readonly date: string; readonly at: number } {
    const last = this.lastDate;
    if (!claim.httpDate && last !== undefined && last.date === claim.date) return last;
    const parsed = requestDate(claim);
    if (!claim.httpDate) this.lastDate = parsed;
    return parsed;
  }

  /** SignedHeaders parsed once per distinct list (a client sends the same one on every request). */
  private signedHeadersOf(list: string): SignedHeaders {
    const last = this.lastSigned;
    if (last !== undefined && last.list === list) return last;
    let parsed = this.signedHeaderLists.get(list);
    if (parsed === undefined) {
      const lower = list.split(';').map((name) => name.toLowerCase());
      parsed = { list, lower, host: lower.includes('host') };
      if (this.signedHeaderLists.size >= signingKeysMax) this.signedHeaderLists.clear();
      this.signedHeaderLists.set(list, parsed);
    }
    this.lastSigned = parsed;
    return parsed;
  }
}

/** A scope's signing key, prepared; made again when the key's secret is not the one it was made from. */
function signingKeyOf(scope: Scope, secret: string): PreparedKey {
  const cached = scope.key;
  if (cached !== undefined && cached.secret === secret) return cached;
  const prepared = prepareKey(secret, signingKey(secret, scope.day, scope.region, scope.service));
  scope.key = prepared;
  return prepared;
}

/** A request's SignedHeaders: as sent (the canonical request repeats it), in lower case, and whether Host is among them. */
interface SignedHeaders {
  readonly list: string;
  readonly lower: readonly string[];
  readonly host: boolean;
}

/**
 * A signing key ready for HMAC-SHA256 computed as RFC 2104 defines it, by two one-shot hashes: the
 * key XOR ipad with room after it for the string to sign, and the key XOR opad with room for the
 * inner digest. No HMAC object per request (each is a stream and a native handle to collect).
 */
interface PreparedKey {
  readonly secret: string;
  readonly inner: Buffer;
  readonly outer: Buffer;
}

const hmacBlockBytes = 64;
/** Room for a string to sign: its parts are checked before it is made, so it is under 200 ASCII characters. */
const stringToSignRoom = 512;

function prepareKey(secret: string, key: Buffer): PreparedKey {
  const inner = Buffer.alloc(hmacBlockBytes + stringToSignRoom);
  const outer = Buffer.alloc(hmacBlockBytes + 32);
  for (let i = 0; i < hmacBlockBytes; i++) {
    const byte = i < key.length ? (key[i] as number) : 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  return { secret, inner, outer };
}

/** HMAC-SHA256 of an ASCII `message` under a prepared key, in lower-case hex. */
function hmacHex(key: PreparedKey, message: string): string {
  if (message.length > stringToSignRoom) return createHmac('sha256', key.inner.subarray(0, hmacBlockBytes).map((b) => b ^ 0x36)).update(message).digest('hex');
  const length = key.inner.write(message, hmacBlockBytes, 'latin1');
  key.outer.write(hash('sha256', key.inner.subarray(0, hmacBlockBytes + length), 'hex'), hmacBlockBytes, 'hex');
  return hash('sha256', key.outer, 'hex');
}

/**
 * Whether a given signature is the expected one (lower-case hex), compared in time that does not
 * depend on where they differ; upper-case hex digits are the same digits.
 */
function sameHex(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a request of `day`, `region` and `service` is signed with. */
export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const dateKey = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  return createHmac('sha256', serviceKey).update('aws4_request').digest();
}

/** The request's date in ISO 8601 basic format and as epoch ms, or the exception for one that is not. */
function requestDate(claim: SignatureClaim): { readonly date: string; readonly at: number } {
  const text = claim.date;
  if (claim.httpDate) {
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) throw new IncompleteSignatureException(messages.dateFormat(text));
    return { date: basic(ms), at: Math.floor(ms / 1000) * 1000 };
  }
  if (!/^\d{8}T\d{6}Z$/.test(text)) throw new IncompleteSignatureException(messages.dateFormat(text));
  const [year, month, day, hour, minute, second] = [+text.slice(0, 4), +text.slice(4, 6), +text.slice(6, 8), +text.slice(9, 11), +text.slice(11, 13), +text.slice(13, 15)];
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  // A date that does not exist (month 13, February 30th) would come back as another day.
  const back = new Date(at);
  if (back.getUTCDate() !== day || back.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) throw new IncompleteSignatureException(messages.dateFormat(text));
  return { date: text, at };
}

function basic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The canonical request SigV4 signs (a presigned request's query without its signature). */
function canonicalRequest(request: SignedRequest, signed: SignedHeaders, presigned: boolean): string {
  const raw = request.headers;
  let headers = '';
  for (const lower of signed.lower) {
    let values = '';
    let first = true;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!sameName(raw[i] as string, lower)) continue;
      const trimmed = (raw[i + 1] as string).trim();
      values += `${first ? '' : ','}${spacesToCollapse.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed}`;
      first = false;
    }
    headers += `${lower}:${values}\n`;
  }
  let declared: string | undefined;
  for (let i = 0; i + 1 < raw.length && declared === undefined; i += 2) if (sameName(raw[i] as string, 'x-amz-content-sha256')) declared = raw[i + 1];
  const payload = declared === 'UNSIGNED-PAYLOAD' ? declared : sha256Hex(request.body);
  return `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery(request.rawQuery, presigned)}\n${headers}\n${signed.list}\n${payload}`;
}

/** Whether a header's name as sent is `lower` (header names compare without case). */
function sameName(name: string, lower: string): boolean {
  return name === lower || (name.length === lower.length && name.toLowerCase() === lower);
}

/** A value with whitespace that is not one space between words: runs of it become one space. */
const spacesToCollapse = /\s\s|[^\S ]/;

/** The path's segments normalised ('.' and '..' resolved, empty ones dropped) and encoded once more, as AWS's services other than S3 sign it. */
function canonicalPath(path: string): string {
  if (path === '/') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const joined = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(joined).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const key = decode(at < 0 ? part : part.slice(0, at));
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(key), uriEncode(decode(at < 0 ? '' : part.slice(at + 1)))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** RFC 3986 encoding: everything but unreserved characters. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** X-Amz-Expires of a presigned request: a whole number of seconds up to seven days, or the text AWS gives. */
export function presignedSeconds(text: string): number | string {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > presignedSecondsMax) return `X-Amz-Expires must be a whole number of seconds from 1 to ${presignedSecondsMax}, got '${text}'.`;
  return n;
}
