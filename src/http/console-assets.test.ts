// The console's files served without the compressed forms a build makes: compressed on first use,
// the same bytes once decompressed; and which codings an Accept-Encoding takes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { loadConsoleAssets, sendAsset } from './console-assets.js';

describe('console assets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-console-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a directory without index.html, and compresses on first use what the build did not', async () => {
    assert.deepEqual(await loadConsoleAssets(join(dir, 'none')), { missing: `${join(dir, 'none')} does not exist (run npm run build)` });
    assert.deepEqual(await loadConsoleAssets(dir), { missing: `${dir} holds no index.html (run npm run build)` });
    const page = `<!doctype html><title>x</title>${'<p>console</p>'.repeat(200)}`;
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'notes.txt'), 'not served');
    const { assets } = await loadConsoleAssets(dir);
    assert.ok(assets !== undefined);
    assert.equal(assets.find('/console/notes.txt'), undefined);
    const asset = assets.find('/console/index.html');
    assert.ok(asset !== undefined);
    assert.equal(assets.find('/console'), asset);
    const server = createServer((req, res) => sendAsset(req, res, 'id', asset)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console`;
      const get = async (acceptEncoding: string): Promise<{ encoding: string | null; bytes: Buffer }> => {
        const res = await fetch(url, { headers: { 'Accept-Encoding': acceptEncoding } });
        return { encoding: res.headers.get('content-encoding'), bytes: Buffer.from(await res.arrayBuffer()) };
      };
      // fetch undoes the coding itself: the bytes are the page either way, the header says which came.
      const br = await get('gzip;q=0.5, br');
      assert.deepEqual([br.encoding, br.bytes.toString()], ['br', page]);
      const gzip = await get('br;q=0, gzip');
      assert.deepEqual([gzip.encoding, gzip.bytes.toString()], ['gzip', page]);
      const plain = await get('identity');
      assert.deepEqual([plain.encoding, plain.bytes.toString()], [null, page]);
      assert.equal(brotliDecompressSync(asset.br ?? Buffer.alloc(0)).toString(), page);
      assert.equal(gunzipSync(asset.gzip ?? Buffer.alloc(0)).toString(), page);
    } finally {
      server.close();
    }
  });
});
