import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeRequestBody, responseEncoding } from './compression.js';

describe('responseEncoding', () => {
  // Accept-Encoding values and the encoding DynamoDB answered them with, as recorded against AWS by
  // ScyllaDB's Alternator tests (test_compressed_response.py); undefined: not compressed.
  const recorded: readonly [string | undefined, string | undefined][] = [
    [undefined, undefined], ['', undefined], ['identity', undefined], ['br', undefined], ['zstd', undefined], ['compress', undefined], ['x-gzip', undefined],
    ['gzip', 'gzip'], ['deflate', 'deflate'],
    ['gzip, deflate', 'gzip'], ['br, identity, deflate, gzip', 'deflate'], ['GZIP, identity', 'gzip'], ['dog, gzip ,, cat', 'gzip'],
    ['gzip;q=0.8, deflate;q=0.5', 'gzip'], ['br, gzip;q=0, deflate; q = 0.5 , identity;q=0', 'deflate'],
    ['*', 'gzip'], ['*, deflate;q=0.5', 'gzip'], ['*, deflate', 'deflate'], ['*, identity', 'gzip'], ['*, gzip;q=0.5', 'deflate'],
    ['gzip ;q=0', undefined], ['identity;q=0', undefined], ['*;q=0', undefined], ['*;q=0.5,identity', 'gzip'],
    ['gzip;q=0.5,identity;q=0.8', 'gzip'], ['br;q=0.8,identity;q=0.5,*;q=0', undefined],
    ['"gzip"', undefined], ['gzip br', undefined], ['gzip:q=1', undefined],
    ['deflate;q=0.5, gzip;q=31', 'gzip'], ['gzip;q=31,deflate;q=51', 'gzip'], ['deflate;q=0.5, gzip;q=0.2', 'deflate'],
    ['deflate;q=0.5, gzip;q=1;q=0.2', 'gzip'], ['deflate;q=0.5,gzip;q=0.', 'deflate'], ['deflate;q=0.5,gzip;q=0.x', 'gzip'],
    ['deflate;q=-0.5,gzip;q=0.2', 'gzip'], ['gzip;nq=1;q=0 ', undefined], ['gzip;q=0, gzip;q=1, gzip;q=0', 'gzip'],
    ['br,identity;q=0.5,gzip;q=0.0001', 'gzip'],
  ];
  for (const [header, expected] of recorded) {
    it(`${JSON.stringify(header)} → ${expected ?? 'not compressed'}`, () => assert.equal(responseEncoding(header), expected));
  }
});

describe('decodeRequestBody', () => {
  const json = Buffer.from('{"TableName":"T"}');
  it('passes an uncompressed body through, and decompresses gzip, several members included', async () => {
    assert.deepEqual(await decodeRequestBody(json, undefined, 100), { ok: true, body: json });
    assert.deepEqual(await decodeRequestBody(json, 'identity', 100), { ok: true, body: json });
    assert.deepEqual(await decodeRequestBody(gzipSync(json), 'GZIP', 100), { ok: true, body: json });
    const twoMembers = Buffer.concat([gzipSync(json.subarray(0, 5)), gzipSync(json.subarray(5))]);
    assert.deepEqual(await decodeRequestBody(twoMembers, 'gzip', 100), { ok: true, body: json });
  });
  it('says why a body cannot be decoded', async () => {
    assert.deepEqual(await decodeRequestBody(json, 'gzip', 100), { ok: false, reason: 'damaged' });
    assert.deepEqual(await decodeRequestBody(Buffer.alloc(0), 'gzip', 100), { ok: false, reason: 'damaged' });
    assert.deepEqual(await decodeRequestBody(gzipSync(json).subarray(0, 20), 'gzip', 100), { ok: false, reason: 'damaged' });
    assert.deepEqual(await decodeRequestBody(json, 'garbage', 100), { ok: false, reason: 'unsupported' });
    assert.deepEqual(await decodeRequestBody(json, 'constructor', 100), { ok: false, reason: 'unsupported' });
    assert.deepEqual(await decodeRequestBody(gzipSync(' '.repeat(1000)), 'gzip', 100), { ok: false, reason: 'too-large' });
  });
});
