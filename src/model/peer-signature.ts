// How servers replicating global tables to each other (--peer) prove who they are: each request to a
// peer carries the time and an HMAC-SHA256, under the key they share (--replication-key), of that time,
// the path and the body. A peer answers only a request whose signature matches and whose time is
// within a few minutes of its own clock.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where StratusDB servers answer each other: `<prefix><operation>`. */
export const peerPathPrefix = '/stratusdb/replication/';
/** The header that carries `<epoch ms>.<hex signature>`. */
export const peerSignatureHeader = 'x-stratusdb-peer-signature';
/** How far a request's time may be from the peer's clock. */
const skewMs = 5 * 60 * 1000;

function mac(key: string, ms: number, path: string, body: string): string {
  return createHmac('sha256', key).update(`${ms}\n${path}\n${body}`).digest('hex');
}

export function signPeerRequest(key: string, now: number, path: string, body: string): string {
  return `${now}.${mac(key, now, path, body)}`;
}

/** Whether `header` signs this path and body under `key`, at a time near `now`. */
export function verifyPeerRequest(key: string, now: number, path: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const dot = header.indexOf('.');
  const ms = Number(header.slice(0, dot));
  if (dot <= 0 || !Number.isSafeInteger(ms) || Math.abs(now - ms) > skewMs) return false;
  const given = Buffer.from(header.slice(dot + 1), 'utf8');
  const expected = Buffer.from(mac(key, ms, path, body), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
