// The authorize stage: whether the request's principal may perform the (IAM action, resource) pairs
// the operation declared for this input. --auth none and sigv4 allow every request; --auth iam
// evaluates the caller's identity-based policies and the resource's resource-based policy
// (iam/evaluate.ts) for each pair, with the request's condition keys — the global ones (aws:username,
// aws:userid, aws:PrincipalArn, aws:CurrentTime, …) and the operation's (dynamodb:LeadingKeys,
// dynamodb:Attributes, …). A denied pair answers AccessDeniedException naming the caller, action and
// resource and why: an explicit deny (and in which kind of policy), or no policy allowing it.
import type { Permission } from '../api/operation.js';
import type { Caller } from '../engine/identity-service.js';
import { AccessDeniedException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { evaluate, type ConditionValues } from '../iam/evaluate.js';
import { parsePolicy, type Policy } from '../iam/policy.js';
import type { TableRecord } from '../model/table.js';
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

/** The resource-based policy that governs a resource ARN (its table's, or its stream's), if any. */
export type ResourcePolicyOf = (resource: string, region: string) => Policy | undefined;

/**
 * --auth iam: the caller's identity policies and the resource's policy decide each pair, as AWS
 * decides within one account: an explicit deny in either wins, then an allow in either; the root is
 * allowed unless a resource policy denies it.
 */
export function iamAuthorizer(clock: Clock, resourcePolicyOf: ResourcePolicyOf = () => undefined): Authorizer {
  return {
    authorize(principal, permissions, facts = {}) {
      const caller = principal.caller;
      if (caller === undefined) return;
      const context = new RequestKeys(caller, principal.region, clock, facts);
      const callerArns = caller.kind === 'role' ? [caller.arn, roleArnOf(caller.arn)] : [caller.arn];
      for (const permission of permissions()) {
        context.permission = permission;
        const request = { action: permission.action, resource: permission.resource, principal: callerArns, keys: context };
        const identity = caller.kind === 'root' ? 'allow' : evaluate(caller.policies, request);
        const attached = resourcePolicyOf(permission.resource, principal.region);
        const resource = attached === undefined ? 'none' : evaluate([attached], request);
        if (identity !== 'deny' && resource !== 'deny' && (identity === 'allow' || resource === 'allow')) continue;
        const why = identity === 'deny' ? messages.explicitDeny('identity-based')
          : resource === 'deny' ? messages.explicitDeny('resource-based') : messages.noPolicyAllows('identity-based', permission.action);
        throw new AccessDeniedException(messages.accessDenied(caller.arn, permission.action, permission.resource, why));
      }
    },
  };
}

/** The resource-based policies of the engine's tables and streams, parsed once per document. */
export function tablePolicies(tables: { find(region: string, name: string): TableRecord | undefined }): ResourcePolicyOf {
  const parsed = new Map<string, Policy>();
  /** Each resource ARN asked about: its table's name and the ARN its policy is kept under (null: not a table's or stream's). */
  const named = new Map<string, { readonly table: string; readonly governing: string } | null>();
  return (resource, region) => {
    let name = named.get(resource);
    if (name === undefined) {
      const match = /^(arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/]+))(?:\/index\/[^/]+|(\/stream\/[^/]+))?$/.exec(resource);
      name = match === null ? null : { table: match[2] as string, governing: match[3] === undefined ? (match[1] as string) : `${match[1] as string}${match[3]}` };
      if (named.size >= 10_000) named.clear();
      named.set(resource, name);
    }
    if (name === null) return undefined;
    const document = tables.find(region, name.table)?.resourcePolicies?.[name.governing]?.document;
    if (document === undefined) return undefined;
    let policy = parsed.get(document);
    if (policy === undefined) {
      if (parsed.size >= 1000) parsed.clear();
      policy = parsePolicy(document, 'resource');
      parsed.set(document, policy);
    }
    return policy;
  };
}

/**
 * The request context's condition keys, worked out when a condition asks for one (most policies ask
 * for few): the permission's own (dynamodb:LeadingKeys, …), then the global ones.
 */
class RequestKeys implements ConditionValues {
  permission: Permission | undefined;

  constructor(private readonly caller: Caller, private readonly region: string, private readonly clock: Clock, private readonly facts: RequestFacts) {}

  get(key: string): readonly string[] | undefined {
    const own = this.permission?.keys?.[key];
    if (own !== undefined) return own;
    const caller = this.caller;
    switch (key) {
      case 'aws:userid': return [caller.userId];
      case 'aws:username': return caller.userName === undefined ? undefined : [caller.userName];
      case 'aws:principalarn': return [caller.kind === 'role' ? roleArnOf(caller.arn) : caller.arn];
      case 'aws:principalaccount': return [caller.accountId];
      case 'aws:principaltype': return [caller.kind === 'user' ? 'User' : caller.kind === 'role' ? 'AssumedRole' : 'Account'];
      case 'aws:requestedregion': return [this.region];
      case 'aws:currenttime': return [new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')];
      case 'aws:epochtime': return [String(Math.floor(this.clock.now() / 1000))];
      case 'aws:securetransport': return [this.facts.secure === true ? 'true' : 'false'];
      case 'aws:sourceip': return this.facts.sourceIp === undefined ? undefined : [this.facts.sourceIp];
      default: return caller.federated?.[key];
    }
  }
}

/** A role session's ARN (arn:aws:sts::A:assumed-role/R/S) as aws:PrincipalArn names it: the role's. */
function roleArnOf(sessionArn: string): string {
  const match = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(sessionArn);
  return match === null ? sessionArn : `arn:aws:iam::${match[1]}:role/${match[2]}`;
}
