// An import's object read whole and decompressed: GZIP with zlib, ZSTD with fzstd (Node 20's zlib
// has no Zstandard).
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export type InputCompression = 'NONE' | 'GZIP' | 'ZSTD';

/** Bytes read from an object, and inflated, at a time. */
export const chunkBytes = 1024 * 1024;

/** An object's bytes, decompressed; `read` is told how many stored bytes each chunk consumed. */
export function objectBytes(stored: Readable, compression: InputCompression, read: (bytes: number) => void): Readable {
  stored.on('data', (chunk: Buffer | string) => read(chunk.length));
  if (compression === 'NONE') return stored;
  // Large inflated chunks: each is a trip through libuv's thread pool, and small ones left the import waiting.
  const inflate = compression === 'GZIP' ? createGunzip({ chunkSize: chunkBytes }) : zstdStream();
  stored.on('error', (error) => inflate.destroy(error));
  return stored.pipe(inflate);
}

/** A stream that decompresses Zstandard frames. */
function zstdStream(): Transform {
  let out: Buffer[] = [];
  const decompress = new Decompress((chunk) => {
    out.push(Buffer.from(chunk));
  });
  const flushOut = (stream: Transform): void => {
    for (const chunk of out) stream.push(chunk);
    out = [];
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decompress.push(chunk);
        flushOut(this);
        done();
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    },
    flush(done) {
      try {
        decompress.push(new Uint8Array(0), true);
        flushOut(this);
        done();
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
}
