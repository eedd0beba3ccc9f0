// IAM's OpenID Connect identity providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
// ListOpenIDConnectProviders and DeleteOpenIDConnectProvider. A provider is its issuer's URL (kept
// without `https://`, as IAM names it in its ARN, `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`) and
// the client ids (audiences) its tokens may be for; AssumeRoleWithWebIdentity trusts tokens only from
// a provider made here. Thumbprints are kept and shown; the issuer's certificate is checked as node
// checks any HTTPS server (docs/security.md).
import type { IdentityService, OidcProviderRecord, Tag } from '../../engine/identity-service.js';
import { IamError } from '../../errors/errors.js';
import { iamOperation } from '../iam-operation.js';
import type { RequestContext } from '../operation.js';
import { list, members, str, struct } from '../validate/shape.js';

const tag = struct('Tag', [['Key', str()], ['Value', str()]]);
const thumbprintsMax = 5;

export const oidcTexts = {
  badUrl: 'Invalid Open ID Connect Provider URL',
  notHttps: 'Invalid Open ID Connect Provider URL. The URL must begin with https://.',
  tooManyThumbprints: `Thumbprint list must contain fewer than ${thumbprintsMax} entries.`,
  exists: (url: string) => `Provider with url ${url} already exists.`,
  notFound: (arn: string) => `OpenIDConnect Provider not found for arn ${arn}`,
};

/** A provider's name from its URL: host and path without the scheme; a URL IAM refuses throws its error. */
function providerName(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new IamError('ValidationError', oidcTexts.badUrl);
  if (!url.toLowerCase().startsWith('https://')) throw new IamError('InvalidInput', oidcTexts.notHttps);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IamError('ValidationError', oidcTexts.badUrl);
  }
  if (parsed.host === '' || parsed.search !== '' || parsed.username !== '') throw new IamError('ValidationError', oidcTexts.badUrl);
  return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, '')}`;
}

export function oidcProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${name}`;
}

/** The provider an ARN names, or NoSuchEntity. */
function requireProvider(identities: IdentityService, ctx: RequestContext, arn: string): OidcProviderRecord {
  const prefix = `arn:aws:iam::${ctx.accountId}:oidc-provider/`;
  const found = arn.startsWith(prefix) ? identities.get('oidc', arn.slice(prefix.length)) : undefined;
  if (found === undefined) throw new IamError('NoSuchEntity', oidcTexts.notFound(arn));
  return found;
}

export const createOpenIdConnectProvider = iamOperation({
  name: 'CreateOpenIDConnectProvider',
  members: members([['Url', str({ notNull: true })], ['ClientIDList', list(str())], ['ThumbprintList', list(str())], ['Tags', list(tag)]]),
  resource: (input, ctx) => oidcProviderArn(ctx.accountId, input.Url.replace(/^https:\/\//i, '')),
  async execute({ engine }, ctx, input) {
    const name = providerName(input.Url);
    const thumbprints = input.ThumbprintList ?? [];
    if (thumbprints.length > thumbprintsMax) throw new IamError('InvalidInput', oidcTexts.tooManyThumbprints);
    const record: OidcProviderRecord = { kind: 'oidc', name, clientIds: input.ClientIDList ?? [], thumbprints, created: ctx.now, tags: (input.Tags ?? []) as Tag[] };
    await engine.identities.update([{ kind: 'oidc', name }], ([current]) => {
      if (current !== undefined) throw new IamError('EntityAlreadyExists', oidcTexts.exists(`https://${name}`));
      return { next: [record], result: undefined };
    });
    return { body: { OpenIDConnectProviderArn: oidcProviderArn(ctx.accountId, name), ...(record.tags.length > 0 ? { Tags: record.tags } : {}) } };
  },
});

export const getOpenIdConnectProvider = iamOperation({
  name: 'GetOpenIDConnectProvider', members: members([['OpenIDConnectProviderArn', str({ notNull: true })]]),
  resource: (input) => input.OpenIDConnectProviderArn,
  async execute({ engine }, ctx, input) {
    const provider = requireProvider(engine.identities, ctx, input.OpenIDConnectProviderArn);
    return {
      body: {
        Url: provider.name, ClientIDList: provider.clientIds, ThumbprintList: provider.thumbprints, CreateDate: new Date(provider.created),
        ...(provider.tags.length > 0 ? { Tags: provider.tags } : {}),
      },
    };
  },
});

export const listOpenIdConnectProviders = iamOperation({
  name: 'ListOpenIDConnectProviders', members: members([]), resource: () => '*',
  async execute({ engine }, ctx) {
    return { body: { OpenIDConnectProviderList: engine.identities.list('oidc').map((p) => ({ Arn: oidcProviderArn(ctx.accountId, p.name) })) } };
  },
});

export const deleteOpenIdConnectProvider = iamOperation({
  name: 'DeleteOpenIDConnectProvider', members: members([['OpenIDConnectProviderArn', str({ notNull: true })]]),
  resource: (input) => input.OpenIDConnectProviderArn,
  async execute({ engine }, ctx, input) {
    const name = requireProvider(engine.identities, ctx, input.OpenIDConnectProviderArn).name;
    await engine.identities.update([{ kind: 'oidc', name }], () => ({ next: [null], result: undefined }));
    return { body: {} };
  },
});

export const oidcProviderOperations = [createOpenIdConnectProvider, getOpenIdConnectProvider, listOpenIdConnectProviders, deleteOpenIdConnectProvider];
