// The OpenID Connect ID tokens AssumeRoleWithWebIdentity takes: a JSON Web Token (header, claims and
// signature, each base64url) read without trusting it, then its signature checked against the
// issuer's JSON Web Key Set — RS256/384/512, PS256/384/512 and ES256/384/512, as identity providers
// sign ID tokens — and its claims made into the policy variables a role session's policies may name
// (`${issuer:sub}`, `${issuer:aud}`, …).
import { createPublicKey, verify, constants, type JsonWebKey } from 'node:crypto';

export interface WebIdentityToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** `header.claims` as sent: what the signature covers. */
  readonly signed: string;
  readonly signature: Buffer;
}

/** The token's three parts decoded, or undefined when it is no JWT (two dots, JSON objects, a signature). */
export function readWebIdentityToken(text: string): WebIdentityToken | undefined {
  const parts = text.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  const header = jsonObject(head);
  const claims = jsonObject(body);
  if (header === undefined || claims === undefined || signature === '') return undefined;
  return { header, claims, signed: `${head}.${body}`, signature: Buffer.from(signature, 'base64url') };
}

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const digests: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** Whether one of `keys` (the issuer's key set; the one the header's kid names, when it names one) signed the token. */
export function signedByOneOf(token: WebIdentityToken, keys: readonly JsonWebKey[]): boolean {
  const algorithm = typeof token.header['alg'] === 'string' ? token.header['alg'] : '';
  const match = /^(RS|PS|ES)(256|384|512)$/.exec(algorithm);
  if (match === null) return false;
  const family = match[1] as 'RS' | 'PS' | 'ES';
  const bits = match[2] as string;
  const kid = token.header['kid'];
  const candidates = keys.filter((k) => (kid === undefined || k['kid'] === kid) && k.kty === (family === 'ES' ? 'EC' : 'RSA'));
  for (const jwk of candidates) {
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      const options = family === 'PS' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : family === 'ES' ? { key, dsaEncoding: 'ieee-p1363' as const } : { key };
      if (verify(digests[bits] as string, Buffer.from(token.signed), options, token.signature)) return true;
    } catch {
      // A key that cannot be read or used: the next.
    }
  }
  return false;
}

/** A claim's values as text: a string's, a list's strings (aud, amr), a number's digits. */
export function claimValues(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = claims[name];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The condition keys and policy variables a token's session carries, by the provider's name
 * (`host/path` of the issuer): `:aud` (the authorized party when the token names one, else its
 * audience), `:oaud` (the audience when an authorized party is named), `:sub` and `:amr`, and
 * `aws:FederatedProvider`. Names in lower case, as conditions look keys up.
 */
export function webIdentityKeys(provider: string, claims: Readonly<Record<string, unknown>>): Record<string, string[]> {
  const prefix = provider.toLowerCase();
  const azp = claimValues(claims, 'azp');
  const aud = claimValues(claims, 'aud');
  const keys: Record<string, string[]> = { [`${prefix}:aud`]: azp.length > 0 ? azp : aud, [`${prefix}:sub`]: claimValues(claims, 'sub') };
  if (azp.length > 0) keys[`${prefix}:oaud`] = aud;
  const amr = claimValues(claims, 'amr');
  if (amr.length > 0) keys[`${prefix}:amr`] = amr;
  return keys;
}
