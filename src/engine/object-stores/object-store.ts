// Where exports are written and imports read: S3 buckets. A directory stands in for S3 by default
// (--s3-dir; a bucket is a subdirectory); --s3-endpoint names an S3-compatible service instead.
import type { Readable } from 'node:stream';

export interface StoredObject {
  /** Its key in the bucket. */
  readonly key: string;
  readonly sizeBytes: number;
}

export interface ObjectStore {
  /** Whether bucket `bucket` exists. */
  bucketExists(bucket: string): Promise<boolean>;
  /** Whether `key` names an object inside `bucket` (a directory refuses keys such as `../x`). */
  keyInside(bucket: string, key: string): boolean;
  /** The objects of `bucket` whose keys start with `prefix`, in key order, as S3 lists a prefix. */
  list(bucket: string, prefix: string): Promise<StoredObject[]>;
  /** An object's stored bytes. */
  open(bucket: string, key: string, chunkBytes: number): Promise<Readable>;
  /**
   * The local directory an export under `key` is written into, when the store is a directory; else
   * undefined: the export is written into a staging directory and then published.
   */
  inPlace(bucket: string, key: string): string | undefined;
  /** Makes the files `names` of `dir` (relative, '/'-separated) objects `key` + name, in the order given. */
  publish(bucket: string, key: string, dir: string, names: readonly string[]): Promise<void>;
}
