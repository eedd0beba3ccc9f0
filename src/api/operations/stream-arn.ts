// Shapes and lookups shared by the Streams API operations (DynamoDBStreams_20120810.*).
import type { Engine } from '../../engine/engine.js';
import type { StreamInfo } from '../../engine/streams/stream-info.js';
import type { RequestContext } from '../operation.js';
import { ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { str } from '../validate/shape.js';

/** The Streams API model's StreamArn and ShardId lengths. */
export const streamArnShape = <const C extends { notNull?: true } = {}>(c?: C) => str({ ...(c as C), lengthMin: 37, lengthMax: 1024 });
export const shardIdShape = <const C extends { notNull?: true } = {}>(c?: C) => str({ ...(c as C), lengthMin: 28, lengthMax: 65 });

const streamArnPattern = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/[0-9T:.-]+$/;

/** A well-formed stream ARN, or ValidationException (as DynamoDB answers a malformed one). */
export function checkStreamArn(arn: string): void {
  if (!streamArnPattern.test(arn)) throw new ValidationException(messages.invalidStreamArn);
}

/** The stream an ARN names in the caller's region, or ResourceNotFoundException. */
export function requireStream(engine: Engine, ctx: RequestContext, arn: string): StreamInfo {
  checkStreamArn(arn);
  const info = engine.streams.byArn(engine.tables.namespaceOf(ctx.region), arn);
  if (info === undefined) throw new ResourceNotFoundException(messages.streamNotFound(arn));
  return info;
}
