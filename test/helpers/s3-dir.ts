// A server whose directory standing in for S3 (--s3-dir) the test writes objects into (a bucket is a
// subdirectory), with the test clock on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newDataDir, startServerProcess, type ServerProcess } from './server-process.js';

/** A --test-clock server and its --s3-dir (beside its data directory, removed with it). */
export async function serverWithS3Dir(): Promise<{ server: ServerProcess; s3Dir: string }> {
  const dataDir = newDataDir();
  const s3Dir = join(dataDir, 's3');
  return { server: await startServerProcess({ dataDir, args: ['--test-clock', '--s3-dir', s3Dir] }), s3Dir };
}

/** Writes the object `<bucket>/<key>` (`path` is both, as S3 lists them) under `s3Dir`. */
export function putObject(s3Dir: string, path: string, data: Buffer | string): void {
  const file = join(s3Dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}
