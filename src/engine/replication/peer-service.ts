// What this server answers the servers of other regions (--peer) about its replicas of global tables:
// their logs' changes (`changes`, a long poll), their items (`items`, to fill a new replica), making a
// replica here (`create`), a change of a group's members (`members`), a replica's overrides
// (`overrides`), settings carried from another region (`settings`), a replica's auto scaling
// (`auto-scaling`), deleting a replica (`delete`) and the messages of multi-region strong consistency
// (`strong`).
// The HTTP layer checks each request's signature before it gets here; a malformed body is refused.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { ReadOverrides, ReplicaOverrides, ReplicaRecord } from '../../model/table.js';
import type { Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import type { GlobalTableService, MemberChange, ReplicaRequest } from '../global-table-service.js';
import type { TableLifecycle } from '../table-lifecycle.js';
import type { PeerLogPage } from './log-sources.js';
import type { Replicator } from './replicator.js';
import { encodeChange } from './replication-log.js';
import { fromWire, type StrongConsistency, type WireItem } from './strong-consistency.js';

/** The most a peer's read may ask for, and wait. */
const pageMax = 1024;
const waitMaxMs = 5000;

export interface PeerServiceParts {
  readonly catalog: Catalog;
  readonly storage: Storage;
  readonly lifecycle: TableLifecycle;
  readonly replicator: Replicator;
  readonly globalTables: GlobalTableService;
  readonly strong: StrongConsistency;
}

export class PeerService {
  constructor(private readonly parts: PeerServiceParts) {}

  /** Answers `operation` (the path after /stratusdb/replication/) for `body`; throws a DynamoDbError when refused. */
  async handle(operation: string, body: unknown): Promise<unknown> {
    const request = record(body);
    if (operation === 'create') {
      await this.parts.globalTables.makeReplica(replicaRequest(request));
      return {};
    }
    const table = text(request, 'table');
    const region = text(request, 'region');
    switch (operation) {
      case 'changes': {
        const after = count(request, 'after', Number.MAX_SAFE_INTEGER);
        // What the reader has applied (a read ahead asks after changes it is still applying); before it was sent, `after` was both.
        const applied = Math.min(count(request, 'applied', after), after);
        const page = await this.parts.replicator.serveChanges(table, region, text(request, 'reader'), after, Math.min(count(request, 'limit', pageMax), pageMax), Math.min(count(request, 'waitMs', waitMaxMs), waitMaxMs), applied);
        if (page === undefined) return { missing: true };
        const answer: PeerLogPage = {
          logId: page.logId, last: page.last,
          changes: page.changes.map(({ counter, change }) => {
            const stored = encodeChange(change.stamp, change.key, change.next);
            return { n: counter, text: stored.json, size: stored.sizeBytes };
          }),
        };
        return answer;
      }
      case 'items': {
        const source = this.parts.catalog.get(region, table);
        if (source === undefined) throw new ValidationException(messages.tableNotFound(table));
        const after = request['after'];
        const start = typeof after === 'string' ? Buffer.concat([Buffer.from(after, 'base64'), Uint8Array.of(0)]) : undefined;
        const entries = await this.parts.storage.readRange(source.id, start === undefined ? {} : { start }, Math.min(count(request, 'limit', pageMax), pageMax));
        return { items: entries.map((e) => ({ key: Buffer.from(e.key).toString('base64'), json: e.item.json, size: e.item.sizeBytes })) };
      }
      case 'auto-scaling': {
        const replica = this.parts.catalog.get(region, table);
        if (replica === undefined) throw new ValidationException(messages.tableNotFound(table));
        return { autoScaling: replica.autoScaling ?? { targets: [], policies: [], activities: [] } };
      }
      case 'overrides':
        await this.parts.globalTables.setOverrides(region, table, replicaOverrides(request['overrides']));
        return {};
      case 'members':
        await this.parts.globalTables.changeMember(table, region, memberChange(request['change']));
        return {};
      case 'settings': {
        const settings = record(request['settings']);
        const operation = settings['operation'];
        if (operation !== 'UpdateTable' && operation !== 'UpdateTimeToLive' && operation !== 'UpdateTableReplicaAutoScaling') {
          throw new ValidationException('A replication request\'s settings are UpdateTable, UpdateTimeToLive or UpdateTableReplicaAutoScaling');
        }
        await this.parts.globalTables.applySettings(region, table, { operation, input: record(settings['input']) });
        return {};
      }
      case 'strong': {
        const items = request['items'];
        if (!Array.isArray(items) || items.length === 0 || !items.every(wireItem)) throw new ValidationException('A replication request needs items');
        // A write's token (an older server's messages have none: its region stands for it).
        const from = text(request, 'from');
        const token = typeof request['token'] === 'string' ? request['token'] : from;
        return this.parts.strong.answer(text(request, 'operation'), region, from, items.map(fromWire), token);
      }
      case 'delete': {
        const deleted = await this.parts.lifecycle.delete(region, table);
        await this.parts.globalTables.forget(region, table, deleted.replication?.Replicas ?? []);
        return {};
      }
      default:
        throw new ValidationException(`Unknown replication operation: ${operation}`);
    }
  }
}

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationException('A replication request is a JSON object');
  return body as Record<string, unknown>;
}

function text(request: Record<string, unknown>, name: string): string {
  const value = request[name];
  if (typeof value !== 'string' || value === '') throw new ValidationException(`A replication request needs ${name}`);
  return value;
}

function count(request: Record<string, unknown>, name: string, otherwise: number): number {
  const value = request[name];
  if (value === undefined) return otherwise;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new ValidationException(`A replication request's ${name} is a whole number`);
  return value;
}

function memberChange(value: unknown): MemberChange {
  const change = record(value);
  if (typeof change['remove'] === 'string') return { remove: change['remove'] };
  if (typeof change['active'] === 'string') return { active: change['active'] };
  for (const kind of ['add', 'overrides'] as const) {
    const member = change[kind] as ReplicaRecord | undefined;
    if (typeof member !== 'object' || member === null || typeof member.RegionName !== 'string') continue;
    const overrides = member.overrides === undefined ? undefined : replicaOverrides(member.overrides);
    const kept: ReplicaRecord = { RegionName: member.RegionName, ReplicaStatus: member.ReplicaStatus, ...(overrides === undefined ? {} : { overrides }) };
    return kind === 'add' ? { add: kept } : { overrides: kept };
  }
  throw new ValidationException('A replication request\'s change is add, remove, active or overrides');
}

/** A replica's overrides as a peer sent them: only what a replica may have of its own, each of its type. */
function replicaOverrides(value: unknown): ReplicaOverrides {
  const sent = record(value);
  const reads = (from: Record<string, unknown>): ReadOverrides => {
    const provisioned = from['ProvisionedThroughputOverride'] === undefined ? undefined : wholeNumber(record(from['ProvisionedThroughputOverride']), 'ReadCapacityUnits');
    const onDemand = from['OnDemandThroughputOverride'] === undefined ? undefined : wholeNumber(record(from['OnDemandThroughputOverride']), 'MaxReadRequestUnits');
    return {
      ...(from['ProvisionedThroughputOverride'] === undefined ? {} : { ProvisionedThroughputOverride: provisioned === undefined ? {} : { ReadCapacityUnits: provisioned } }),
      ...(from['OnDemandThroughputOverride'] === undefined ? {} : { OnDemandThroughputOverride: onDemand === undefined ? {} : { MaxReadRequestUnits: onDemand } }),
    };
  };
  const indexes = sent['GlobalSecondaryIndexes'];
  if (indexes !== undefined && !Array.isArray(indexes)) throw new ValidationException('A replication request\'s overrides name their GSIs in a list');
  const tableClass = sent['TableClassOverride'];
  if (tableClass !== undefined && tableClass !== 'STANDARD' && tableClass !== 'STANDARD_INFREQUENT_ACCESS') throw new ValidationException('A replication request\'s TableClassOverride is a table class');
  return {
    ...reads(sent),
    ...(sent['KMSMasterKeyId'] === undefined ? {} : { KMSMasterKeyId: text(sent, 'KMSMasterKeyId') }),
    ...(indexes === undefined ? {} : { GlobalSecondaryIndexes: indexes.map((g: unknown) => ({ IndexName: text(record(g), 'IndexName'), ...reads(record(g)) })) }),
    ...(tableClass === undefined ? {} : { TableClassOverride: tableClass }),
  };
}

/** A member that is a whole number when present. */
function wholeNumber(from: Record<string, unknown>, name: string): number | undefined {
  return from[name] === undefined ? undefined : count(from, name, 0);
}

function replicaRequest(request: Record<string, unknown>): ReplicaRequest {
  const definition = record(request['definition']);
  text(definition, 'TableName');
  const replicas = request['replicas'];
  if (!Array.isArray(replicas) || !replicas.every((r) => typeof (r as ReplicaRecord | null)?.RegionName === 'string')) throw new ValidationException('A replication request needs replicas');
  return {
    definition: definition as unknown as ReplicaRequest['definition'], region: text(request, 'region'), source: text(request, 'source'), replicas: replicas as ReplicaRecord[],
    ...(request['strong'] === true ? { strong: true } : {}), ...(request['witness'] === true ? { witness: true } : {}),
    ...(request['overrides'] === undefined ? {} : { overrides: replicaOverrides(request['overrides']) }),
  };
}

function wireItem(value: unknown): value is WireItem {
  const item = value as Partial<WireItem> | null;
  return typeof item === 'object' && item !== null && typeof item.table === 'string' && typeof item.key === 'string' &&
    (item.json === undefined || typeof item.json === 'string') && (item.stamp === undefined || (typeof item.stamp.ts === 'number' && typeof item.stamp.region === 'string'));
}
