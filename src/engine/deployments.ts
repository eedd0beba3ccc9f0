// What `stratusdb deploy` leaves on a server, kept in the catalog so that it survives a restart and
// reaches every node sharing the store:
// - deployed triggers (`deploy/trigger/<name>`): a trigger definition in the project file's shape
//   (the triggers layer checks and runs it), the stack that made it, and when;
// - stacks (`deploy/stack/<region>/<name>`): which tables and triggers a deployment of one file made,
//   so that the next deployment of it knows what it owns (what the file no longer declares).
// Each change is one catalog transaction; the copy in memory is what readers see, reloaded when
// another node changed an entry (its catalog announcement).
import type { CatalogChange, CatalogEntry, Storage } from '../storage/storage.js';

const prefix = 'deploy/';
const triggerPrefix = `${prefix}trigger/`;
const stackPrefix = `${prefix}stack/`;

export interface DeployedTrigger {
  readonly name: string;
  /** The trigger as a project file declares it (handler paths absolute), checked by the triggers layer. */
  readonly definition: Readonly<Record<string, unknown>>;
  /** The stack whose deployment made it (`region/name`), if any. */
  readonly stack?: string;
  readonly updated: number;
}

/** What one stack's last deployment made: its tables by logical id, and its triggers' names. */
export interface StackRecord {
  readonly name: string;
  readonly region: string;
  /** The file it was deployed from, as given. */
  readonly source: string;
  readonly tables: Readonly<Record<string, string>>;
  readonly triggers: readonly string[];
  readonly updated: number;
}

export class Deployments {
  private readonly entries = new Map<string, string>();
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly storage: Storage) {}

  /** Whether a catalog key is one of this store's (another node's change of it reloads them). */
  static owns(key: string): boolean {
    return key.startsWith(prefix);
  }

  /** Reads every entry: at start from the entries the engine read, and again when another node changed one. */
  async load(given?: readonly CatalogEntry[]): Promise<void> {
    const entries = given ?? (await this.storage.readCatalog());
    this.entries.clear();
    for (const { key, value } of entries) if (Deployments.owns(key)) this.entries.set(key, value);
    this.changed();
  }

  /** Calls `listener` after each change of the deployed triggers or stacks (made here or by another node). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  triggers(): DeployedTrigger[] {
    return [...this.entries].filter(([key]) => key.startsWith(triggerPrefix)).map(([, value]) => JSON.parse(value) as DeployedTrigger).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  trigger(name: string): DeployedTrigger | undefined {
    const value = this.entries.get(triggerPrefix + name);
    return value === undefined ? undefined : (JSON.parse(value) as DeployedTrigger);
  }

  /** Sets a deployed trigger (made or replaced); false when it was already exactly so. */
  putTrigger(trigger: DeployedTrigger): Promise<boolean> {
    return this.change(triggerPrefix + trigger.name, (current) => {
      const was = current === undefined ? undefined : (JSON.parse(current) as DeployedTrigger);
      const same = was !== undefined && was.stack === trigger.stack && JSON.stringify(was.definition) === JSON.stringify(trigger.definition);
      return same ? undefined : JSON.stringify(trigger);
    });
  }

  /** Removes a deployed trigger; false when there was none. */
  deleteTrigger(name: string): Promise<boolean> {
    return this.change(triggerPrefix + name, (current) => (current === undefined ? undefined : null));
  }

  stack(region: string, name: string): StackRecord | undefined {
    const value = this.entries.get(stackKey(region, name));
    return value === undefined ? undefined : (JSON.parse(value) as StackRecord);
  }

  putStack(stack: StackRecord): Promise<boolean> {
    return this.change(stackKey(stack.region, stack.name), () => JSON.stringify(stack));
  }

  deleteStack(region: string, name: string): Promise<boolean> {
    return this.change(stackKey(region, name), (current) => (current === undefined ? undefined : null));
  }

  /** One entry changed in a catalog transaction: `decide` answers its next value (null removes it, undefined leaves it). */
  private async change(key: string, decide: (current: string | undefined) => string | null | undefined): Promise<boolean> {
    const change = await this.storage.updateCatalog([key], ([current]) => {
      const next = decide(current);
      const changes: CatalogChange[] = next === undefined ? [] : [{ key, value: next === null ? undefined : next }];
      return { changes, result: changes[0] };
    });
    if (change === undefined) return false;
    if (change.value === undefined) this.entries.delete(key);
    else this.entries.set(key, change.value);
    this.changed();
    return true;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function stackKey(region: string, name: string): string {
  return `${stackPrefix}${region}/${name}`;
}
