// IAM's users, groups, roles and access keys on the same endpoint, kept in the database (the engine's
// identity service): CreateUser, GetUser, ListUsers, DeleteUser; CreateAccessKey, ListAccessKeys,
// UpdateAccessKey, DeleteAccessKey; CreateGroup, GetGroup, ListGroups, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, ListGroupsForUser; CreateRole, GetRole, ListRoles, DeleteRole. Each change
// is one catalog transaction deciding on the entries as stored, with IAM's errors.
import { arnOf, newId, type GroupRecord, type IdentityService, type KeyRecord, type RoleRecord, type Tag, type UserRecord } from '../../engine/identity-service.js';
import { IamError } from '../../errors/errors.js';
import { parsePolicy } from '../../iam/policy.js';
import { callerOf, iamArn, iamOperation } from '../iam-operation.js';
import type { RequestContext } from '../operation.js';
import { integer, list, members, str, struct } from '../validate/shape.js';

/** Access keys a user may have at once. */
const keysPerUser = 2;
const tag = struct('Tag', [['Key', str()], ['Value', str()]]);

export const iamTexts = {
  noUser: (name: string) => `The user with name ${name} cannot be found.`,
  noGroup: (name: string) => `The group with name ${name} cannot be found.`,
  noRole: (name: string) => `The role with name ${name} cannot be found.`,
  noKey: (id: string) => `The Access Key with id ${id} cannot be found.`,
  userExists: (name: string) => `User with name ${name} already exists.`,
  groupExists: (name: string) => `Group with name ${name} already exists.`,
  roleExists: (name: string) => `Role with name ${name} already exists.`,
  keyQuota: `Cannot exceed quota for AccessKeysPerUser: ${keysPerUser}`,
  deleteKeysFirst: 'Cannot delete entity, must delete access keys first.',
  deletePoliciesFirst: 'Cannot delete entity, must delete policies first.',
  detachPoliciesFirst: 'Cannot delete entity, must detach all policies first.',
  removeFromGroupsFirst: 'Cannot delete entity, must remove users from group first.',
};

export function userDescription(ctx: RequestContext, user: UserRecord): Record<string, unknown> {
  return { Path: user.path, UserName: user.name, UserId: user.id, Arn: arnOf(ctx.accountId, 'user', user.path, user.name), CreateDate: new Date(user.created), ...(user.tags.length > 0 ? { Tags: user.tags } : {}) };
}

function groupDescription(ctx: RequestContext, group: GroupRecord): Record<string, unknown> {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: arnOf(ctx.accountId, 'group', group.path, group.name), CreateDate: new Date(group.created) };
}

export function roleDescription(ctx: RequestContext, role: RoleRecord): Record<string, unknown> {
  return {
    Path: role.path, RoleName: role.name, RoleId: role.id, Arn: arnOf(ctx.accountId, 'role', role.path, role.name), CreateDate: new Date(role.created),
    AssumeRolePolicyDocument: encodeURIComponent(role.trust), ...(role.description === undefined ? {} : { Description: role.description }), MaxSessionDuration: role.maxSessionDuration,
    ...(role.tags.length > 0 ? { Tags: role.tags } : {}),
  };
}

function keyMetadata(key: KeyRecord): Record<string, unknown> {
  return { UserName: key.user, AccessKeyId: key.name, Status: key.status, CreateDate: new Date(key.created) };
}

/** A user, group or role is deleted only once its inline policies are deleted and its managed ones detached. */
function requireNoPolicies(holder: { readonly inline: Readonly<Record<string, string>>; readonly attached: readonly string[] }): void {
  if (Object.keys(holder.inline).length > 0) throw new IamError('DeleteConflict', iamTexts.deletePoliciesFirst);
  if (holder.attached.length > 0) throw new IamError('DeleteConflict', iamTexts.detachPoliciesFirst);
}

export function requireUser(identities: IdentityService, name: string): UserRecord {
  const user = identities.get('user', name);
  if (user === undefined) throw new IamError('NoSuchEntity', iamTexts.noUser(name));
  return user;
}

/** The user a request names, or (none named) the user making it. */
function namedOrCaller(identities: IdentityService, ctx: RequestContext, name: string | undefined): string {
  if (name !== undefined) return name;
  const caller = callerOf(identities, ctx);
  if (caller.userName === undefined) throw new IamError('ValidationError', 'Must specify userName when calling with non-User credentials');
  return caller.userName;
}

export const createUser = iamOperation({
  name: 'CreateUser', members: members([['Path', str()], ['UserName', str({ notNull: true })], ['PermissionsBoundary', str()], ['Tags', list(tag)]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName, input.Path),
  async execute({ engine }, ctx, input) {
    const record: UserRecord = { kind: 'user', name: input.UserName, id: newId('AIDA'), path: input.Path ?? '/', created: ctx.now, inline: {}, attached: [], groups: [], tags: (input.Tags ?? []) as Tag[] };
    await engine.identities.update([{ kind: 'user', name: input.UserName }], ([current]) => {
      if (current !== undefined) throw new IamError('EntityAlreadyExists', iamTexts.userExists(input.UserName));
      return { next: [record], result: undefined };
    });
    return { body: { User: userDescription(ctx, record) } };
  },
});

export const getUser = iamOperation({
  name: 'GetUser', members: members([['UserName', str()]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName ?? ctx.caller?.userName),
  async execute({ engine }, ctx, input) {
    return { body: { User: userDescription(ctx, requireUser(engine.identities, namedOrCaller(engine.identities, ctx, input.UserName))) } };
  },
});

export const listUsers = iamOperation({
  // AWS names the path the listing covers: arn:aws:iam::<account>:user/ (and the PathPrefix after it).
  name: 'ListUsers', members: members([['PathPrefix', str()], ['Marker', str()], ['MaxItems', integer()]]), resource: (input, ctx) => iamArn(ctx, 'user', '', input.PathPrefix),
  async execute({ engine }, ctx, input) {
    const users = engine.identities.list('user').filter((u) => u.path.startsWith(input.PathPrefix ?? '/'));
    return { body: { Users: users.map((u) => userDescription(ctx, u)), IsTruncated: false } };
  },
});

export const deleteUser = iamOperation({
  name: 'DeleteUser', members: members([['UserName', str({ notNull: true })]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName),
  async execute({ engine }, _ctx, input) {
    const keys = engine.identities.list('key').filter((k) => k.user.toLowerCase() === input.UserName.toLowerCase());
    await engine.identities.update([{ kind: 'user', name: input.UserName }], ([current]) => {
      if (current?.kind !== 'user') throw new IamError('NoSuchEntity', iamTexts.noUser(input.UserName));
      if (keys.length > 0) throw new IamError('DeleteConflict', iamTexts.deleteKeysFirst);
      requireNoPolicies(current);
      if (current.groups.length > 0) throw new IamError('DeleteConflict', iamTexts.removeFromGroupsFirst);
      return { next: [null], result: undefined };
    });
    return { body: {} };
  },
});

export const createAccessKey = iamOperation({
  name: 'CreateAccessKey', members: members([['UserName', str()]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName ?? ctx.caller?.userName),
  async execute({ engine }, ctx, input) {
    const identities = engine.identities;
    const name = namedOrCaller(identities, ctx, input.UserName);
    const user = requireUser(identities, name);
    if (identities.list('key').filter((k) => k.user.toLowerCase() === user.name.toLowerCase()).length >= keysPerUser) throw new IamError('LimitExceeded', iamTexts.keyQuota);
    const secret = identities.newSecret();
    const record: KeyRecord = { kind: 'key', name: newId('AKIA'), user: user.name, secret: secret.sealed, status: 'Active', created: ctx.now };
    await identities.update([{ kind: 'user', name: user.name }, { kind: 'key', name: record.name }], ([owner]) => {
      if (owner === undefined) throw new IamError('NoSuchEntity', iamTexts.noUser(name));
      return { next: [undefined, record], result: undefined };
    });
    return { body: { AccessKey: { ...keyMetadata(record), SecretAccessKey: secret.plain } } };
  },
});

export const listAccessKeys = iamOperation({
  name: 'ListAccessKeys', members: members([['UserName', str()], ['Marker', str()], ['MaxItems', integer()]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName ?? ctx.caller?.userName),
  async execute({ engine }, ctx, input) {
    const user = requireUser(engine.identities, namedOrCaller(engine.identities, ctx, input.UserName));
    const keys = engine.identities.list('key').filter((k) => k.user.toLowerCase() === user.name.toLowerCase());
    return { body: { AccessKeyMetadata: keys.map(keyMetadata), IsTruncated: false } };
  },
});

/** A key of the user a request names (or makes it), in one change that sees it as stored. */
async function changeKey(identities: IdentityService, ctx: RequestContext, userName: string | undefined, id: string, change: (key: KeyRecord) => KeyRecord | null): Promise<void> {
  const user = requireUser(identities, namedOrCaller(identities, ctx, userName));
  await identities.update([{ kind: 'key', name: id }], ([key]) => {
    if (key?.kind !== 'key' || key.user.toLowerCase() !== user.name.toLowerCase()) throw new IamError('NoSuchEntity', iamTexts.noKey(id));
    return { next: [change(key)], result: undefined };
  });
}

export const updateAccessKey = iamOperation({
  name: 'UpdateAccessKey', members: members([['UserName', str()], ['AccessKeyId', str({ notNull: true })], ['Status', str({ notNull: true })]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName ?? ctx.caller?.userName),
  async execute({ engine }, ctx, input) {
    if (input.Status !== 'Active' && input.Status !== 'Inactive') {
      throw new IamError('ValidationError', `1 validation error detected: Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
    }
    const status = input.Status;
    await changeKey(engine.identities, ctx, input.UserName, input.AccessKeyId, (key) => ({ ...key, status }));
    return { body: {} };
  },
});

export const deleteAccessKey = iamOperation({
  name: 'DeleteAccessKey', members: members([['UserName', str()], ['AccessKeyId', str({ notNull: true })]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName ?? ctx.caller?.userName),
  async execute({ engine }, ctx, input) {
    await changeKey(engine.identities, ctx, input.UserName, input.AccessKeyId, () => null);
    return { body: {} };
  },
});

export const createGroup = iamOperation({
  name: 'CreateGroup', members: members([['Path', str()], ['GroupName', str({ notNull: true })]]), names: ['GroupName'],
  resource: (input, ctx) => iamArn(ctx, 'group', input.GroupName, input.Path),
  async execute({ engine }, ctx, input) {
    const record: GroupRecord = { kind: 'group', name: input.GroupName, id: newId('AGPA'), path: input.Path ?? '/', created: ctx.now, inline: {}, attached: [] };
    await engine.identities.update([{ kind: 'group', name: input.GroupName }], ([current]) => {
      if (current !== undefined) throw new IamError('EntityAlreadyExists', iamTexts.groupExists(input.GroupName));
      return { next: [record], result: undefined };
    });
    return { body: { Group: groupDescription(ctx, record) } };
  },
});

function requireGroup(identities: IdentityService, name: string): GroupRecord {
  const group = identities.get('group', name);
  if (group === undefined) throw new IamError('NoSuchEntity', iamTexts.noGroup(name));
  return group;
}

function membersOf(identities: IdentityService, group: string): UserRecord[] {
  return identities.list('user').filter((u) => u.groups.some((g) => g.toLowerCase() === group.toLowerCase()));
}

export const getGroup = iamOperation({
  name: 'GetGroup', members: members([['GroupName', str({ notNull: true })], ['Marker', str()], ['MaxItems', integer()]]), names: ['GroupName'],
  resource: (input, ctx) => iamArn(ctx, 'group', input.GroupName),
  async execute({ engine }, ctx, input) {
    const group = requireGroup(engine.identities, input.GroupName);
    return { body: { Group: groupDescription(ctx, group), Users: membersOf(engine.identities, group.name).map((u) => userDescription(ctx, u)), IsTruncated: false } };
  },
});

export const listGroups = iamOperation({
  // AWS names the path the listing covers: arn:aws:iam::<account>:group/ (and the PathPrefix after it).
  name: 'ListGroups', members: members([['PathPrefix', str()], ['Marker', str()], ['MaxItems', integer()]]), resource: (input, ctx) => iamArn(ctx, 'group', '', input.PathPrefix),
  async execute({ engine }, ctx, input) {
    return { body: { Groups: engine.identities.list('group').filter((g) => g.path.startsWith(input.PathPrefix ?? '/')).map((g) => groupDescription(ctx, g)), IsTruncated: false } };
  },
});

export const deleteGroup = iamOperation({
  name: 'DeleteGroup', members: members([['GroupName', str({ notNull: true })]]), names: ['GroupName'],
  resource: (input, ctx) => iamArn(ctx, 'group', input.GroupName),
  async execute({ engine }, _ctx, input) {
    const users = membersOf(engine.identities, input.GroupName);
    await engine.identities.update([{ kind: 'group', name: input.GroupName }], ([current]) => {
      if (current?.kind !== 'group') throw new IamError('NoSuchEntity', iamTexts.noGroup(input.GroupName));
      if (users.length > 0) throw new IamError('DeleteConflict', iamTexts.removeFromGroupsFirst);
      requireNoPolicies(current);
      return { next: [null], result: undefined };
    });
    return { body: {} };
  },
});

/** Adds a user to a group or takes it out, deciding on both as stored. */
async function membership(identities: IdentityService, userName: string, groupName: string, add: boolean): Promise<void> {
  await identities.update([{ kind: 'user', name: userName }, { kind: 'group', name: groupName }], ([user, group]) => {
    if (group?.kind !== 'group') throw new IamError('NoSuchEntity', iamTexts.noGroup(groupName));
    if (user?.kind !== 'user') throw new IamError('NoSuchEntity', iamTexts.noUser(userName));
    const others = user.groups.filter((g) => g.toLowerCase() !== group.name.toLowerCase());
    return { next: [{ ...user, groups: add ? [...others, group.name] : others }, undefined], result: undefined };
  });
}

export const addUserToGroup = iamOperation({
  name: 'AddUserToGroup', members: members([['GroupName', str({ notNull: true })], ['UserName', str({ notNull: true })]]), names: ['GroupName', 'UserName'],
  resource: (input, ctx) => iamArn(ctx, 'group', input.GroupName),
  async execute({ engine }, _ctx, input) {
    await membership(engine.identities, input.UserName, input.GroupName, true);
    return { body: {} };
  },
});

export const removeUserFromGroup = iamOperation({
  name: 'RemoveUserFromGroup', members: members([['GroupName', str({ notNull: true })], ['UserName', str({ notNull: true })]]), names: ['GroupName', 'UserName'],
  resource: (input, ctx) => iamArn(ctx, 'group', input.GroupName),
  async execute({ engine }, _ctx, input) {
    await membership(engine.identities, input.UserName, input.GroupName, false);
    return { body: {} };
  },
});

export const listGroupsForUser = iamOperation({
  name: 'ListGroupsForUser', members: members([['UserName', str({ notNull: true })], ['Marker', str()], ['MaxItems', integer()]]), names: ['UserName'],
  resource: (input, ctx) => iamArn(ctx, 'user', input.UserName),
  async execute({ engine }, ctx, input) {
    const user = requireUser(engine.identities, input.UserName);
    const groups = user.groups.map((g) => engine.identities.get('group', g)).filter((g) => g !== undefined);
    return { body: { Groups: groups.map((g) => groupDescription(ctx, g)), IsTruncated: false } };
  },
});

export const createRole = iamOperation({
  name: 'CreateRole',
  members: members([['Path', str()], ['RoleName', str({ notNull: true })], ['AssumeRolePolicyDocument', str({ notNull: true })], ['Description', str()], ['MaxSessionDuration', integer()], ['PermissionsBoundary', str()], ['Tags', list(tag)]]),
  names: ['RoleName'],
  resource: (input, ctx) => iamArn(ctx, 'role', input.RoleName, input.Path),
  async execute({ engine }, ctx, input) {
    parsePolicy(input.AssumeRolePolicyDocument, 'trust');
    const maxSessionDuration = input.MaxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43_200) {
      throw new IamError('ValidationError', `1 validation error detected: Value '${maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${maxSessionDuration < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`);
    }
    const record: RoleRecord = {
      kind: 'role', name: input.RoleName, id: newId('AROA'), path: input.Path ?? '/', created: ctx.now, trust: input.AssumeRolePolicyDocument,
      ...(input.Description === undefined ? {} : { description: input.Description }), maxSessionDuration, inline: {}, attached: [], tags: (input.Tags ?? []) as Tag[],
    };
    await engine.identities.update([{ kind: 'role', name: input.RoleName }], ([current]) => {
      if (current !== undefined) throw new IamError('EntityAlreadyExists', iamTexts.roleExists(input.RoleName));
      return { next: [record], result: undefined };
    });
    return { body: { Role: roleDescription(ctx, record) } };
  },
});

export function requireRole(identities: IdentityService, name: string): RoleRecord {
  const role = identities.get('role', name);
  if (role === undefined) throw new IamError('NoSuchEntity', iamTexts.noRole(name));
  return role;
}

export const getRole = iamOperation({
  name: 'GetRole', members: members([['RoleName', str({ notNull: true })]]), names: ['RoleName'],
  resource: (input, ctx) => iamArn(ctx, 'role', input.RoleName),
  async execute({ engine }, ctx, input) {
    return { body: { Role: roleDescription(ctx, requireRole(engine.identities, input.RoleName)) } };
  },
});

export const listRoles = iamOperation({
  // AWS names the path the listing covers: arn:aws:iam::<account>:role/ (and the PathPrefix after it).
  name: 'ListRoles', members: members([['PathPrefix', str()], ['Marker', str()], ['MaxItems', integer()]]), resource: (input, ctx) => iamArn(ctx, 'role', '', input.PathPrefix),
  async execute({ engine }, ctx, input) {
    return { body: { Roles: engine.identities.list('role').filter((r) => r.path.startsWith(input.PathPrefix ?? '/')).map((r) => roleDescription(ctx, r)), IsTruncated: false } };
  },
});

export const deleteRole = iamOperation({
  name: 'DeleteRole', members: members([['RoleName', str({ notNull: true })]]), names: ['RoleName'],
  resource: (input, ctx) => iamArn(ctx, 'role', input.RoleName),
  async execute({ engine }, _ctx, input) {
    await engine.identities.update([{ kind: 'role', name: input.RoleName }], ([current]) => {
      if (current?.kind !== 'role') throw new IamError('NoSuchEntity', iamTexts.noRole(input.RoleName));
      requireNoPolicies(current);
      return { next: [null], result: undefined };
    });
    return { body: {} };
  },
});
