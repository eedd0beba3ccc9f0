// Stream records as Lambda delivers them to a function, the record Lambda sends to an on-failure
// destination, and reading a function's partial batch response. Records are spliced from their stored
// JSON, never re-serialized: the only differences from the Streams API's shape are Lambda's lowercase
// userIdentity members and the added eventSourceARN.

/** One change record on its way to a handler. */
export interface TriggerRecord {
  /** The record as Lambda delivers it (JSON text). */
  readonly json: string;
  readonly shard: number;
  readonly counter: number;
  readonly sequenceNumber: string;
  /** ApproximateCreationDateTime, epoch seconds. */
  readonly createdSeconds: number;
}

const streamsTtlIdentity = '"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}';
const lambdaTtlIdentity = '"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}';

/** A stored Streams API record → the record of a Lambda event. */
export function lambdaRecordJson(stored: string, streamArn: string): string {
  const body = stored.endsWith(`${streamsTtlIdentity}}`)
    ? `${stored.slice(0, -(streamsTtlIdentity.length + 1))}${lambdaTtlIdentity}`
    : stored.slice(0, -1);
  return `${body},"eventSourceARN":${JSON.stringify(streamArn)}}`;
}

/** The creation second of a stored record (ApproximateCreationDateTime). */
export function createdSeconds(stored: string): number {
  const at = stored.indexOf('"ApproximateCreationDateTime":');
  return at === -1 ? 0 : Number.parseInt(stored.slice(at + 30, at + 45), 10);
}

/** The Keys JSON text of a record (to spread records over lanes by item). */
export function keysText(json: string): string {
  const start = json.indexOf('"Keys":');
  if (start === -1) return '';
  // Keys come first in `dynamodb`; key strings are JSON-escaped, so these markers cannot occur inside.
  let end = json.length;
  for (const marker of [',"NewImage":', ',"OldImage":', ',"SequenceNumber":']) {
    const at = json.indexOf(marker, start);
    if (at !== -1 && at < end) end = at;
  }
  return json.slice(start + 7, end);
}

/** The invocation payload: `{"Records":[...]}`. */
export function eventPayload(records: readonly TriggerRecord[]): string {
  let out = '{"Records":[';
  for (let i = 0; i < records.length; i++) out += (i === 0 ? '' : ',') + (records[i] as TriggerRecord).json;
  return `${out}]}`;
}

/**
 * Where a partial batch response asks Lambda to resume: the index of the first failed record, the
 * batch length when none failed, or 'invalid' (Lambda then treats the whole batch as failed). An
 * empty or absent batchItemFailures list is a success.
 */
export function firstFailedIndex(response: unknown, records: readonly TriggerRecord[]): number | 'invalid' {
  if (response === null || response === undefined || typeof response !== 'object') return records.length;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return records.length;
  if (!Array.isArray(failures)) return 'invalid';
  let first = records.length;
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return 'invalid';
    const index = records.findIndex((r) => r.sequenceNumber === id);
    if (index === -1) return 'invalid';
    first = Math.min(first, index);
  }
  return first;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface FailureContext {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: DiscardCondition;
  readonly invokeCount: number;
  /** Absent when the records were discarded without a failed invocation (too old before one). */
  readonly functionError?: 'Unhandled';
  readonly now: number;
  readonly shardId: string;
  readonly streamArn: string;
}

/** The invocation record Lambda sends to an on-failure destination for a DynamoDB stream batch. */
export function failureRecord(records: readonly TriggerRecord[], context: FailureContext): Record<string, unknown> {
  const first = records[0] as TriggerRecord;
  const last = records[records.length - 1] as TriggerRecord;
  const secondsText = (s: number): string => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    requestContext: {
      requestId: context.requestId,
      functionArn: context.functionArn,
      condition: context.condition,
      approximateInvokeCount: context.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(context.functionError === undefined ? {} : { functionError: context.functionError }),
    },
    version: '1.0',
    timestamp: new Date(context.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: context.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: secondsText(first.createdSeconds),
      approximateArrivalOfLastRecord: secondsText(last.createdSeconds),
      batchSize: records.length,
      streamArn: context.streamArn,
    },
  };
}
