// IAM's policies on the same endpoint: inline policies of users, groups and roles (Put, Get, Delete,
// List …Policy) and managed policies (CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies,
// DeletePolicy; Attach, Detach, ListAttached …Policies). A document is checked against the policy
// grammar before it is kept (MalformedPolicyDocument); documents come back URL-encoded, as IAM's do.
import { arnOf, newId, type IdentityKind, type IdentityService, type PolicyRecord } from '../../engine/identity-service.js';
import { IamError } from '../../errors/errors.js';
import { parsePolicy } from '../../iam/policy.js';
import { iamArn, iamOperation } from '../iam-operation.js';
import type { OperationDefinition, RequestContext } from '../operation.js';
import { integer, members, str } from '../validate/shape.js';

type Holder = 'user' | 'group' | 'role';
const holderNames: Readonly<Record<Holder, 'User' | 'Group' | 'Role'>> = { user: 'User', group: 'Group', role: 'Role' };

const texts = {
  noHolder: (kind: Holder, name: string) => `The ${kind} with name ${name} cannot be found.`,
  noInline: (kind: Holder, name: string) => `The ${kind} policy with name ${name} cannot be found.`,
  noPolicy: (arn: string) => `Policy ${arn} does not exist or is not attachable.`,
  policyExists: (name: string) => `A policy called ${name} already exists. Duplicate names are not allowed.`,
  notAttached: (arn: string) => `Policy ${arn} was not found.`,
  attachedElsewhere: 'Cannot delete a policy attached to entities.',
  noVersion: (arn: string, version: string) => `Policy ${arn} version ${version} does not exist.`,
};

/** The members of a request whose names are made per holder kind (UserName, GroupName, RoleName). */
function fields(input: object): Readonly<Record<string, string>> {
  return input as Readonly<Record<string, string>>;
}

function policyArn(ctx: RequestContext, policy: PolicyRecord): string {
  return arnOf(ctx.accountId, 'policy', policy.path, policy.name);
}

/** The managed policy an ARN names (in this account), or NoSuchEntity. */
function requirePolicy(identities: IdentityService, ctx: RequestContext, arn: string): PolicyRecord {
  const policy = identities.list('policy').find((p) => policyArn(ctx, p) === arn);
  if (policy === undefined) throw new IamError('NoSuchEntity', texts.noPolicy(arn));
  return policy;
}

function attachmentCount(identities: IdentityService, arn: string): number {
  return (['user', 'group', 'role'] as const).reduce((sum, kind) => sum + identities.list(kind).filter((h) => h.attached.includes(arn)).length, 0);
}

function policyDescription(identities: IdentityService, ctx: RequestContext, policy: PolicyRecord): Record<string, unknown> {
  const arn = policyArn(ctx, policy);
  return {
    PolicyName: policy.name, PolicyId: policy.id, Arn: arn, Path: policy.path, DefaultVersionId: 'v1', AttachmentCount: attachmentCount(identities, arn),
    PermissionsBoundaryUsageCount: 0, IsAttachable: true, ...(policy.description === undefined ? {} : { Description: policy.description }),
    CreateDate: new Date(policy.created), UpdateDate: new Date(policy.updated),
  };
}

/** Put, Get, Delete and List of one holder kind's inline policies. */
function inlinePolicies(kind: Holder): OperationDefinition[] {
  const Name = holderNames[kind];
  const nameMember = `${Name}Name` as const;
  const holderArn = (input: Readonly<Record<string, unknown>>, ctx: RequestContext): string => iamArn(ctx, kind, input[nameMember] as string);
  const change = async (identities: IdentityService, holder: string, policy: string, document: string | null): Promise<void> => {
    await identities.update([{ kind, name: holder }], ([current]) => {
      if (current?.kind !== kind) throw new IamError('NoSuchEntity', texts.noHolder(kind, holder));
      if (document === null && current.inline[policy] === undefined) throw new IamError('NoSuchEntity', texts.noInline(kind, policy));
      const inline = Object.fromEntries(Object.entries(current.inline).filter(([n]) => n !== policy));
      return { next: [{ ...current, inline: document === null ? inline : { ...inline, [policy]: document } }], result: undefined };
    });
  };
  const holderOf = (identities: IdentityService, name: string): { readonly inline: Readonly<Record<string, string>> } => {
    const holder = identities.get(kind as IdentityKind, name);
    if (holder === undefined || !('inline' in holder)) throw new IamError('NoSuchEntity', texts.noHolder(kind, name));
    return holder;
  };
  return [
    iamOperation({
      name: `Put${Name}Policy`, members: members([[nameMember, str({ notNull: true })], ['PolicyName', str({ notNull: true })], ['PolicyDocument', str({ notNull: true })]]), names: [nameMember, 'PolicyName'],
      resource: holderArn,
      async execute({ engine }, _ctx, input) {
        const record = fields(input);
        parsePolicy(record['PolicyDocument'] as string, 'identity');
        await change(engine.identities, record[nameMember] as string, record['PolicyName'] as string, record['PolicyDocument'] as string);
        return { body: {} };
      },
    }),
    iamOperation({
      name: `Get${Name}Policy`, members: members([[nameMember, str({ notNull: true })], ['PolicyName', str({ notNull: true })]]), names: [nameMember, 'PolicyName'],
      resource: holderArn,
      async execute({ engine }, _ctx, input) {
        const record = fields(input);
        const holder = record[nameMember] as string;
        const policy = record['PolicyName'] as string;
        const document = holderOf(engine.identities, holder).inline[policy];
        if (document === undefined) throw new IamError('NoSuchEntity', texts.noInline(kind, policy));
        return { body: { [nameMember]: holder, PolicyName: policy, PolicyDocument: encodeURIComponent(document) } };
      },
    }),
    iamOperation({
      name: `Delete${Name}Policy`, members: members([[nameMember, str({ notNull: true })], ['PolicyName', str({ notNull: true })]]), names: [nameMember, 'PolicyName'],
      resource: holderArn,
      async execute({ engine }, _ctx, input) {
        const record = fields(input);
        await change(engine.identities, record[nameMember] as string, record['PolicyName'] as string, null);
        return { body: {} };
      },
    }),
    iamOperation({
      name: `List${Name}Policies`, members: members([[nameMember, str({ notNull: true })], ['Marker', str()], ['MaxItems', integer()]]), names: [nameMember],
      resource: holderArn,
      async execute({ engine }, _ctx, input) {
        const holder = holderOf(engine.identities, fields(input)[nameMember] as string);
        return { body: { PolicyNames: Object.keys(holder.inline).sort(), IsTruncated: false } };
      },
    }),
  ];
}

/** Attach, Detach and ListAttached of one holder kind's managed policies. */
function attachedPolicies(kind: Holder): OperationDefinition[] {
  const Name = holderNames[kind];
  const nameMember = `${Name}Name` as const;
  const holderArn = (input: Readonly<Record<string, unknown>>, ctx: RequestContext): string => iamArn(ctx, kind, input[nameMember] as string);
  const change = async (identities: IdentityService, ctx: RequestContext, holder: string, arn: string, attach: boolean): Promise<void> => {
    if (attach) requirePolicy(identities, ctx, arn);
    await identities.update([{ kind, name: holder }], ([current]) => {
      if (current?.kind !== kind) throw new IamError('NoSuchEntity', texts.noHolder(kind, holder));
      if (!attach && !current.attached.includes(arn)) throw new IamError('NoSuchEntity', texts.notAttached(arn));
      const others = current.attached.filter((a) => a !== arn);
      return { next: [{ ...current, attached: attach ? [...others, arn] : others }], result: undefined };
    });
  };
  return [
    iamOperation({
      name: `Attach${Name}Policy`, members: members([[nameMember, str({ notNull: true })], ['PolicyArn', str({ notNull: true })]]), names: [nameMember],
      resource: holderArn,
      async execute({ engine }, ctx, input) {
        const record = fields(input);
        await change(engine.identities, ctx, record[nameMember] as string, record['PolicyArn'] as string, true);
        return { body: {} };
      },
    }),
    iamOperation({
      name: `Detach${Name}Policy`, members: members([[nameMember, str({ notNull: true })], ['PolicyArn', str({ notNull: true })]]), names: [nameMember],
      resource: holderArn,
      async execute({ engine }, ctx, input) {
        const record = fields(input);
        await change(engine.identities, ctx, record[nameMember] as string, record['PolicyArn'] as string, false);
        return { body: {} };
      },
    }),
    iamOperation({
      name: `ListAttached${Name}Policies`, members: members([[nameMember, str({ notNull: true })], ['PathPrefix', str()], ['Marker', str()], ['MaxItems', integer()]]), names: [nameMember],
      resource: holderArn,
      async execute({ engine }, ctx, input) {
        const name = fields(input)[nameMember] as string;
        const holder = engine.identities.get(kind, name);
        if (holder === undefined) throw new IamError('NoSuchEntity', texts.noHolder(kind, name));
        const attached = holder.attached.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
        return { body: { AttachedPolicies: attached, IsTruncated: false } };
      },
    }),
  ];
}

export const createPolicy = iamOperation({
  name: 'CreatePolicy', members: members([['PolicyName', str({ notNull: true })], ['Path', str()], ['PolicyDocument', str({ notNull: true })], ['Description', str()]]), names: ['PolicyName'],
  resource: (input, ctx) => iamArn(ctx, 'policy', input.PolicyName, input.Path),
  async execute({ engine }, ctx, input) {
    parsePolicy(input.PolicyDocument, 'identity');
    const record: PolicyRecord = {
      kind: 'policy', name: input.PolicyName, id: newId('ANPA'), path: input.Path ?? '/', created: ctx.now, updated: ctx.now, document: input.PolicyDocument,
      ...(input.Description === undefined ? {} : { description: input.Description }),
    };
    await engine.identities.update([{ kind: 'policy', name: input.PolicyName }], ([current]) => {
      if (current !== undefined) throw new IamError('EntityAlreadyExists', texts.policyExists(input.PolicyName));
      return { next: [record], result: undefined };
    });
    return { body: { Policy: policyDescription(engine.identities, ctx, record) } };
  },
});

export const getPolicy = iamOperation({
  name: 'GetPolicy', members: members([['PolicyArn', str({ notNull: true })]]), resource: (input) => input.PolicyArn,
  async execute({ engine }, ctx, input) {
    return { body: { Policy: policyDescription(engine.identities, ctx, requirePolicy(engine.identities, ctx, input.PolicyArn)) } };
  },
});

export const getPolicyVersion = iamOperation({
  name: 'GetPolicyVersion', members: members([['PolicyArn', str({ notNull: true })], ['VersionId', str({ notNull: true })]]), resource: (input) => input.PolicyArn,
  async execute({ engine }, ctx, input) {
    const policy = requirePolicy(engine.identities, ctx, input.PolicyArn);
    if (input.VersionId !== 'v1') throw new IamError('NoSuchEntity', texts.noVersion(input.PolicyArn, input.VersionId));
    return { body: { PolicyVersion: { Document: encodeURIComponent(policy.document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(policy.created) } } };
  },
});

export const listPolicies = iamOperation({
  name: 'ListPolicies', members: members([['Scope', str()], ['OnlyAttached', str()], ['PathPrefix', str()], ['PolicyUsageFilter', str()], ['Marker', str()], ['MaxItems', integer()]]),
  // Not an ARN: AWS's refusal names "policy path /" (or the PathPrefix asked for).
  resource: (input) => `policy path ${input.PathPrefix ?? '/'}`,
  async execute({ engine }, ctx, input) {
    // The account's own policies; AWS managed policies (Scope AWS) are not served.
    const policies = input.Scope === 'AWS' ? [] : engine.identities.list('policy').filter((p) => p.path.startsWith(input.PathPrefix ?? '/'));
    const described = policies.map((p) => policyDescription(engine.identities, ctx, p)).filter((p) => input.OnlyAttached !== 'true' || (p['AttachmentCount'] as number) > 0);
    return { body: { Policies: described, IsTruncated: false } };
  },
});

export const deletePolicy = iamOperation({
  name: 'DeletePolicy', members: members([['PolicyArn', str({ notNull: true })]]), resource: (input) => input.PolicyArn,
  async execute({ engine }, ctx, input) {
    const policy = requirePolicy(engine.identities, ctx, input.PolicyArn);
    if (attachmentCount(engine.identities, input.PolicyArn) > 0) throw new IamError('DeleteConflict', texts.attachedElsewhere);
    await engine.identities.update([{ kind: 'policy', name: policy.name }], ([current]) => {
      if (current === undefined) throw new IamError('NoSuchEntity', texts.noPolicy(input.PolicyArn));
      return { next: [null], result: undefined };
    });
    return { body: {} };
  },
});

export const iamPolicyOperations: readonly OperationDefinition[] = [
  ...inlinePolicies('user'), ...inlinePolicies('group'), ...inlinePolicies('role'),
  ...attachedPolicies('user'), ...attachedPolicies('group'), ...attachedPolicies('role'),
  createPolicy, getPolicy, getPolicyVersion, listPolicies, deletePolicy,
];
