// IAM on this server: users with their access keys and policies, the account's own managed
// policies, and roles — read with the IAM API (JSON protocol, signed for `iam`). A user can be made
// here, and an access key for them (its secret shown once, as IAM does); a user can be given a policy
// (inline, or a new managed one attached) and an existing managed policy can be attached or detached.
import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { ErrorLine, Field, Grid, Select, useAction, useLoad } from './ui.js';

/** What the policy editor starts with: a statement to edit, in IAM's own grammar. */
const policyTemplate = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' }] }, null, 2);

interface User {
  readonly UserName: string;
  readonly UserId: string;
  readonly Arn: string;
  readonly CreateDate?: string | number;
}
interface UserRow {
  readonly user: User;
  readonly keys: readonly string[];
  readonly attached: readonly string[];
  readonly inline: readonly string[];
}
interface Policy {
  readonly PolicyName: string;
  readonly Arn: string;
  readonly AttachmentCount?: number;
  readonly DefaultVersionId?: string;
}
interface Role {
  readonly RoleName: string;
  readonly Arn: string;
}

async function loadIdentities(api: Api): Promise<{ users: UserRow[]; policies: Policy[]; roles: Role[] }> {
  const [users, policies, roles] = await Promise.all([
    api.call<{ Users?: User[] }>('iam', 'ListUsers', {}),
    api.call<{ Policies?: Policy[] }>('iam', 'ListPolicies', { Scope: 'Local' }),
    api.call<{ Roles?: Role[] }>('iam', 'ListRoles', {}),
  ]);
  const rows = await Promise.all((users.Users ?? []).map(async (user) => {
    const [keys, attached, inline] = await Promise.all([
      api.call<{ AccessKeyMetadata?: { AccessKeyId: string; Status: string }[] }>('iam', 'ListAccessKeys', { UserName: user.UserName }),
      api.call<{ AttachedPolicies?: { PolicyName: string }[] }>('iam', 'ListAttachedUserPolicies', { UserName: user.UserName }),
      api.call<{ PolicyNames?: string[] }>('iam', 'ListUserPolicies', { UserName: user.UserName }),
    ]);
    return {
      user,
      keys: (keys.AccessKeyMetadata ?? []).map((k) => `${k.AccessKeyId} (${k.Status})`),
      attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyName),
      inline: inline.PolicyNames ?? [],
    };
  }));
  return { users: rows, policies: policies.Policies ?? [], roles: roles.Roles ?? [] };
}

export function UsersPage({ api }: { api: Api }): JSX.Element {
  const data = useLoad(() => loadIdentities(api), [api]);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ id: string; secret: string } | undefined>();
  const action = useAction(data.reload);
  const act = (work: () => Promise<void>): Promise<boolean> => action.run(work);
  const d = data.value;
  return (
    <section>
      <h1>Users and policies</h1>
      <ErrorLine error={action.error ?? data.error} />
      {secret === undefined ? null : (
        <p role="status" class="ok">New access key <span class="mono">{secret.id}</span>, secret <span class="mono">{secret.secret}</span> — shown this once.</p>
      )}
      <form class="row" onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          await api.call('iam', 'CreateUser', { UserName: name.trim() });
          setName('');
        });
      }}>
        <Field label="New user name" value={name} onInput={setName} required />
        <button type="submit">Create user</button>
      </form>
      <h2>Users</h2>
      <Grid<UserRow>
        label="Users" rows={d?.users ?? []} rowKey={(r) => r.user.UserId} empty={data.loading ? 'Loading…' : 'No IAM users'}
        columns={[
          { title: 'User', cell: (r) => r.user.UserName },
          { title: 'Access keys', cell: (r) => <span class="mono">{r.keys.join(', ') || '—'}</span> },
          { title: 'Managed policies', cell: (r) => r.attached.join(', ') || '—' },
          { title: 'Inline policies', cell: (r) => r.inline.join(', ') || '—' },
          {
            title: 'Actions',
            cell: (r) => <button type="button" onClick={() => void act(async () => {
              const made = await api.call<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>('iam', 'CreateAccessKey', { UserName: r.user.UserName });
              setSecret({ id: made.AccessKey.AccessKeyId, secret: made.AccessKey.SecretAccessKey });
            })}>Create access key for {r.user.UserName}</button>,
          },
        ]}
      />
      <PolicyForms api={api} users={(d?.users ?? []).map((r) => r.user.UserName)} policies={d?.policies ?? []} act={act} />
      <h2>Customer managed policies</h2>
      <Grid<Policy>
        label="Policies" rows={d?.policies ?? []} rowKey={(p) => p.Arn} empty="No managed policies"
        columns={[
          { title: 'Policy', cell: (p) => p.PolicyName },
          { title: 'ARN', cell: (p) => <span class="mono">{p.Arn}</span> },
          { title: 'Attachments', cell: (p) => String(p.AttachmentCount ?? 0) },
          { title: 'Version', cell: (p) => p.DefaultVersionId ?? '' },
        ]}
      />
      <h2>Roles</h2>
      <Grid<Role>
        label="Roles" rows={d?.roles ?? []} rowKey={(r) => r.Arn} empty="No roles"
        columns={[
          { title: 'Role', cell: (r) => r.RoleName },
          { title: 'ARN', cell: (r) => <span class="mono">{r.Arn}</span> },
        ]}
      />
    </section>
  );
}

/**
 * A policy for a user: written here (inline with PutUserPolicy, or managed with CreatePolicy and
 * AttachUserPolicy), or one of the account's managed policies attached or detached. IAM's refusal
 * of a document (MalformedPolicyDocument) is shown above, as any failure is.
 */
function PolicyForms({ api, users, policies, act }: { api: Api; users: readonly string[]; policies: readonly Policy[]; act: (work: () => Promise<void>) => Promise<boolean> }): JSX.Element {
  const [user, setUser] = useState('');
  const [name, setName] = useState('');
  const [document, setDocument] = useState(policyTemplate);
  const [policyArn, setPolicyArn] = useState('');
  const documentId = useId();
  const chosenUser = users.includes(user) ? user : users[0] ?? '';
  const chosenPolicy = policies.some((p) => p.Arn === policyArn) ? policyArn : policies[0]?.Arn ?? '';
  if (users.length === 0) return <p class="muted">Make a user to give it policies.</p>;
  return (
    <>
      <h2>Give a user a policy</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        const managed = (e.submitter as HTMLButtonElement | null)?.value === 'managed';
        void act(async () => {
          if (managed) {
            const made = await api.call<{ Policy: { Arn: string } }>('iam', 'CreatePolicy', { PolicyName: name.trim(), PolicyDocument: document });
            await api.call('iam', 'AttachUserPolicy', { UserName: chosenUser, PolicyArn: made.Policy.Arn });
          } else {
            await api.call('iam', 'PutUserPolicy', { UserName: chosenUser, PolicyName: name.trim(), PolicyDocument: document });
          }
          setName('');
        });
      }}>
        <div class="row">
          <Select label="User" value={chosenUser} options={users} onChange={setUser} />
          <Field label="Policy name" value={name} onInput={setName} required />
        </div>
        <div class="field">
          <label for={documentId}>Policy document</label>
          <textarea id={documentId} class="code" rows={8} spellcheck={false} value={document} onInput={(e) => setDocument(e.currentTarget.value)} />
        </div>
        <div class="row">
          <button type="submit" value="inline">Put inline policy</button>
          <button type="submit" value="managed">Create managed policy and attach</button>
        </div>
      </form>
      {policies.length === 0 ? null : (
        <form class="row" onSubmit={(e) => {
          e.preventDefault();
          const detach = (e.submitter as HTMLButtonElement | null)?.value === 'detach';
          void act(() => api.call('iam', detach ? 'DetachUserPolicy' : 'AttachUserPolicy', { UserName: chosenUser, PolicyArn: chosenPolicy }));
        }}>
          <Select label="Managed policy" value={chosenPolicy} options={policies.map((p) => [p.Arn, p.PolicyName] as const)} onChange={setPolicyArn} />
          <span class="muted">for {chosenUser}</span>
          <button type="submit" value="attach">Attach policy</button>
          <button type="submit" value="detach">Detach policy</button>
        </form>
      )}
    </>
  );
}
