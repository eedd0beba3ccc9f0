// The authorize stage: whether the request's principal may perform the (IAM action, resource) pairs
// the operation declared for this input. --auth none and sigv4 allow every request; --auth iam
// evaluates the caller's identity-based policies (iam/evaluate.ts) for each pair, with the request's
// condition keys — the global ones (aws:username, aws:userid, aws:PrincipalArn, aws:CurrentTime, …)
// and the operation's (dynamodb:LeadingKeys, dynamodb:Attributes, …). The account root is allowed
// everything. A denied pair answers AccessDeniedException naming the caller, action and resource
// and why: an explicit deny, or no policy allowing it.
import type { Permission } from '../api/operation.js';
import type { Caller } from '../engine/identity-service.js';
import { AccessDeniedException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { evaluate } from '../iam/evaluate.js';
import type { Clock } from '../model/clock.js';
import type { Principal } from './authenticate.js';

export interface Authorizer {
  /**
   * Throws the exception DynamoDB answers a denied request with. `permissions` computes what the
   * request needs; an authorizer that allows everything never calls it, so it costs nothing.
   */
  authorize(principal: Principal, permissions: () => readonly Permission[], request?: RequestFacts): void;
}

/** What the request context knows beyond the caller: where it came from and how. */
export interface RequestFacts {
  readonly sourceIp?: string;
  readonly secure?: boolean;
}

export const allowAll: Authorizer = {
  authorize() {},
};

/** --auth iam: the caller's policies decide each pair. */
export function iamAuthorizer(clock: Clock): Authorizer {
  return {
    authorize(principal, permissions, facts = {}) {
      const caller = principal.caller;
      if (caller === undefined || caller.kind === 'root') return;
      const global = globalKeys(caller, principal.region, clock.now(), facts);
      for (const permission of permissions()) {
        const keys = permission.keys === undefined ? global : withPermissionKeys(global, permission);
        const decision = evaluate(caller.policies, { action: permission.action, resource: permission.resource, principal: caller.arn, keys });
        if (decision === 'allow') continue;
        const why = decision === 'deny' ? messages.explicitDeny('identity-based') : messages.noPolicyAllows('identity-based', permission.action);
        throw new AccessDeniedException(messages.accessDenied(caller.arn, permission.action, permission.resource, why));
      }
    },
  };
}

/** The request context's global keys, lower case as conditions name them. */
function globalKeys(caller: Caller, region: string, now: number, facts: RequestFacts): Map<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>([
    ['aws:userid', [caller.userId]],
    ['aws:principalarn', [caller.kind === 'role' ? roleArnOf(caller.arn) : caller.arn]],
    ['aws:principalaccount', [caller.accountId]],
    ['aws:principaltype', [caller.kind === 'user' ? 'User' : caller.kind === 'role' ? 'AssumedRole' : 'Account']],
    ['aws:requestedregion', [region]],
    ['aws:currenttime', [new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')]],
    ['aws:epochtime', [String(Math.floor(now / 1000))]],
    ['aws:securetransport', [facts.secure === true ? 'true' : 'false']],
  ]);
  if (caller.userName !== undefined) keys.set('aws:username', [caller.userName]);
  if (facts.sourceIp !== undefined) keys.set('aws:sourceip', [facts.sourceIp]);
  return keys;
}

function withPermissionKeys(global: ReadonlyMap<string, readonly string[]>, permission: Permission): Map<string, readonly string[]> {
  const keys = new Map(global);
  for (const [name, values] of Object.entries(permission.keys ?? {})) keys.set(name.toLowerCase(), values);
  return keys;
}

/** A role session's ARN (arn:aws:sts::A:assumed-role/R/S) as aws:PrincipalArn names it: the role's. */
function roleArnOf(sessionArn: string): string {
  const match = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(sessionArn);
  return match === null ? sessionArn : `arn:aws:iam::${match[1]}:role/${match[2]}`;
}
