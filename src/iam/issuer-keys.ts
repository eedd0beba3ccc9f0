// The signing keys of OpenID Connect issuers, as AWS finds them: the issuer's discovery document
// (`ISSUER/.well-known/openid-configuration`) names its `jwks_uri`, which holds the key set. Fetched
// over HTTPS, trusted as node trusts a server (its CA store, and NODE_EXTRA_CA_CERTS for a local
// identity provider's own certificate), kept ten minutes, fetched again at once when a token names
// a key the kept set lacks (the issuer rotated its keys).
import type { JsonWebKey } from 'node:crypto';

const keptMs = 10 * 60_000;
const fetchTimeoutMs = 5000;

export class IssuerKeysUnavailable extends Error {}

export class IssuerKeys {
  private readonly kept = new Map<string, { readonly keys: readonly JsonWebKey[]; readonly at: number }>();

  constructor(private readonly now: () => number) {}

  /** The issuer's keys; `kid`: the key a token names (a set without it is fetched again). */
  async of(issuer: string, kid: string | undefined): Promise<readonly JsonWebKey[]> {
    const kept = this.kept.get(issuer);
    const fresh = kept !== undefined && this.now() - kept.at < keptMs && (kid === undefined || kept.keys.some((k) => k['kid'] === kid));
    if (fresh) return kept.keys;
    const discovery = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
    const jwksUri = discovery['jwks_uri'];
    if (typeof jwksUri !== 'string') throw new IssuerKeysUnavailable(`${issuer}'s discovery document names no jwks_uri`);
    const set = await fetchJson(jwksUri);
    const keys = Array.isArray(set['keys']) ? set['keys'].filter((k): k is JsonWebKey => typeof k === 'object' && k !== null) : [];
    this.kept.set(issuer, { keys, at: this.now() });
    return keys;
  }
}

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  if (!url.startsWith('https://')) throw new IssuerKeysUnavailable(`${url} is not an HTTPS URL`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'error' });
  } catch (error) {
    throw new IssuerKeysUnavailable(`${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new IssuerKeysUnavailable(`${url}: HTTP ${response.status}`);
  try {
    const value: unknown = await response.json();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new IssuerKeysUnavailable(`${url}: ${(error as Error).message}`);
  }
}
