// STS on the same endpoint: GetCallerIdentity, and AssumeRole — temporary credentials (an ASIA key,
// its secret and a session token, valid for DurationSeconds) for a role whose trust policy names the
// caller or its account; requests signed with them act as the role's session, with its policies.
import { newId, type IdentityService, type RoleRecord, type SessionRecord } from '../../engine/identity-service.js';
import { AccessDeniedException, IamError } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { evaluate } from '../../iam/evaluate.js';
import { parsePolicy } from '../../iam/policy.js';
import { randomBytes } from 'node:crypto';
import { callerOf, iamOperation } from '../iam-operation.js';
import type { RequestContext } from '../operation.js';
import { integer, members, str } from '../validate/shape.js';

export const getCallerIdentity = iamOperation({
  name: 'GetCallerIdentity', service: 'sts', members: members([]),
  // Anyone signed in may ask who they are: no permission is needed.
  resource: () => undefined,
  async execute({ engine }, ctx) {
    const caller = callerOf(engine.identities, ctx);
    return { body: { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn } };
  },
});

/** The role ARN's name (its last path element), or undefined for an ARN of no role of this account. */
export function roleName(arn: string, accountId: string): string | undefined {
  const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match === null || match[1] !== accountId ? undefined : match[2];
}

export const assumeRole = iamOperation({
  name: 'AssumeRole', service: 'sts',
  members: members([['RoleArn', str({ notNull: true })], ['RoleSessionName', str({ notNull: true })], ['DurationSeconds', integer()], ['Policy', str()], ['ExternalId', str()], ['SerialNumber', str()], ['TokenCode', str()], ['SourceIdentity', str()]]),
  names: ['RoleSessionName'],
  resource: (input) => input.RoleArn,
  async execute({ engine }, ctx, input) {
    const identities = engine.identities;
    const caller = callerOf(identities, ctx);
    const name = roleName(input.RoleArn, ctx.accountId);
    const denied = (): AccessDeniedException => new AccessDeniedException(messages.accessDenied(caller.arn, 'sts:AssumeRole', input.RoleArn, messages.noPolicyAllows('resource-based', 'sts:AssumeRole')));
    const role = name === undefined ? undefined : identities.get('role', name);
    if (role === undefined) throw denied();
    if (caller.kind !== 'root') {
      // A trust policy that names the account delegates to it: the caller's own sts:AssumeRole (checked by the authorize stage) is the rest.
      const trust = evaluate([parsePolicy(role.trust, 'trust')], { action: 'sts:AssumeRole', resource: input.RoleArn, principal: [caller.arn, `arn:aws:iam::${caller.accountId}:root`], keys: new Map([['sts:externalid', input.ExternalId === undefined ? [] : [input.ExternalId]]]) });
      if (trust !== 'allow') throw denied();
    }
    return { body: { ...(await roleSession(identities, ctx, role, input.RoleSessionName, input.DurationSeconds)), PackedPolicySize: 0 } };
  },
});


/**
 * A new session of `role` (AssumeRole, AssumeRoleWithWebIdentity): DurationSeconds checked against
 * the role, its temporary credentials stored (sessions past their expiry go as it is made), and the
 * answer's Credentials and AssumedRoleUser. `federated`: a web identity session's condition keys.
 */
export async function roleSession(
  identities: IdentityService, ctx: RequestContext, role: RoleRecord, sessionName: string, durationSeconds: number | undefined,
  federated?: Readonly<Record<string, readonly string[]>>,
): Promise<{ Credentials: Record<string, unknown>; AssumedRoleUser: Record<string, unknown> }> {
  const duration = durationSeconds ?? 3600;
  if (duration < 900 || duration > role.maxSessionDuration) {
    throw new IamError('ValidationError', duration < 900
      ? `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`
      : `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  const secret = identities.newSecret();
  const session: SessionRecord = {
    kind: 'session', name: newId('ASIA'), role: role.name, session: sessionName, secret: secret.sealed,
    token: randomBytes(96).toString('base64'), expires: ctx.now + duration * 1000, ...(federated === undefined ? {} : { federated }),
  };
  const expired = identities.list('session').filter((s) => s.expires <= ctx.now).map((s) => ({ kind: 'session' as const, name: s.name }));
  await identities.update([{ kind: 'session', name: session.name }, ...expired], (current) => ({ next: current.map((_, i) => (i === 0 ? session : null)), result: undefined }));
  return {
    Credentials: { AccessKeyId: session.name, SecretAccessKey: secret.plain, SessionToken: session.token, Expiration: new Date(session.expires) },
    AssumedRoleUser: { AssumedRoleId: `${role.id}:${session.session}`, Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${session.session}` },
  };
}
