// HTTP compression as DynamoDB does it. Requests: a body with Content-Encoding gzip (or deflate) is
// decompressed before anything else; a body that does not decompress, or an encoding DynamoDB does
// not know, is answered with HTTP 500. Responses: when Accept-Encoding allows gzip or deflate, an
// answer of 4 KiB or more is compressed, and x-amz-crc32 is the checksum of the compressed bytes.
import { promisify } from 'node:util';
import { deflate, gunzip, gzip, inflate } from 'node:zlib';

/** DynamoDB compresses answers from this size on (smaller ones go as they are). */
export const compressionThresholdBytes = 4096;

export type ResponseEncoding = 'gzip' | 'deflate';

const encoders: Readonly<Record<ResponseEncoding, (body: string) => Promise<Buffer>>> = {
  gzip: promisify(gzip) as (body: string) => Promise<Buffer>,
  deflate: promisify(deflate) as (body: string) => Promise<Buffer>,
};

export function compress(body: string, encoding: ResponseEncoding): Promise<Buffer> {
  return encoders[encoding](body);
}

/**
 * The encoding to answer in, from an Accept-Encoding header, the way DynamoDB picks it: only gzip,
 * deflate and `*` count (names case-insensitive, anything else — `x-gzip`, `br`, a quoted name — is
 * ignored); the first `q` parameter weighs an entry, a q that is not a number counts as 1, above 1
 * as 1, zero or below rules the coding out; the highest weight wins, a coding named outright before
 * one that only `*` covers, then the one named first; `*` alone prefers gzip.
 */
export function responseEncoding(header: string | undefined): ResponseEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  const named = new Map<ResponseEncoding, { q: number; position: number }>();
  let star: number | undefined;
  header.split(',').forEach((entry, position) => {
    const [rawName = '', ...params] = entry.split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'deflate' && name !== '*') return;
    const q = weight(params);
    if (name === '*') star ??= q;
    else if ((named.get(name)?.q ?? -1) < q) named.set(name, { q, position });
  });
  const candidates: { encoding: ResponseEncoding; q: number; byName: boolean; position: number }[] = [];
  for (const [index, encoding] of (['gzip', 'deflate'] as const).entries()) {
    const given = named.get(encoding);
    if (given !== undefined) candidates.push({ encoding, q: given.q, byName: true, position: given.position });
    else if (star !== undefined) candidates.push({ encoding, q: star, byName: false, position: index });
  }
  const usable = candidates.filter((c) => c.q > 0);
  usable.sort((a, b) => b.q - a.q || Number(b.byName) - Number(a.byName) || a.position - b.position);
  return usable[0]?.encoding;
}

function weight(params: readonly string[]): number {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim() !== 'q') continue;
    const value = Number(param.slice(eq + 1).trim());
    return Number.isNaN(value) ? 1 : Math.min(value, 1);
  }
  return 1;
}

export type DecodedBody = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: 'unsupported' | 'damaged' | 'too-large' };

const decoders: Readonly<Record<string, (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>>> = {
  gzip: promisify(gunzip) as (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>,
  deflate: promisify(inflate) as (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>,
};

/** A request body as sent, decompressed when its Content-Encoding says so; at most `bytesMax` once decompressed. */
export async function decodeRequestBody(body: Buffer, contentEncoding: string | undefined, bytesMax: number): Promise<DecodedBody> {
  const encoding = contentEncoding?.trim().toLowerCase() ?? '';
  if (encoding === '' || encoding === 'identity') return { ok: true, body };
  const decode = Object.hasOwn(decoders, encoding) ? decoders[encoding] : undefined;
  if (decode === undefined) return { ok: false, reason: 'unsupported' };
  try {
    return { ok: true, body: await decode(body, { maxOutputLength: bytesMax }) };
  } catch (error) {
    return { ok: false, reason: (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'damaged' };
  }
}
