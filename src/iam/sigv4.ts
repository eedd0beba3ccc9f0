// Signature Version 4, verified as AWS verifies it (--auth sigv4 | iam), in DynamoDB's order: the
// date's format, the date within 15 minutes of now (a presigned request: until its X-Amz-Expires
// too), Host among the signed headers, the algorithm, the credential scope's five elements, its
// region, service, terminator and day, the access key, the signature over the canonical request,
// and last the session token of temporary credentials. The signing key of a key, day, region and
// service is derived once and kept, so a request costs two hashes and one HMAC.
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
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
  /** Header names in lower case and their values as sent, in order; a name may repeat. */
  readonly headers: readonly (readonly [string, string])[];
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
  private readonly signingKeys = new Map<string, { readonly secret: string; readonly key: KeyObject }>();
  private readonly scopes = new Map<string, Scope>();
  /** The last X-Amz-Date read, and what it came to (requests of one second share it). */
  private lastDate: { readonly text: string; readonly at: number } | undefined;

  verify(request: SignedRequest, claim: SignatureClaim, service: string, nowMs: number, secretOf: (accessKeyId: string) => KeySecret | undefined): VerifiedSignature {
    const { date, at } = this.dateOf(claim);
    if (at < nowMs - skewMs) throw new InvalidSignatureException(messages.signatureExpired(date, basic(nowMs - skewMs), basic(nowMs)));
    if (at > nowMs + skewMs) throw new InvalidSignatureException(messages.signatureNotYetCurrent(date, basic(nowMs + skewMs), basic(nowMs)));
    if (claim.expiresSeconds !== undefined && at + claim.expiresSeconds * 1000 < nowMs) {
      throw new InvalidSignatureException(messages.presignedExpired(date, basic(nowMs - claim.expiresSeconds * 1000), basic(nowMs), claim.expiresSeconds));
    }
    const signed = claim.signedHeaders.split(';');
    if (!signed.some((name) => name.toLowerCase() === 'host')) throw new InvalidSignatureException(messages.hostNotSigned);
    if (claim.algorithm !== algorithm) throw new IncompleteSignatureException(messages.unsupportedAlgorithm(claim.algorithm));
    const { accessKeyId, day, region, service: scopeService, problems: scopeProblems, scope } = this.scopeOf(claim.credential, service);
    const problems = scopeProblems + (day !== date.slice(0, 8) ? messages.scopeDate(day, date.slice(0, 8), date) : '');
    if (problems !== '') throw new InvalidSignatureException(problems.trimEnd());
    const secret = secretOf(accessKeyId);
    if (secret === undefined) throw new UnrecognizedClientException(messages.unknownAccessKey);
    const canonical = canonicalRequest(request, signed, claim.presigned);
    const stringToSign = `${algorithm}\n${date}\n${scope}\n${sha256Hex(canonical)}`;
    const expected = createHmac('sha256', this.signingKey(accessKeyId, secret.secretAccessKey, day, region, scopeService)).update(stringToSign).digest();
    // 64 characters that decode to 32 bytes are all hex digits.
    const given = Buffer.from(claim.signature, 'hex');
    if (claim.signature.length !== 2 * expected.length || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidSignatureException(messages.signatureMismatch(canonical, stringToSign));
    }
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
    const id = `${service} ${credential}`;
    let scope = this.scopes.get(id);
    if (scope === undefined) {
      const parts = credential.replace(/\/+$/, '').split('/');
      if (parts.length !== 5) throw new IncompleteSignatureException(messages.credentialElements(credential));
      const [accessKeyId, day, region, scopeService, terminator] = parts as [string, string, string, string, string];
      let problems = '';
      if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(region)) problems += messages.scopeRegion(region);
      if (scopeService !== service) problems += messages.scopeService(service);
      if (terminator !== 'aws4_request') problems += messages.scopeTerminator(terminator);
      scope = { accessKeyId, day, region, service: scopeService, problems, scope: `${day}/${region}/${scopeService}/aws4_request` };
      if (this.scopes.size >= signingKeysMax) this.scopes.clear();
      this.scopes.set(id, scope);
    }
    return scope;
  }

  private dateOf(claim: SignatureClaim): { readonly date: string; readonly at: number } {
    const last = this.lastDate;
    if (!claim.httpDate && last !== undefined && last.text === claim.date) return { date: last.text, at: last.at };
    const parsed = requestDate(claim);
    if (!claim.httpDate) this.lastDate = { text: parsed.date, at: parsed.at };
    return parsed;
  }

  /** The signing key as a key object: HMAC then takes it as it is, without preparing a key each time. */
  private signingKey(accessKeyId: string, secret: string, day: string, region: string, service: string): KeyObject {
    const id = `${accessKeyId}/${day}/${region}/${service}`;
    const cached = this.signingKeys.get(id);
    if (cached !== undefined && cached.secret === secret) return cached.key;
    if (this.signingKeys.size >= signingKeysMax) this.signingKeys.clear();
    const key = createSecretKey(signingKey(secret, day, region, service));
    this.signingKeys.set(id, { secret, key });
    return key;
  }
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
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[], presigned: boolean): string {
  let headers = '';
  for (const name of signedHeaders) {
    const lower = name.toLowerCase();
    let values = '';
    let first = true;
    for (const [n, v] of request.headers) {
      if (n !== lower) continue;
      values += `${first ? '' : ','}${v.trim().replace(/\s+/g, ' ')}`;
      first = false;
    }
    headers += `${lower}:${values}\n`;
  }
  const declared = request.headers.find(([n]) => n === 'x-amz-content-sha256')?.[1];
  const payload = declared === 'UNSIGNED-PAYLOAD' ? declared : sha256Hex(request.body);
  return `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery(request.rawQuery, presigned)}\n${headers}\n${signedHeaders.join(';')}\n${payload}`;
}

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
  return hash('sha256', typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), 'hex');
}

/** X-Amz-Expires of a presigned request: a whole number of seconds up to seven days, or the text AWS gives. */
export function presignedSeconds(text: string): number | string {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > presignedSecondsMax) return `X-Amz-Expires must be a whole number of seconds from 1 to ${presignedSecondsMax}, got '${text}'.`;
  return n;
}
