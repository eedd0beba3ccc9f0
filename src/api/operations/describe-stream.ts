// DescribeStream: the stream's status, view type, key schema and shards (lineage and sequence number
// ranges), paged by ExclusiveStartShardId / Limit; ShardFilter CHILD_SHARDS lists a shard's children.
import { operation } from '../operation.js';
import { integer, members, str, struct } from '../validate/shape.js';
import { requireStream, shardIdShape, streamArnShape } from './stream-arn.js';

/** DynamoDB Streams: DescribeStream returns at most 100 shards per call. */
export const describeStreamLimitMax = 100;

export const describeStream = operation({
  name: 'DescribeStream',
  target: 'DynamoDBStreams_20120810',
  kind: 'stream',
  members: members([
    ['StreamArn', streamArnShape({ notNull: true })],
    ['Limit', integer({ min: 1, max: describeStreamLimitMax })],
    ['ExclusiveStartShardId', shardIdShape()],
    // The API model marks neither member required, but DynamoDB refuses a filter without its Type
    // or its ShardId (recorded by suites run against AWS; the text is not: see docs/compatibility.md).
    ['ShardFilter', struct('ShardFilter', [
      ['Type', str({ oneOf: ['CHILD_SHARDS'], notNull: true })],
      ['ShardId', shardIdShape({ notNull: true })],
    ])],
  ]),
  permissions: (input) => [{ action: 'dynamodb:DescribeStream', resource: input.StreamArn }],
  async execute({ engine }, ctx, input) {
  const info = requireStream(engine, ctx, input.StreamArn);
  const state = await engine.streams.state(info, ctx.now);
  let shards = state.shards;
  const filter = input.ShardFilter;
  if (filter !== undefined) shards = shards.filter((s) => s.parentId === filter.ShardId);
  const after = input.ExclusiveStartShardId;
  if (after !== undefined) shards = shards.filter((s) => s.id > after);
  const limit = input.Limit ?? describeStreamLimitMax;
  const page = shards.slice(0, limit);
  const description: Record<string, unknown> = {
    StreamArn: info.StreamArn,
    StreamLabel: info.StreamLabel,
    StreamStatus: info.closedAt === undefined ? 'ENABLED' : 'DISABLED',
    StreamViewType: info.StreamViewType,
    CreationRequestDateTime: info.createdAt / 1000,
    TableName: info.TableName,
    KeySchema: info.KeySchema,
    Shards: page.map((s) => ({
      ShardId: s.id,
      SequenceNumberRange: {
        StartingSequenceNumber: s.startingSequenceNumber,
        ...(s.endingSequenceNumber === undefined ? {} : { EndingSequenceNumber: s.endingSequenceNumber }),
      },
      ...(s.parentId === undefined ? {} : { ParentShardId: s.parentId }),
    })),
  };
  if (shards.length > limit) description['LastEvaluatedShardId'] = page[page.length - 1]?.id;
  return { body: { StreamDescription: description } };
  },
});
