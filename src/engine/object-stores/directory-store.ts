// A directory standing in for S3 (--s3-dir): a bucket is a subdirectory, an object's key its path
// under it with '/'. Exports are written in place.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { ObjectStore, StoredObject } from './object-store.js';

export class DirectoryStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async bucketExists(bucket: string): Promise<boolean> {
    return (await stat(join(this.root, bucket)).catch(() => undefined))?.isDirectory() === true;
  }

  keyInside(bucket: string, key: string): boolean {
    const bucketDir = resolve(this.root, bucket);
    const at = resolve(bucketDir, key);
    return at === bucketDir || at.startsWith(bucketDir + sep);
  }

  async list(bucket: string, prefix: string): Promise<StoredObject[]> {
    const bucketDir = resolve(this.root, bucket);
    // Only the directories the prefix can reach are walked: `a/b/c` starts under `a/b/`.
    const start = prefix.lastIndexOf('/') < 0 ? bucketDir : resolve(bucketDir, prefix.slice(0, prefix.lastIndexOf('/')));
    const found: StoredObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const key = relative(bucketDir, path).split(sep).join('/');
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          found.push({ key, sizeBytes: (await stat(path)).size });
        }
      }
    };
    await walk(start);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async open(bucket: string, key: string, chunkBytes: number): Promise<Readable> {
    return createReadStream(join(this.root, bucket, key), { highWaterMark: chunkBytes });
  }

  inPlace(bucket: string, key: string): string {
    return join(this.root, bucket, key);
  }

  async publish(): Promise<void> {
    // Written in place: nothing to publish.
  }
}
