// GetShardIterator: a position in one shard — its oldest untrimmed record (TRIM_HORIZON), just after
// its latest (LATEST), or at / after a sequence number. Iterators expire 15 minutes after issue.
import { iteratorStart, encodeIterator } from '../../engine/streams/stream-reader.js';
import { operation } from '../operation.js';
import { ResourceNotFoundException, TrimmedDataAccessException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { members, str } from '../validate/shape.js';
import { requireStream, shardIdShape, streamArnShape } from './stream-arn.js';

export const getShardIterator = operation({
  name: 'GetShardIterator',
  target: 'DynamoDBStreams_20120810',
  kind: 'stream',
  members: members([
    ['StreamArn', streamArnShape({ notNull: true })],
    ['ShardId', shardIdShape({ notNull: true })],
    ['ShardIteratorType', str({ notNull: true, oneOf: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] })],
    ['SequenceNumber', str({ lengthMin: 21, lengthMax: 40 })],
  ]),
  permissions: (input) => [{ action: 'dynamodb:GetShardIterator', resource: input.StreamArn }],
  async execute({ engine }, ctx, input) {
    const type = input.ShardIteratorType;
    const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (bySequence && input.SequenceNumber === undefined) throw new ValidationException(messages.sequenceNumberRequired(type));
    if (!bySequence && input.SequenceNumber !== undefined) throw new ValidationException(messages.sequenceNumberForbidden(type));
    const info = requireStream(engine, ctx, input.StreamArn);
    const state = await engine.streams.state(info, ctx.now);
    const shard = state.shards.find((s) => s.id === input.ShardId);
    if (shard === undefined) throw new ResourceNotFoundException(messages.shardNotFound);
    const next = iteratorStart(state, shard, type, input.SequenceNumber);
    if (next === 'trimmed') throw new TrimmedDataAccessException(messages.dataTrimmed);
    if (next === 'foreign') throw new ValidationException(messages.invalidSequenceNumber(input.SequenceNumber ?? '', shard.id));
    return { body: { ShardIterator: encodeIterator(info, { shard: shard.index, next, issuedAt: ctx.now }) } };
  },
});
