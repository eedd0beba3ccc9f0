// Reads a whole stream through the Streams SDK client the way a consumer that follows shard lineage
// does: every shard DescribeStream lists (parents first), each from TRIM_HORIZON until drained.
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record, type Shard,
} from '@aws-sdk/client-dynamodb-streams';

export async function listShards(streams: DynamoDBStreamsClient, arn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ...(start === undefined ? {} : { ExclusiveStartShardId: start }) }));
    shards.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
}

/** Every record of one shard from `iterator` on, until the shard is drained or a read comes back empty. */
export async function drainShard(streams: DynamoDBStreamsClient, iterator: string | undefined, limit?: number): Promise<{ records: _Record[]; next: string | undefined }> {
  const records: _Record[] = [];
  let next = iterator;
  while (next !== undefined) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: next, ...(limit === undefined ? {} : { Limit: limit }) }));
    records.push(...(page.Records ?? []));
    next = page.NextShardIterator;
    if ((page.Records ?? []).length === 0) break;
  }
  return { records, next };
}

/** All records of the stream, shard by shard in lineage order. */
export async function readStream(streams: DynamoDBStreamsClient, arn: string): Promise<_Record[]> {
  const records: _Record[] = [];
  for (const shard of await listShards(streams, arn)) {
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    records.push(...(await drainShard(streams, ShardIterator)).records);
  }
  return records;
}
