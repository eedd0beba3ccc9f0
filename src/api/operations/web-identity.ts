// STS's AssumeRoleWithWebIdentity: temporary credentials for a role in exchange for an OpenID Connect
// ID token, called without AWS credentials. The token must come from an identity provider made with
// CreateOpenIDConnectProvider (its `iss`), be for one of the provider's client ids (`aud` or `azp`),
// be unexpired and be signed by one of the issuer's keys (fetched from its discovery document); the
// role's trust policy must allow sts:AssumeRoleWithWebIdentity to the provider (Principal Federated)
// with the token's claims as condition keys (`HOST/PATH:aud`, `:sub`, `:amr`). The session keeps those
// keys, so the role's policies may name them as policy variables (`${HOST/PATH:sub}` in a
// dynamodb:LeadingKeys condition gives each signed-in user their own partition).
import { AccessDeniedException, IamError } from '../../errors/errors.js';
import { evaluate } from '../../iam/evaluate.js';
import { IssuerKeysUnavailable } from '../../iam/issuer-keys.js';
import { parsePolicy } from '../../iam/policy.js';
import { claimValues, readWebIdentityToken, signedByOneOf, webIdentityKeys } from '../../iam/web-identity-token.js';
import { iamOperation } from '../iam-operation.js';
import { integer, list, members, str, struct } from '../validate/shape.js';
import { oidcProviderArn } from './oidc-providers.js';
import { roleName, roleSession } from './sts.js';

export const webIdentityTexts = {
  notJwt: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
  noProvider: (issuer: string) => `No OpenIDConnect provider found in your account for ${issuer}`,
  audience: 'Incorrect token audience',
  expired: (nowSeconds: number, expSeconds: number) => `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${expSeconds}`,
  noKey: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  badSignature: 'Signature verification failed',
  notAuthorized: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
};

const policyArn = struct('PolicyDescriptorType', [['arn', str()]]);

export const assumeRoleWithWebIdentity = iamOperation({
  name: 'AssumeRoleWithWebIdentity', service: 'sts', anonymous: true,
  members: members([
    ['RoleArn', str({ notNull: true })], ['RoleSessionName', str({ notNull: true })], ['WebIdentityToken', str({ notNull: true })], ['ProviderId', str()],
    ['PolicyArns', list(policyArn)], ['Policy', str()], ['DurationSeconds', integer()],
  ]),
  names: ['RoleSessionName'],
  // No caller, so no permission of one: the token and the role's trust policy decide.
  resource: () => undefined,
  async execute({ engine }, ctx, input) {
    const identities = engine.identities;
    const token = readWebIdentityToken(input.WebIdentityToken);
    if (token === undefined) throw new IamError('InvalidIdentityToken', webIdentityTexts.notJwt);
    const issuer = claimValues(token.claims, 'iss')[0] ?? '';
    const provider = identities.get('oidc', issuer.replace(/^https:\/\//i, '').replace(/\/+$/, ''));
    if (provider === undefined || !issuer.toLowerCase().startsWith('https://')) throw new IamError('InvalidIdentityToken', webIdentityTexts.noProvider(issuer));
    const audience = [...claimValues(token.claims, 'aud'), ...claimValues(token.claims, 'azp')].find((a) => provider.clientIds.includes(a));
    if (audience === undefined) throw new IamError('InvalidIdentityToken', webIdentityTexts.audience);
    const exp = Number(token.claims['exp']);
    if (!Number.isFinite(exp) || exp * 1000 <= ctx.now) throw new IamError('ExpiredTokenException', webIdentityTexts.expired(Math.floor(ctx.now / 1000), Number.isFinite(exp) ? exp : 0));
    let keys;
    try {
      const kid = token.header['kid'];
      keys = await identities.issuerKeys.of(issuer, typeof kid === 'string' ? kid : undefined);
    } catch (error) {
      if (error instanceof IssuerKeysUnavailable) throw new IamError('InvalidIdentityToken', webIdentityTexts.noKey);
      throw error;
    }
    if (!signedByOneOf(token, keys)) throw new IamError('InvalidIdentityToken', webIdentityTexts.badSignature);
    const name = roleName(input.RoleArn, ctx.accountId);
    const role = name === undefined ? undefined : identities.get('role', name);
    if (role === undefined) throw new AccessDeniedException(webIdentityTexts.notAuthorized);
    const federated = webIdentityKeys(provider.name, token.claims);
    const trusted = evaluate([parsePolicy(role.trust, 'trust')], {
      action: 'sts:AssumeRoleWithWebIdentity', resource: input.RoleArn, principal: [oidcProviderArn(ctx.accountId, provider.name)], keys: new Map(Object.entries(federated)),
    });
    if (trusted !== 'allow') throw new AccessDeniedException(webIdentityTexts.notAuthorized);
    const session = await roleSession(identities, ctx, role, input.RoleSessionName, input.DurationSeconds, federated);
    return {
      body: {
        Credentials: session.Credentials, SubjectFromWebIdentityToken: claimValues(token.claims, 'sub')[0] ?? '', AssumedRoleUser: session.AssumedRoleUser,
        PackedPolicySize: 0, Provider: issuer, Audience: audience,
      },
    };
  },
});
