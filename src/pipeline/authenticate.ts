// The authenticate stage: structural checks of SigV4 authentication (header or query string), in
// DynamoDB's order and with its texts, giving the principal (access key) and the region of the
// credential scope. Signatures are verified by a later version.
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

/** Credential scope: keyid/date/region/service/aws4_request. */
const credentialElements = 5;

/** Who sent the request, and the region it addressed. */
export interface Principal {
  readonly accessKeyId: string;
  readonly region: string;
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function authenticate(headers: Headers, query: URLSearchParams): Principal {
  const authorization = header(headers, 'authorization');
  const queryAuth = query.has('X-Amz-Algorithm');
  if (authorization !== undefined && queryAuth) throw new InvalidSignatureException(messages.bothAuthorizationForms);
  if (authorization === undefined && !queryAuth) throw new MissingAuthenticationTokenException(messages.missingAuthenticationToken);
  if (authorization !== undefined) return fromHeader(authorization, headers);
  return fromQuery(query);
}

function fromHeader(authorization: string, headers: Headers): Principal {
  if (!authorization.trim().startsWith('AWS4-')) throw new MissingAuthenticationTokenException(messages.missingAuthenticationToken);
  const credential = parameter(authorization, 'Credential');
  let problems = '';
  if (credential === '') problems += messages.missingAuthorizationParameter('Credential');
  if (parameter(authorization, 'Signature') === '') problems += messages.missingAuthorizationParameter('Signature');
  if (parameter(authorization, 'SignedHeaders') === '') problems += messages.missingAuthorizationParameter('SignedHeaders');
  if (header(headers, 'x-amz-date') === undefined && header(headers, 'date') === undefined) problems += messages.missingDateHeader;
  if (problems !== '') throw new IncompleteSignatureException(problems + messages.authorizationSuffix(authorization));
  return fromCredential(credential);
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

function fromQuery(query: URLSearchParams): Principal {
  let problems = '';
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) problems += messages.missingQueryParameter(name);
  }
  if (problems !== '') throw new IncompleteSignatureException(problems + messages.queryParametersSuffix);
  return fromCredential(query.get('X-Amz-Credential') as string);
}

function fromCredential(credential: string): Principal {
  const parts = credential.replace(/\/+$/, '').split('/');
  if (parts.length !== credentialElements) throw new IncompleteSignatureException(messages.credentialElements(credential));
  return { accessKeyId: parts[0] as string, region: parts[2] as string };
}
