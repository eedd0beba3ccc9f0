// The objects an import reads: in the directory standing in for S3 (--s3-dir, a bucket is a
// subdirectory), every file whose key — its path under the bucket, with '/' — starts with the
// prefix, as S3 lists a prefix; each read whole and decompressed (GZIP with zlib, ZSTD with fzstd).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

export type InputCompression = 'NONE' | 'GZIP' | 'ZSTD';

/** Bytes read from an object, and inflated, at a time. */
const chunkBytes = 1024 * 1024;

export interface SourceObject {
  /** Its key in the bucket. */
  readonly key: string;
  readonly path: string;
  readonly sizeBytes: number;
}

/** Whether the directory of bucket `bucket` exists. */
export async function bucketExists(s3Dir: string, bucket: string): Promise<boolean> {
  return (await stat(join(s3Dir, bucket)).catch(() => undefined))?.isDirectory() === true;
}

/** Whether `prefix` stays inside the bucket's directory (a prefix such as `../x` is refused). */
export function prefixInsideBucket(s3Dir: string, bucket: string, prefix: string): boolean {
  const bucketDir = resolve(s3Dir, bucket);
  const at = resolve(bucketDir, prefix);
  return at === bucketDir || at.startsWith(bucketDir + sep);
}

/** The objects of `bucket` whose keys start with `prefix`, in key order. */
export async function listSourceObjects(s3Dir: string, bucket: string, prefix: string): Promise<SourceObject[]> {
  const bucketDir = resolve(s3Dir, bucket);
  // Only the directories the prefix can reach are walked: `a/b/c` starts under `a/b/`.
  const start = prefix.lastIndexOf('/') < 0 ? bucketDir : resolve(bucketDir, prefix.slice(0, prefix.lastIndexOf('/')));
  const found: SourceObject[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const key = relative(bucketDir, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        found.push({ key, path, sizeBytes: (await stat(path)).size });
      }
    }
  };
  await walk(start);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** An object's bytes, decompressed; `read` is told how many stored bytes each chunk consumed. */
export function objectBytes(object: SourceObject, compression: InputCompression, read: (bytes: number) => void): Readable {
  // Large reads and inflated chunks: each chunk is a trip through libuv's thread pool, and small ones left the import waiting.
  const file = createReadStream(object.path, { highWaterMark: chunkBytes });
  file.on('data', (chunk: Buffer | string) => read(chunk.length));
  if (compression === 'NONE') return file;
  const inflate = compression === 'GZIP' ? createGunzip({ chunkSize: chunkBytes }) : zstdStream();
  file.on('error', (error) => inflate.destroy(error));
  return file.pipe(inflate);
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
