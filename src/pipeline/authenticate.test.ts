// Structural SigV4 checks: which header shapes pass, and the exact complaint for each that does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticate } from './authenticate.js';

const date = { 'x-amz-date': '20261121T000000Z' };
const none = new URLSearchParams();

describe('authenticate', () => {
  const accepted: readonly [string, string, string][] = [
    ['AWS4-HMAC-SHA256 Credential=AKID/20261121/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab12', 'AKID', 'eu-west-1'],
    ['AWS4-HMAC-SHA256 Credential=K/d/ap-south-1/dynamodb/aws4_request,SignedHeaders=host,Signature=x', 'K', 'ap-south-1'],
    ['AWS4-HMAC-SHA256 Signature=x Credential=K/d/us-west-2/dynamodb/aws4_request/ SignedHeaders=host', 'K', 'us-west-2'],
  ];
  for (const [authorization, accessKeyId, region] of accepted) {
    it(`reads ${region} from ${authorization.slice(0, 50)}…`, () => {
      assert.deepEqual(authenticate({ authorization, ...date }, none), { accessKeyId, region });
    });
  }

  const refused: readonly [Record<string, string>, string, string][] = [
    [{}, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token'],
    [{ authorization: 'Bearer x' }, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token'],
    [{ authorization: 'AWS4-HMAC-SHA256 XCredential=a/b/c/d/e, Signature=s, SignedHeaders=h', ...date }, 'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 XCredential=a/b/c/d/e, Signature=s, SignedHeaders=h"],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=, Signature=s, SignedHeaders=h' }, 'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=, Signature=s, SignedHeaders=h"],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, Signature=s, SignedHeaders=h', ...date }, 'IncompleteSignatureException',
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d/e/f'"],
  ];
  for (const [headers, name, message] of refused) {
    it(`refuses ${JSON.stringify(headers).slice(0, 60)} with ${name}`, () => {
      assert.throws(() => authenticate(headers, none), (error: Error) => error.name === name && error.message === message);
    });
  }
});
