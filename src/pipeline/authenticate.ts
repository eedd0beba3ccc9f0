// The authenticate stage: the structure of SigV4 authentication (header or query string), in
// DynamoDB's order and with its texts, then — with --auth sigv4 or iam — the signature itself
// (iam/sigv4.ts) against the keys the identity service holds, giving the principal: the access key,
// the region of the credential scope and, when verified, the caller it stands for.
import type { Caller, IdentityService } from '../engine/identity-service.js';
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException, UnrecognizedClientException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { presignedSeconds, SignatureVerifier, type KeySecret, type SignatureClaim, type SignedRequest } from '../iam/sigv4.js';
import type { Clock } from '../model/clock.js';

/** Credential scope: keyid/date/region/service/aws4_request. */
const credentialElements = 5;

/** Who sent the request, and the region it addressed. */
export interface Principal {
  readonly accessKeyId: string;
  readonly region: string;
  /** The verified caller (--auth sigv4 | iam); undefined with --auth none. */
  readonly caller?: Caller;
}

export type AuthMode = 'none' | 'sigv4' | 'iam';

/** The service name a target's requests are signed for. */
const signingNames: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'dynamodb', DynamoDBStreams_20120810: 'dynamodb', AnyScaleFrontendService: 'application-autoscaling',
  GraniteServiceVersion20100801: 'monitoring', AWSIdentityManagementV20100508: 'iam', AWSSecurityTokenServiceV20110615: 'sts', TrentService: 'kms',
};

/** The authenticate stage with signatures verified: the signature's structure, then the signature. */
export class SignatureAuthenticator {
  private readonly verifier = new SignatureVerifier();
  private readonly secretOf: (accessKeyId: string) => KeySecret | undefined;

  constructor(private readonly identities: IdentityService, private readonly clock: Clock) {
    this.secretOf = (id) => identities.secretOf(id);
  }

  authenticate(headers: Headers, query: URLSearchParams, signed: SignedRequest, target: string): Principal {
    const claim = signatureClaim(headers, query);
    const verified = this.verifier.verify(signed, claim, signingNames[target] ?? 'dynamodb', this.clock.now(), this.secretOf);
    const caller = this.identities.callerOf(verified.accessKeyId);
    if (caller === undefined) throw new UnrecognizedClientException(messages.unknownAccessKey);
    return { accessKeyId: verified.accessKeyId, region: verified.region, caller };
  }
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** --auth none: the signature's structure, and the key and region it names. */
export function authenticate(headers: Headers, query: URLSearchParams): Principal {
  return fromCredential(signatureClaim(headers, query).credential);
}

/** The signature a request claims, once its structure holds (header or query string, not both). */
export function signatureClaim(headers: Headers, query: URLSearchParams): SignatureClaim {
  const authorization = header(headers, 'authorization');
  const queryAuth = query.has('X-Amz-Algorithm');
  if (authorization !== undefined && queryAuth) throw new InvalidSignatureException(messages.bothAuthorizationForms);
  if (authorization === undefined && !queryAuth) throw new MissingAuthenticationTokenException(messages.missingAuthenticationToken);
  if (authorization !== undefined) return fromHeader(authorization, headers);
  return fromQuery(query);
}

function fromHeader(authorization: string, headers: Headers): SignatureClaim {
  if (!authorization.trim().startsWith('AWS4-')) throw new MissingAuthenticationTokenException(messages.missingAuthenticationToken);
  const credential = parameter(authorization, 'Credential');
  const signature = parameter(authorization, 'Signature');
  const signedHeaders = parameter(authorization, 'SignedHeaders');
  const amzDate = header(headers, 'x-amz-date');
  const date = amzDate ?? header(headers, 'date');
  let problems = '';
  if (credential === '') problems += messages.missingAuthorizationParameter('Credential');
  if (signature === '') problems += messages.missingAuthorizationParameter('Signature');
  if (signedHeaders === '') problems += messages.missingAuthorizationParameter('SignedHeaders');
  if (date === undefined) problems += messages.missingDateHeader;
  if (problems !== '') throw new IncompleteSignatureException(problems + messages.authorizationSuffix(authorization));
  const token = header(headers, 'x-amz-security-token');
  const start = authorization.length - authorization.trimStart().length;
  const space = authorization.indexOf(' ', start);
  return {
    algorithm: authorization.slice(start, space < 0 ? undefined : space), credential, signedHeaders, signature,
    date: date as string, httpDate: amzDate === undefined, presigned: false, ...(token === undefined ? {} : { sessionToken: token }),
  };
}

/**
 * The value of `name=value` among the header's comma- or space-separated parameters ('' when absent
 * or empty). Scans with indexOf: this runs on every request.
 */
function parameter(authorization: string, name: string): string {
  const firstSpace = authorization.indexOf(' ');
  if (firstSpace < 0) return '';
  let at = authorization.indexOf(`${name}=`, firstSpace);
  while (at >= 0) {
    const before = authorization.charCodeAt(at - 1);
    if (before === 0x20 || before === 0x2c) {
      const start = at + name.length + 1;
      let end = start;
      while (end < authorization.length && authorization[end] !== ',' && authorization[end] !== ' ') end++;
      return authorization.slice(start, end);
    }
    at = authorization.indexOf(`${name}=`, at + 1);
  }
  return '';
}

function fromQuery(query: URLSearchParams): SignatureClaim {
  let problems = '';
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) problems += messages.missingQueryParameter(name);
  }
  if (problems !== '') throw new IncompleteSignatureException(problems + messages.queryParametersSuffix);
  const expires = query.get('X-Amz-Expires');
  const seconds = expires === null ? undefined : presignedSeconds(expires);
  if (typeof seconds === 'string') throw new IncompleteSignatureException(seconds);
  const token = query.get('X-Amz-Security-Token');
  return {
    algorithm: query.get('X-Amz-Algorithm') as string, credential: query.get('X-Amz-Credential') as string, signedHeaders: query.get('X-Amz-SignedHeaders') as string,
    signature: query.get('X-Amz-Signature') as string, date: query.get('X-Amz-Date') as string, httpDate: false, presigned: true,
    ...(seconds === undefined ? {} : { expiresSeconds: seconds }), ...(token === null ? {} : { sessionToken: token }),
  };
}

function fromCredential(credential: string): Principal {
  const parts = credential.replace(/\/+$/, '').split('/');
  if (parts.length !== credentialElements) throw new IncompleteSignatureException(messages.credentialElements(credential));
  return { accessKeyId: parts[0] as string, region: parts[2] as string };
}
