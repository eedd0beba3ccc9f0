// An S3-compatible service (--s3-endpoint), through the AWS SDK's S3 client with path-style
// addressing; credentials from the usual AWS environment (AWS_ACCESS_KEY_ID, …). The client is loaded
// when first used, so a server that never exports or imports never loads it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, StoredObject } from './object-store.js';

export interface S3StoreOptions {
  readonly endpoint: string;
  readonly region: string;
}

export class S3Store implements ObjectStore {
  private client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;

  constructor(private readonly options: S3StoreOptions) {}

  private connect(): Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    this.client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk, s3: new sdk.S3Client({ endpoint: this.options.endpoint, region: this.options.region, forcePathStyle: true }),
    }));
    return this.client;
  }

  async bucketExists(bucket: string): Promise<boolean> {
    const { s3, sdk } = await this.connect();
    try {
      await s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  keyInside(): boolean {
    return true;
  }

  async list(bucket: string, prefix: string): Promise<StoredObject[]> {
    const { s3, sdk } = await this.connect();
    const found: StoredObject[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
      for (const object of page.Contents ?? []) if (object.Key !== undefined) found.push({ key: object.Key, sizeBytes: object.Size ?? 0 });
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async open(bucket: string, key: string): Promise<Readable> {
    const { s3, sdk } = await this.connect();
    const body = (await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }))).Body;
    if (body instanceof Readable) return body;
    throw new Error(`the S3 object ${key} has no readable body`);
  }

  inPlace(): undefined {
    return undefined;
  }

  async publish(bucket: string, key: string, dir: string, names: readonly string[]): Promise<void> {
    const { s3, sdk } = await this.connect();
    for (const name of names) await s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: `${key}${name}`, Body: await readFile(join(dir, name)) }));
  }
}
