// GetShardIterator: a position in one shard — its oldest untrimmed record (TRIM_HORIZON), just after
// its latest (LATEST), or at / after a sequence number. Iterators expire 15 minutes after issue.
import { iteratorStart, encodeIterator, readStreamState, type IteratorType } from '../../engine/streams/stream-reader.js';
import type { Operation } from '../context.js';
import { ResourceNotFoundException, TrimmedDataAccessException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { str, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { requireStream, shardIdShape, streamArnShape } from './stream-arn.js';

const shape: Members = [
  ['StreamArn', streamArnShape({ notNull: true })],
  ['ShardId', shardIdShape({ notNull: true })],
  ['ShardIteratorType', str({ notNull: true, oneOf: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] })],
  ['SequenceNumber', str({ lengthMin: 21, lengthMax: 40 })],
];

interface GetShardIteratorInput {
  readonly StreamArn: string;
  readonly ShardId: string;
  readonly ShardIteratorType: IteratorType;
  readonly SequenceNumber?: string;
}

export const getShardIterator: Operation = async (engine, ctx, body) => {
  const input = validateInput<GetShardIteratorInput>(body, shape);
  const type = input.ShardIteratorType;
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence && input.SequenceNumber === undefined) throw new ValidationException(messages.sequenceNumberRequired(type));
  if (!bySequence && input.SequenceNumber !== undefined) throw new ValidationException(messages.sequenceNumberForbidden(type));
  const info = requireStream(engine, ctx, input.StreamArn);
  const now = engine.options.clock.now();
  const state = await readStreamState(engine.storage, info, now, engine.streamRetentionMs);
  const shard = state.shards.find((s) => s.id === input.ShardId);
  if (shard === undefined) throw new ResourceNotFoundException(messages.shardNotFound);
  const next = iteratorStart(state, shard, type, input.SequenceNumber);
  if (next === 'trimmed') throw new TrimmedDataAccessException(messages.dataTrimmed);
  if (next === 'foreign') throw new ValidationException(messages.invalidSequenceNumber(input.SequenceNumber ?? '', shard.id));
  return JSON.stringify({ ShardIterator: encodeIterator(info, { shard: shard.index, next, issuedAt: now }) });
};
