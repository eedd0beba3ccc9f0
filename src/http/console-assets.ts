// The web console's files (built into dist/console by `npm run build`), served from memory under
// /console: each file read once at start with the Brotli and gzip forms the build made beside it
// (made here on first use, quickly, if the build did not), and answered with an ETag so a second
// visit costs a 304. The page holds no data — everything it shows comes from the API,
// signed like any client's — so it is served without authentication; its Content-Security-Policy
// lets it load nothing and call nothing outside this origin.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const consolePath = '/console';

interface Asset {
  readonly type: string;
  readonly etag: string;
  readonly identity: Buffer;
  gzip: Buffer | undefined;
  br: Buffer | undefined;
  /** index.html is asked for again each visit; the scripts and styles it names carry its hash. */
  readonly cacheControl: string;
}

export interface ConsoleAssets {
  /** The asset a GET path names (/console and /console/ are index.html), or undefined. */
  find(path: string): Asset | undefined;
}

/** What the build makes; anything else in the directory (the .br and .gz forms included) is not served by name. */
const types: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const securityHeaders = [
  'Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options', 'nosniff',
  'Referrer-Policy', 'no-referrer',
];

/** Reads the built console from `dir`; undefined (with the reason) when it is not there. */
export async function loadConsoleAssets(dir: string): Promise<{ assets?: ConsoleAssets; missing?: string }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { missing: `${dir} does not exist (run npm run build)` };
  }
  if (!names.includes('index.html')) return { missing: `${dir} holds no index.html (run npm run build)` };
  const files = new Map<string, Asset>();
  const optional = async (name: string): Promise<Buffer | undefined> => (names.includes(name) ? readFile(join(dir, name)) : undefined);
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    const type = types[dot < 0 ? '' : name.slice(dot)];
    if (type === undefined) continue;
    const identity = await readFile(join(dir, name));
    files.set(name, {
      type, identity,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
      gzip: await optional(`${name}.gz`),
      br: await optional(`${name}.br`),
      cacheControl: name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
  }
  return {
    assets: {
      find(path) {
        if (path === consolePath || path === `${consolePath}/`) return files.get('index.html');
        if (!path.startsWith(`${consolePath}/`)) return undefined;
        const name = path.slice(consolePath.length + 1);
        return name.includes('/') ? undefined : files.get(name);
      },
    },
  };
}

/** Answers a GET for a console file: 304 when the browser has it, else its bytes in the best encoding the browser takes. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, id: string, asset: Asset): void {
  const headers = ['x-amzn-RequestId', id, 'Content-Type', asset.type, 'ETag', asset.etag, 'Cache-Control', asset.cacheControl, 'Vary', 'Accept-Encoding', ...securityHeaders];
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const accepted = acceptedCodings(req.headers['accept-encoding']);
  let encoding: 'br' | 'gzip' | undefined;
  let body = asset.identity;
  if (accepted.has('br')) {
    encoding = 'br';
    body = asset.br ??= brotliCompressSync(asset.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  } else if (accepted.has('gzip')) {
    encoding = 'gzip';
    body = asset.gzip ??= gzipSync(asset.identity, { level: 9 });
  }
  res.writeHead(200, [...headers, ...(encoding === undefined ? [] : ['Content-Encoding', encoding]), 'Content-Length', String(body.length)]);
  res.end(body);
}

/** The content codings an Accept-Encoding header takes (those it names without q=0), in lower case. */
function acceptedCodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const entry of (header ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = entry.split(';').map((p) => p.trim());
    if (name !== '' && !params.some((p) => /^q=0(\.0*)?$/.test(p))) out.add(name);
  }
  return out;
}
