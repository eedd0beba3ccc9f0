// ListStreams: the streams of the caller's region (or of one table), oldest first, paged by
// ExclusiveStartStreamArn / Limit. Closed streams are listed until they age out, as on AWS.
import type { Operation } from '../context.js';
import { integer, tableName, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { checkStreamArn, streamArnShape } from './stream-arn.js';

/** DynamoDB Streams: ListStreams returns at most 100 streams per call. */
export const listStreamsLimitMax = 100;

const shape: Members = [
  ['TableName', tableName()],
  ['Limit', integer({ min: 1, max: listStreamsLimitMax })],
  ['ExclusiveStartStreamArn', streamArnShape()],
];

interface ListStreamsInput {
  readonly TableName?: string;
  readonly Limit?: number;
  readonly ExclusiveStartStreamArn?: string;
}

export const listStreams: Operation = async (engine, ctx, body) => {
  const input = validateInput<ListStreamsInput>(body, shape);
  if (input.ExclusiveStartStreamArn !== undefined) checkStreamArn(input.ExclusiveStartStreamArn);
  let streams = engine.catalog.streamsOf(engine.namespaceOf(ctx.region));
  if (input.TableName !== undefined) streams = streams.filter((s) => s.TableName === input.TableName);
  if (input.ExclusiveStartStreamArn !== undefined) {
    const at = streams.findIndex((s) => s.StreamArn === input.ExclusiveStartStreamArn);
    streams = at < 0 ? [] : streams.slice(at + 1);
  }
  const limit = input.Limit ?? listStreamsLimitMax;
  const page = streams.slice(0, limit);
  const out: Record<string, unknown> = { Streams: page.map((s) => ({ StreamArn: s.StreamArn, TableName: s.TableName, StreamLabel: s.StreamLabel })) };
  if (streams.length > limit) out['LastEvaluatedStreamArn'] = page[page.length - 1]?.StreamArn;
  return JSON.stringify(out);
};
