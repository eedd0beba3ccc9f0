// A table's stream as the catalog keeps it, and how its change records are laid out in storage.
// Each enablement of a stream is a new stream (new label, new ARN, own storage id). Its storage holds
// a head record (next sequence counter, current shard), one record per shard after the first, a trim
// mark, and the change records keyed by shard and counter, so one shard's records are one key range.
import { hash } from 'node:crypto';
import type { KeySchemaElement, StreamViewType, TableRecord } from '../../model/table.js';

export interface StreamInfo {
  readonly storageId: string;
  readonly StreamArn: string;
  readonly StreamLabel: string;
  readonly TableName: string;
  readonly tableId: string;
  readonly namespace: string;
  readonly region: string;
  readonly StreamViewType: StreamViewType;
  readonly KeySchema: readonly KeySchemaElement[];
  /** Epoch ms the stream was enabled (its label). */
  readonly createdAt: number;
  /** Epoch ms the stream was disabled or its table deleted; readable until it ages out. */
  readonly closedAt?: number;
}

export function streamStorageId(tableId: string, label: string): string {
  return hash('sha256', `${tableId}/stream/${label}`, 'hex').slice(0, 16);
}

/** The table's enabled stream, or undefined. */
export function enabledStream(table: TableRecord): StreamInfo | undefined {
  const spec = table.StreamSpecification;
  const label = table.LatestStreamLabel;
  if (spec?.StreamEnabled !== true || spec.StreamViewType === undefined || label === undefined) return undefined;
  return {
    storageId: streamStorageId(table.id, label),
    StreamArn: `${table.TableArn}/stream/${label}`,
    StreamLabel: label,
    TableName: table.TableName,
    tableId: table.id,
    namespace: table.namespace,
    region: table.region,
    StreamViewType: spec.StreamViewType,
    KeySchema: table.KeySchema,
    createdAt: Date.parse(`${label}Z`),
  };
}

// Storage keys inside a stream's storage id.
export const headKey = Uint8Array.of(0);
export const trimKey = Uint8Array.of(2);
const shardTag = 1;
const recordTag = 3;

export function shardKey(shard: number): Buffer {
  const key = Buffer.alloc(5);
  key[0] = shardTag;
  key.writeUInt32BE(shard, 1);
  return key;
}
export const shardsRange = { start: Uint8Array.of(shardTag), end: Uint8Array.of(shardTag + 1) };

export function recordKey(shard: number, counter: number): Buffer {
  const key = Buffer.alloc(13);
  key[0] = recordTag;
  key.writeUInt32BE(shard, 1);
  key.writeUIntBE(Math.floor(counter / 2 ** 32), 5, 4);
  key.writeUInt32BE(counter % 2 ** 32, 9);
  return key;
}
export const recordsRange = { start: Uint8Array.of(recordTag), end: Uint8Array.of(recordTag + 1) };

/** The shard and counter of a record key. */
export function recordPosition(key: Uint8Array): { shard: number; counter: number } {
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { shard: b.readUInt32BE(1), counter: b.readUInt32BE(5) * 2 ** 32 + b.readUInt32BE(9) };
}

/**
 * A sequence number: the shard (plus one) followed by the stream-wide counter in 20 digits — a
 * decimal string of at least 21 digits, as DynamoDB's are, increasing through the stream.
 */
const counterDigits = 20;
export function sequenceNumber(shard: number, counter: number): string {
  return `${shard + 1}${String(counter).padStart(counterDigits, '0')}`;
}

/** The shard and counter a sequence number names, or undefined when it is not one of ours. */
export function parseSequenceNumber(text: string): { shard: number; counter: number } | undefined {
  if (!/^[1-9][0-9]{20,29}$/.test(text)) return undefined;
  const shard = Number(text.slice(0, -counterDigits)) - 1;
  const counter = Number(text.slice(-counterDigits));
  if (!Number.isSafeInteger(shard) || !Number.isSafeInteger(counter) || shard > 2 ** 32 - 2) return undefined;
  return { shard, counter };
}

/** DynamoDB's shard id shape: "shardId-" + 20 digits of creation time + "-" + 8 hex digits. */
export function shardId(stream: Pick<StreamInfo, 'storageId'>, shard: number, since: number): string {
  const suffix = hash('sha256', `${stream.storageId}/${shard}`, 'hex').slice(0, 8);
  return `shardId-${String(since).padStart(20, '0')}-${suffix}`;
}

/**
 * The catalog changes a table change makes to its streams: the enabled stream closes when the
 * stream is disabled, replaced or the table deleted (`after` undefined); a newly enabled one opens.
 */
export function streamTransitions(before: TableRecord | undefined, after: TableRecord | undefined, now: number): StreamInfo[] {
  const old = before === undefined ? undefined : enabledStream(before);
  const current = after === undefined ? undefined : enabledStream(after);
  const changes: StreamInfo[] = [];
  if (old !== undefined && old.storageId !== current?.storageId) changes.push({ ...old, closedAt: now });
  if (current !== undefined && current.storageId !== old?.storageId) changes.push(current);
  return changes;
}
