// GetRecords: up to Limit (≤ 1,000) records, at most 1 MB, from an iterator's position; the stored
// record texts are spliced into the answer unparsed. NextShardIterator is absent once a closed shard
// is drained.
import { decodeIterator, encodeIterator } from '../../engine/streams/stream-reader.js';
import { operation, RawJson } from '../operation.js';
import { ExpiredIteratorException, TrimmedDataAccessException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { integer, members, str } from '../validate/shape.js';
import { requireStream } from './stream-arn.js';

/** DynamoDB Streams: GetRecords returns at most 1,000 records; iterators live 15 minutes. */
export const getRecordsLimitMax = 1000;
export const shardIteratorLifetimeMs = 15 * 60 * 1000;

export const getRecords = operation({
  name: 'GetRecords',
  target: 'DynamoDBStreams_20120810',
  kind: 'stream',
  members: members([
    ['ShardIterator', str({ notNull: true, lengthMin: 1, lengthMax: 2048 })],
    ['Limit', integer({ min: 1, max: getRecordsLimitMax })],
  ]),
  permissions: (input) => [{ action: 'dynamodb:GetRecords', resource: decodeIterator(input.ShardIterator)?.arn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const iterator = decodeIterator(input.ShardIterator);
    if (iterator === undefined) throw new ValidationException(messages.invalidShardIterator);
    if (ctx.now - iterator.position.issuedAt > shardIteratorLifetimeMs) throw new ExpiredIteratorException(messages.iteratorExpired);
    const info = requireStream(engine, ctx, iterator.arn);
    const { shard, next } = iterator.position;
    const page = await engine.streams.records(info, shard, next, input.Limit ?? getRecordsLimitMax);
    if (page === 'trimmed') throw new TrimmedDataAccessException(messages.dataTrimmed);
    return {
      body: {
        Records: page.records.map((record) => new RawJson(record)),
        NextShardIterator: page.next === undefined ? undefined : encodeIterator(info, { shard, next: page.next, issuedAt: ctx.now }),
      },
    };
  },
});
