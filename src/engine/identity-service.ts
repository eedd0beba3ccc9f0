// IAM identities kept in the database itself: users, groups, roles, managed policies, access keys,
// OpenID Connect identity providers and the temporary credentials of role sessions, each one catalog
// entry (`iam/<kind>/<name>`), changed in catalog transactions that decide on the entries as storage
// holds them, and copied into memory for the lookups every signed request makes. On a store several
// nodes share, a change another node commits reloads the copy (its catalog announcement).
//
// Secrets must be kept in plaintext to check HMAC signatures. At rest they are sealed with AES-256-GCM
// under a key derived (HKDF-SHA256) from the root secret access key; a server started without root
// credentials (--auth none) keeps them as given, and says so in docs/security.md. The root
// credentials themselves are options, never stored.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import type { KeySecret } from '../iam/sigv4.js';
import { parsePolicy, type Policy } from '../iam/policy.js';
import { IssuerKeys } from '../iam/issuer-keys.js';
import type { CatalogChange, CatalogEntry, Storage } from '../storage/storage.js';
import type { DeclaredIdentities } from '../model/declared-identities.js';

const iamPrefix = 'iam/';
const parsedMax = 10_000;

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

interface Named {
  readonly name: string;
  readonly id: string;
  readonly path: string;
  readonly created: number;
}
interface WithPolicies {
  /** Inline policies by name: their documents' text. */
  readonly inline: Readonly<Record<string, string>>;
  /** Managed policies attached, by ARN. */
  readonly attached: readonly string[];
}
export interface UserRecord extends Named, WithPolicies {
  readonly kind: 'user';
  readonly groups: readonly string[];
  readonly tags: readonly Tag[];
}
export interface GroupRecord extends Named, WithPolicies {
  readonly kind: 'group';
}
export interface RoleRecord extends Named, WithPolicies {
  readonly kind: 'role';
  readonly trust: string;
  readonly description?: string;
  readonly maxSessionDuration: number;
  readonly tags: readonly Tag[];
}
export interface PolicyRecord extends Named {
  readonly kind: 'policy';
  readonly document: string;
  readonly description?: string;
  readonly updated: number;
}
export interface KeyRecord {
  readonly kind: 'key';
  /** The access key id (also its name in the catalog). */
  readonly name: string;
  readonly user: string;
  readonly secret: string;
  readonly status: 'Active' | 'Inactive';
  readonly created: number;
}
export interface SessionRecord {
  readonly kind: 'session';
  readonly name: string;
  readonly role: string;
  readonly session: string;
  readonly secret: string;
  readonly token: string;
  readonly expires: number;
  /** A web identity session's condition keys (`issuer:sub`, …), from its ID token. */
  readonly federated?: Readonly<Record<string, readonly string[]>>;
}
/** An OpenID Connect identity provider; its name is its URL without `https://` (host and path). */
export interface OidcProviderRecord {
  readonly kind: 'oidc';
  readonly name: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  readonly created: number;
  readonly tags: readonly Tag[];
}
export type IdentityRecord = UserRecord | GroupRecord | RoleRecord | PolicyRecord | KeyRecord | SessionRecord | OidcProviderRecord;
export type IdentityKind = IdentityRecord['kind'];
type RecordOf<K extends IdentityKind> = Extract<IdentityRecord, { kind: K }>;

/** An entry a change names: its kind and name (names compare without case, as IAM's do). */
export interface IdentityRef {
  readonly kind: IdentityKind;
  readonly name: string;
}

/** Who made a request, for authorization and GetCallerIdentity. */
export interface Caller {
  readonly kind: 'root' | 'user' | 'role';
  readonly arn: string;
  /** aws:userid: the user's id, the account's for root, `roleId:session` for a role session. */
  readonly userId: string;
  readonly userName?: string;
  readonly accountId: string;
  /** Identity-based policies: a user's own and its groups', a role session's role's. */
  readonly policies: readonly Policy[];
  /** A web identity session's condition keys and policy variables (`issuer:sub`, …), in lower case. */
  readonly federated?: Readonly<Record<string, readonly string[]>>;
}

export interface IdentityOptions {
  readonly accountId: string;
  readonly clock: Clock;
  /** The account's root credentials (options or environment), allowed everything. */
  readonly root?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export class IdentityService {
  private readonly records = new Map<string, IdentityRecord>();
  private readonly sealKey: Buffer | undefined;
  private secrets = new Map<string, KeySecret>();
  private readonly callers = new Map<string, Caller>();
  private readonly parsed = new Map<string, Policy>();
  /** The signing keys of the OpenID Connect issuers web identity tokens come from. */
  readonly issuerKeys: IssuerKeys;

  constructor(private readonly storage: Storage, private readonly options: IdentityOptions) {
    const root = options.root;
    this.sealKey = root === undefined ? undefined : Buffer.from(hkdfSync('sha256', root.secretAccessKey, 'stratusdb', 'iam-secrets', 32));
    this.issuerKeys = new IssuerKeys(() => options.clock.now());
  }

  get accountId(): string {
    return this.options.accountId;
  }

  /** Reads every identity from the catalog: at start from the entries the engine read, and again when another node changed one. */
  async load(given?: readonly CatalogEntry[]): Promise<void> {
    const entries = given ?? (await this.storage.readCatalog());
    // Swapped in at once: a lookup while the catalog is read sees the identities as they were.
    this.records.clear();
    for (const { key, value } of entries) {
      if (key.startsWith(iamPrefix)) this.records.set(key, JSON.parse(value) as IdentityRecord);
    }
    this.changed();
  }

  /** Whether a catalog key is one of this service's (another node's change of it reloads them). */
  static owns(key: string): boolean {
    return key.startsWith(iamPrefix);
  }

  get<K extends IdentityKind>(kind: K, name: string): RecordOf<K> | undefined {
    return this.records.get(keyOf({ kind, name })) as RecordOf<K> | undefined;
  }

  list<K extends IdentityKind>(kind: K): RecordOf<K>[] {
    const prefix = `${iamPrefix}${kind}/`;
    return [...this.records].filter(([k]) => k.startsWith(prefix)).map(([, r]) => r as RecordOf<K>).sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  }

  /**
   * Changes identities in one catalog transaction: `decide` sees the named entries as storage holds
   * them and answers each one's next record (null removes it, undefined leaves it). Pure, like every
   * catalog decision; it may throw an IAM error, and then nothing changes.
   */
  async update<T>(refs: readonly IdentityRef[], decide: (current: readonly (IdentityRecord | undefined)[]) => { readonly next: readonly (IdentityRecord | null | undefined)[]; readonly result: T }): Promise<T> {
    const keys = refs.map(keyOf);
    const { result, changes } = await this.storage.updateCatalog(keys, (values) => {
      const decided = decide(values.map((v) => (v === undefined ? undefined : (JSON.parse(v) as IdentityRecord))));
      const changes: CatalogChange[] = decided.next.flatMap((next, i) => (next === undefined ? [] : [{ key: keys[i] as string, value: next === null ? undefined : JSON.stringify(next) }]));
      return { changes, result: { result: decided.result, changes } };
    });
    for (const { key, value } of changes) {
      if (value === undefined) this.records.delete(key);
      else this.records.set(key, JSON.parse(value) as IdentityRecord);
    }
    if (changes.length > 0) this.changed();
    return result;
  }

  /**
   * Makes the users a project file declares, or brings them up to date: each exists, has the
   * declared inline policies (others it has stay) and the declared access key with its secret.
   * A declared key another user holds is refused.
   */
  async declare(declared: DeclaredIdentities): Promise<void> {
    const now = this.options.clock.now();
    for (const user of declared.users) {
      const key = user.accessKey;
      const refs: IdentityRef[] = [{ kind: 'user', name: user.name }, ...(key === undefined ? [] : [{ kind: 'key' as const, name: key.id }])];
      const sealed = key === undefined ? undefined : this.seal(key.secret);
      const freshId = newId('AIDA');
      await this.update(refs, ([current, currentKey]) => {
        const existing = current?.kind === 'user' ? current : undefined;
        const inline = { ...existing?.inline, ...Object.fromEntries(user.policies.map((p) => [p.name, p.document])) };
        const record: UserRecord = existing === undefined
          ? { kind: 'user', name: user.name, id: freshId, path: '/', created: now, inline, attached: [], groups: [], tags: [] }
          : { ...existing, inline };
        if (key === undefined || sealed === undefined) return { next: [record], result: undefined };
        if (currentKey?.kind === 'key' && currentKey.user.toLowerCase() !== user.name.toLowerCase()) {
          throw new Error(`the project file declares access key ${key.id} for ${user.name}, but it is ${currentKey.user}'s`);
        }
        const keyRecord: KeyRecord = { kind: 'key', name: key.id, user: record.name, secret: sealed, status: 'Active', created: currentKey?.kind === 'key' ? currentKey.created : now };
        return { next: [record, keyRecord], result: undefined };
      });
    }
  }

  /** An access key's secret (and a session's token and expiry), for checking a signature. */
  secretOf(accessKeyId: string): KeySecret | undefined {
    return this.secrets.get(accessKeyId);
  }

  /** The caller an access key stands for (undefined: no such key). */
  callerOf(accessKeyId: string): Caller | undefined {
    let caller = this.callers.get(accessKeyId);
    if (caller === undefined) {
      caller = this.resolve(accessKeyId);
      if (caller !== undefined) this.callers.set(accessKeyId, caller);
    }
    return caller;
  }

  /** The account's root, as a caller. */
  get root(): Caller {
    return { kind: 'root', arn: `arn:aws:iam::${this.accountId}:root`, userId: this.accountId, accountId: this.accountId, policies: [] };
  }

  /** A new secret sealed for storage, with its plaintext. */
  newSecret(): { readonly plain: string; readonly sealed: string } {
    const plain = randomBytes(30).toString('base64').replace(/[+/]/g, (c) => (c === '+' ? 'A' : 'z'));
    return { plain, sealed: this.seal(plain) };
  }

  /** A policy document's parsed form (parsed once per text). */
  policy(document: string): Policy {
    let policy = this.parsed.get(document);
    if (policy === undefined) {
      if (this.parsed.size >= parsedMax) this.parsed.clear();
      policy = parsePolicy(document, 'identity');
      this.parsed.set(document, policy);
    }
    return policy;
  }

  private resolve(accessKeyId: string): Caller | undefined {
    if (this.options.root?.accessKeyId === accessKeyId) return this.root;
    const key = this.get('key', accessKeyId);
    if (key !== undefined) {
      const user = this.get('user', key.user);
      if (user === undefined) return undefined;
      const groups = user.groups.map((g) => this.get('group', g)).filter((g) => g !== undefined);
      return {
        kind: 'user', arn: arnOf(this.accountId, 'user', user.path, user.name), userId: user.id, userName: user.name, accountId: this.accountId,
        policies: [user, ...groups].flatMap((holder) => this.policiesOf(holder)),
      };
    }
    const session = this.get('session', accessKeyId);
    const role = session === undefined ? undefined : this.get('role', session.role);
    if (session === undefined || role === undefined) return undefined;
    return {
      kind: 'role', arn: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${session.session}`, userId: `${role.id}:${session.session}`, accountId: this.accountId,
      policies: this.policiesOf(role), ...(session.federated === undefined ? {} : { federated: session.federated }),
    };
  }

  private policiesOf(holder: WithPolicies): Policy[] {
    const attached = holder.attached.map((arn) => this.list('policy').find((p) => arnOf(this.accountId, 'policy', p.path, p.name) === arn)?.document).filter((d) => d !== undefined);
    return [...Object.values(holder.inline), ...attached].map((document) => this.policy(document));
  }

  /** Every cached lookup is made again after a change. */
  private changed(): void {
    this.callers.clear();
    const secrets = new Map<string, KeySecret>();
    const root = this.options.root;
    if (root !== undefined) secrets.set(root.accessKeyId, { secretAccessKey: root.secretAccessKey });
    for (const record of this.records.values()) {
      if (record.kind === 'key' && record.status === 'Active') {
        const plain = this.unseal(record.secret);
        if (plain !== undefined) secrets.set(record.name, { secretAccessKey: plain });
      } else if (record.kind === 'session') {
        const plain = this.unseal(record.secret);
        if (plain !== undefined) secrets.set(record.name, { secretAccessKey: plain, sessionToken: record.token, expiresMs: record.expires });
      }
    }
    this.secrets = secrets;
  }

  private seal(plain: string): string {
    if (this.sealKey === undefined) return `plain:${plain}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `gcm:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** A sealed secret's plaintext; undefined when it was sealed under another root secret. */
  private unseal(stored: string): string | undefined {
    if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
    if (this.sealKey === undefined || !stored.startsWith('gcm:')) return undefined;
    const bytes = Buffer.from(stored.slice('gcm:'.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** Whether a stored secret can be read with this server's root secret (keys sealed under another cannot sign). */
  readable(stored: string): boolean {
    return this.unseal(stored) !== undefined;
  }

  now(): number {
    return this.options.clock.now();
  }
}

function keyOf(ref: IdentityRef): string {
  return `${iamPrefix}${ref.kind}/${ref.kind === 'key' || ref.kind === 'session' ? ref.name : ref.name.toLowerCase()}`;
}

/** An IAM entity's ARN: arn:aws:iam::ACCOUNT:user/PATH/NAME (the path between slashes). */
export function arnOf(accountId: string, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

/** A new unique id of IAM's form: a four-letter prefix and uppercase letters and digits. */
export function newId(prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AKIA' | 'ASIA', length = prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
