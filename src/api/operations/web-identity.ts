// STS's AssumeRoleWithWebIdentity: temporary credentials for a role in exchange for an OpenID Connect
// ID token, called without AWS credentials. The token must come from an identity provider made with
// CreateOpenIDConnectProvider (its `iss`), be for one of the provider's client ids (`aud` or `azp`),
// be unexpired and be signed by one of the issuer's keys (fetched from its discovery document); the
// role's trust policy must allow sts:AssumeRoleWithWebIdentity to the provider (Principal Federated)
// with the token's claims as condition keys (`HOST/PATH:aud`, `:sub`, `:amr`). The session keeps those
// keys, so the role's policies may name them as policy variables (`${HOST/PATH:sub}` in a
// dynamodb:LeadingKeys condition gives each signed-in user their own partition).
import { newId, type SessionRecord } from '../../engine/identity-service.js';
import { AccessDeniedException, IamError } from '../../errors/errors.js';
import { evaluate } from '../../iam/evaluate.js';
import { IssuerKeysUnavailable } from '../../iam/issuer-keys.js';
import { parsePolicy } from '../../iam/policy.js';
import { claimValues, readWebIdentityToken, signedByOneOf, webIdentityKeys } from '../../iam/web-identity-token.js';
import { randomBytes } from 'node:crypto';
import { iamOperation } from '../iam-operation.js';
import { integer, list, members, str, struct } from '../validate/shape.js';
import { oidcProviderArn } from './oidc-providers.js';
import { requireRole } from './iam-entities.js';

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
    const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(input.RoleArn);
    if (match === null || match[1] !== ctx.accountId || identities.get('role', match[2] as string) === undefined) throw new AccessDeniedException(webIdentityTexts.notAuthorized);
    const role = requireRole(identities, match[2] as string);
    const federated = webIdentityKeys(provider.name, token.claims);
    const trusted = evaluate([parsePolicy(role.trust, 'trust')], {
      action: 'sts:AssumeRoleWithWebIdentity', resource: input.RoleArn, principal: [oidcProviderArn(ctx.accountId, provider.name)], keys: new Map(Object.entries(federated)),
    });
    if (trusted !== 'allow') throw new AccessDeniedException(webIdentityTexts.notAuthorized);
    const duration = input.DurationSeconds ?? 3600;
    if (duration < 900 || duration > role.maxSessionDuration) {
      throw new IamError('ValidationError', duration < 900
        ? `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`
        : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const secret = identities.newSecret();
    const session: SessionRecord = {
      kind: 'session', name: newId('ASIA'), role: role.name, session: input.RoleSessionName, secret: secret.sealed,
      token: randomBytes(96).toString('base64'), expires: ctx.now + duration * 1000, federated,
    };
    const expired = identities.list('session').filter((s) => s.expires <= ctx.now).map((s) => ({ kind: 'session' as const, name: s.name }));
    await identities.update([{ kind: 'session', name: session.name }, ...expired], (current) => ({ next: current.map((_, i) => (i === 0 ? session : null)), result: undefined }));
    return {
      body: {
        Credentials: { AccessKeyId: session.name, SecretAccessKey: secret.plain, SessionToken: session.token, Expiration: new Date(session.expires) },
        SubjectFromWebIdentityToken: claimValues(token.claims, 'sub')[0] ?? '',
        AssumedRoleUser: { AssumedRoleId: `${role.id}:${session.session}`, Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${session.session}` },
        PackedPolicySize: 0, Provider: issuer, Audience: audience,
      },
    };
  },
});
