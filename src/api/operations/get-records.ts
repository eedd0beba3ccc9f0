// GetRecords: up to Limit (≤ 1,000) records, at most 1 MB, from an iterator's position; the stored
// record texts are spliced into the answer unparsed. NextShardIterator is absent once a closed shard
// is drained.
import { decodeIterator, encodeIterator, readRecords } from '../../engine/streams/stream-reader.js';
import type { Operation } from '../context.js';
import { ExpiredIteratorException, TrimmedDataAccessException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { integer, str, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { requireStream } from './stream-arn.js';

/** DynamoDB Streams: GetRecords returns at most 1,000 records; iterators live 15 minutes. */
export const getRecordsLimitMax = 1000;
export const shardIteratorLifetimeMs = 15 * 60 * 1000;

const shape: Members = [
  ['ShardIterator', str({ notNull: true, lengthMin: 1, lengthMax: 2048 })],
  ['Limit', integer({ min: 1, max: getRecordsLimitMax })],
];

export const getRecords: Operation = async (engine, ctx, body) => {
  const input = validateInput<{ ShardIterator: string; Limit?: number }>(body, shape);
  const iterator = decodeIterator(input.ShardIterator);
  if (iterator === undefined) throw new ValidationException(messages.invalidShardIterator);
  const now = engine.options.clock.now();
  if (now - iterator.position.issuedAt > shardIteratorLifetimeMs) throw new ExpiredIteratorException(messages.iteratorExpired);
  const info = requireStream(engine, ctx, iterator.arn);
  const { shard, next } = iterator.position;
  const page = await readRecords(engine.storage, info, shard, next, input.Limit ?? getRecordsLimitMax);
  if (page === 'trimmed') throw new TrimmedDataAccessException(messages.dataTrimmed);
  const nextIterator = page.next === undefined ? '' : `,"NextShardIterator":${JSON.stringify(encodeIterator(info, { shard, next: page.next, issuedAt: now }))}`;
  return `{"Records":[${page.records.join(',')}]${nextIterator}}`;
};
