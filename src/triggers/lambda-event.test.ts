import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdSeconds, eventPayload, failureRecord, firstFailedIndex, keysText, lambdaRecordJson, type TriggerRecord } from './lambda-event.js';

const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-11-21T00:00:00.000';
const stored = '{"eventID":"e1","eventName":"REMOVE","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1795000000,"Keys":{"id":{"S":"a,\\"NewImage\\":"}},"OldImage":{"id":{"S":"a,\\"NewImage\\":"}},"SequenceNumber":"100000000000000000007","SizeBytes":20,"StreamViewType":"OLD_IMAGE"}';
const ttl = `${stored},"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}}`;
const record = (seq: string): TriggerRecord => ({ json: '{}', shard: 0, counter: Number(seq), sequenceNumber: seq, createdSeconds: 1795000000 });

describe('Lambda event records', () => {
  it('add eventSourceARN and lowercase the TTL identity, as Lambda delivers them', () => {
    const plain = JSON.parse(lambdaRecordJson(`${stored}}`, arn)) as Record<string, unknown>;
    assert.equal(plain['eventSourceARN'], arn);
    assert.deepEqual(Object.keys(plain), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    const expired = JSON.parse(lambdaRecordJson(ttl, arn)) as Record<string, unknown>;
    assert.deepEqual(expired['userIdentity'], { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    assert.equal(expired['eventSourceARN'], arn);
    assert.equal(eventPayload([{ ...record('1'), json: '{"a":1}' }, { ...record('2'), json: '{"b":2}' }]), '{"Records":[{"a":1},{"b":2}]}');
  });

  it('find the creation second and the Keys text (escaped markers inside keys do not confuse it)', () => {
    assert.equal(createdSeconds(`${stored}}`), 1795000000);
    assert.equal(keysText(`${stored}}`), '{"id":{"S":"a,\\"NewImage\\":"}}');
  });

  it('read partial batch responses as Lambda does', () => {
    const batch = ['11', '12', '13'].map(record);
    assert.equal(firstFailedIndex(undefined, batch), 3);
    assert.equal(firstFailedIndex(null, batch), 3);
    assert.equal(firstFailedIndex({ batchItemFailures: [] }, batch), 3);
    assert.equal(firstFailedIndex({ batchItemFailures: [{ itemIdentifier: '13' }, { itemIdentifier: '12' }] }, batch), 1);
    assert.equal(firstFailedIndex({ batchItemFailures: [{ itemIdentifier: '99' }] }, batch), 'invalid');
    assert.equal(firstFailedIndex({ batchItemFailures: [{ itemIdentifier: '' }] }, batch), 'invalid');
    assert.equal(firstFailedIndex({ batchItemFailures: [{}] }, batch), 'invalid');
    assert.equal(firstFailedIndex({ batchItemFailures: 'x' }, batch), 'invalid');
  });

  it('shape the on-failure invocation record', () => {
    const out = failureRecord(['11', '12'].map(record), {
      requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', condition: 'RecordAgeExceeded', invokeCount: 0,
      now: Date.UTC(2026, 10, 21, 1, 2, 3, 456), shardId: 'shardId-1', streamArn: arn,
    });
    assert.deepEqual(out, {
      requestContext: { requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      version: '1.0',
      timestamp: '2026-11-21T01:02:03.456Z',
      DDBStreamBatchInfo: {
        shardId: 'shardId-1', startSequenceNumber: '11', endSequenceNumber: '12', approximateArrivalOfFirstRecord: '2026-11-18T11:06:40Z',
        approximateArrivalOfLastRecord: '2026-11-18T11:06:40Z', batchSize: 2, streamArn: arn,
      },
    });
  });
});
