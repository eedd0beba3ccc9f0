// IAM's and STS's operations on the same endpoint (the query protocol: Action=…&Version=2010-05-08 or
// 2011-06-15): their members read by their shapes, required ones and names checked with IAM's
// ValidationError texts, `iam:<name>` (`sts:<name>`) on the resource they name.
import type { Caller, IdentityService } from '../engine/identity-service.js';
import { IamError } from '../errors/errors.js';
import { operation, type OperationDefinition, type OperationResult, type Permission, type RequestContext, type Services } from './operation.js';
import type { InputOfMembers, Members } from './validate/shape.js';

export const iamTarget = 'AWSIdentityManagementV20100508';
export const stsTarget = 'AWSSecurityTokenServiceV20110615';

/** IAM's name pattern for users, groups, roles and policies. */
const namePattern = /^[\w+=,.@-]+$/;
const pathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;

export function iamOperation<const M extends Members>(definition: {
  readonly name: string;
  readonly service?: 'iam' | 'sts';
  /** Its members; those IAM requires are notNull. */
  readonly members: M;
  /** Members holding an entity's name (checked against IAM's pattern). */
  readonly names?: readonly string[];
  /** The resource its permission names; undefined: an operation that needs no permission (GetCallerIdentity). */
  readonly resource: (input: InputOfMembers<M>, ctx: RequestContext) => string | undefined;
  readonly execute: (services: Services, ctx: RequestContext, input: InputOfMembers<M>) => Promise<OperationResult>;
  /** Called without credentials (AssumeRoleWithWebIdentity). */
  readonly anonymous?: boolean;
}): OperationDefinition<InputOfMembers<M>> {
  const service = definition.service ?? 'iam';
  return operation({
    name: definition.name,
    target: service === 'iam' ? iamTarget : stsTarget,
    kind: 'control',
    members: definition.members,
    decode: (body) => {
      const record = (body ?? {}) as Record<string, unknown>;
      const problems: string[] = [];
      for (const [name, shape] of definition.members) {
        if (shape.notNull === true && record[name] === undefined) problems.push(`Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const name of definition.names ?? []) {
        const value = record[name];
        if (typeof value === 'string' && !namePattern.test(value)) problems.push(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
      }
      const path = record['Path'] ?? record['PathPrefix'];
      if (typeof path === 'string' && !pathPattern.test(path)) problems.push(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
      if (problems.length > 0) throw new IamError('ValidationError', problems.length === 1 && problems[0]?.startsWith('The specified') === true ? problems[0] : `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
      return record as InputOfMembers<M>;
    },
    permissions: (input, ctx): Permission[] => {
      const resource = definition.resource(input, ctx);
      return resource === undefined ? [] : [{ action: `${service}:${definition.name}`, resource }];
    },
    execute: definition.execute,
    ...(definition.anonymous === true ? { anonymous: true } : {}),
  });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Who makes the request: the verified caller, or (--auth none) the account's root. */
export function callerOf(identities: IdentityService, ctx: RequestContext): Caller {
  return ctx.caller ?? identities.root;
}

/** An IAM entity's ARN in the request's account. */
export function iamArn(ctx: RequestContext, kind: 'user' | 'group' | 'role' | 'policy', name: string | undefined, path = '/'): string {
  return `arn:aws:iam::${ctx.accountId}:${kind}${path}${name ?? '*'}`;
}
