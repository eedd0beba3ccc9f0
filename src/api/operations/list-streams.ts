// ListStreams: the streams of the caller's region (or of one table), oldest first, paged by
// ExclusiveStartStreamArn / Limit. Closed streams are listed until they age out, as on AWS.
import { operation } from '../operation.js';
import { integer, members, plainTableName } from '../validate/shape.js';
import { checkStreamArn, streamArnShape } from './stream-arn.js';

/** DynamoDB Streams: ListStreams returns at most 100 streams per call. */
export const listStreamsLimitMax = 100;

export const listStreams = operation({
  name: 'ListStreams',
  target: 'DynamoDBStreams_20120810',
  kind: 'stream',
  members: members([
    // DynamoDB Streams takes a table's name only, not its ARN.
    ['TableName', plainTableName()],
    ['Limit', integer({ min: 1, max: listStreamsLimitMax })],
    ['ExclusiveStartStreamArn', streamArnShape()],
  ]),
  permissions: () => [{ action: 'dynamodb:ListStreams', resource: '*' }],
  async execute({ engine }, ctx, input) {
    if (input.ExclusiveStartStreamArn !== undefined) checkStreamArn(input.ExclusiveStartStreamArn);
    let streams = engine.streams.of(engine.tables.namespaceOf(ctx.region));
    if (input.TableName !== undefined) streams = streams.filter((s) => s.TableName === input.TableName);
    if (input.ExclusiveStartStreamArn !== undefined) {
      const at = streams.findIndex((s) => s.StreamArn === input.ExclusiveStartStreamArn);
      streams = at < 0 ? [] : streams.slice(at + 1);
    }
    const limit = input.Limit ?? listStreamsLimitMax;
    const page = streams.slice(0, limit);
    return {
      body: {
        Streams: page.map((s) => ({ StreamArn: s.StreamArn, TableName: s.TableName, StreamLabel: s.StreamLabel })),
        LastEvaluatedStreamArn: streams.length > limit ? page[page.length - 1]?.StreamArn : undefined,
      },
    };
  },
});
