// Runs one PartiQL statement the way DynamoDB does: a SELECT naming the whole primary key is a
// GetItem, one naming the partition key a Query, any other a Scan (of the table or the index in
// FROM), filtered by the whole WHERE clause; INSERT is a PutItem that refuses an existing key;
// UPDATE an UpdateItem of an existing item; DELETE a DeleteItem — with the rest of the WHERE
// clause as the write's condition. ExecuteStatement, BatchExecuteStatement and ExecuteTransaction
// share this.
import { createHash } from 'node:crypto';
import type { IndexDefinition } from '../../engine/indexes.js';
import { keyFromKeyMap } from '../../engine/item-key.js';
import type { WriteCondition } from '../../engine/item-decisions.js';
import type { WriteUsage } from '../../engine/item-service.js';
import type { Engine } from '../../engine/engine.js';
import type { Condition as ResolvedCondition, Path } from '../../expressions/ast.js';
import { readPath } from '../../expressions/document-path.js';
import { evaluateCondition } from '../../expressions/evaluate.js';
import type { KeyCondition, KeyOperator } from '../../expressions/key-condition.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import { primaryKey, type TableRecord } from '../../model/table.js';
import type { KeyRange } from '../../model/stored-item.js';
import type { Condition, Literal, Projected, Statement, Target } from '../../partiql/ast.js';
import { allOf, Binding, conjuncts, equalityOn, isName } from '../../partiql/bind.js';
import type { StatementCache } from '../../partiql/statement-cache.js';
import { ConditionalCheckFailedException, DuplicateItemException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeAttributeValue, normalizeItem } from '../validate/attribute-value.js';
import { consumedCapacity, usageOf, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { tableOrIndexArn, type Permission, type RawJson, type RequestContext, type Usage } from '../operation.js';
import { checkIndexStartKey, indexStartKeyNames, indexStartStorageKey, readAndReply, readIndex } from './index-reads.js';
import { pagePartition, readHeld } from './partition-reads.js';
import { checkQueryKey, type KeySchemaAttributes, type QueryKey } from './query-key.js';
import { queryKeyRange, tableKeySchema } from './query.js';
import { returned } from './update-item.js';
import { setOwn } from '../../model/own-properties.js';
import { partitionKeyNames, withKeys } from '../condition-keys.js';

export type SelectStatement = Extract<Statement, { kind: 'select' }>;

/** A statement parsed (from the server's cache) with its parameters checked. */
export interface Prepared {
  readonly text: string;
  readonly statement: Statement;
  readonly parameters: readonly AttributeValue[];
}

export interface StatementOptions {
  readonly consistent: boolean;
  readonly limit?: number | undefined;
  readonly nextToken?: string | undefined;
  readonly returnConsumedCapacity?: ReturnConsumedCapacity | undefined;
  readonly returnItemOnFailure?: boolean;
}

export interface StatementResult {
  readonly table: TableRecord;
  /** Items as JSON text: a stored item splices in unparsed. */
  readonly items: readonly string[];
  readonly nextToken?: string;
  readonly lastEvaluatedKey?: AttributeMap;
  readonly capacity?: Record<string, unknown>;
  readonly usage: Usage;
}

const partiqlActions: Readonly<Record<Statement['kind'], string>> = {
  select: 'dynamodb:PartiQLSelect', exists: 'dynamodb:PartiQLSelect', insert: 'dynamodb:PartiQLInsert', update: 'dynamodb:PartiQLUpdate', delete: 'dynamodb:PartiQLDelete',
};

/** The IAM action and resource a statement needs; none for a statement that does not parse (it is refused anyway). */
export function statementPermission(statements: StatementCache, text: string, ctx: RequestContext, engine: Engine): Permission[] {
  let statement: Statement;
  try {
    statement = statements.get(text).statement;
  } catch (error) {
    if (error instanceof ValidationException) return [];
    throw error;
  }
  const target = statement.kind === 'exists' ? statement.select.target : statement.target;
  const permission: Permission = { action: partiqlActions[statement.kind], resource: tableOrIndexArn(ctx, target.table, target.index) };
  // dynamodb:FullTableScan: whether a SELECT reads the whole table (or index), not one partition.
  const scans = statement.kind === 'select' ? fullScan(engine, ctx, statement.target, statement.where) : undefined;
  return [scans === undefined ? permission : withKeys(permission, { 'dynamodb:fulltablescan': [String(scans)] })];
}

/** Whether a SELECT's WHERE leaves a partition key of its table or index without an equality (undefined: no such table). */
function fullScan(engine: Engine, ctx: RequestContext, target: Target, where: Condition | undefined): boolean | undefined {
  const table = engine.tables.find(ctx.region, target.table);
  if (table === undefined) return undefined;
  const hashKeys = partitionKeyNames(table, target.index);
  if (hashKeys.length === 0) return undefined;
  const parts = conjuncts(where);
  return !hashKeys.every((name) => parts.some((c) => equalityOn(c, name) !== undefined));
}

export function prepare(statements: StatementCache, text: string, parameters: readonly unknown[] | undefined): Prepared {
  const parsed = statements.get(text);
  const values = (parameters ?? []).map((p) => normalizeAttributeValue(p as Record<string, unknown>, 1));
  if (values.length < parsed.parameters) throw new ValidationException(messages.partiqlParameterCount);
  return { text, statement: parsed.statement, parameters: values };
}

export async function runStatement(engine: Engine, region: string, prepared: Prepared, options: StatementOptions): Promise<StatementResult> {
  const { statement } = prepared;
  switch (statement.kind) {
    case 'select':
      return select(engine, region, prepared, statement, options);
    case 'insert':
      return insert(engine, region, prepared, statement.target, statement.item, options);
    case 'update':
    case 'delete':
      return write(engine, region, prepared, statement, options);
    case 'exists':
      throw new ValidationException(messages.partiqlExistsOutsideTransaction);
  }
}

// ---- reads

async function select(engine: Engine, region: string, prepared: Prepared, statement: SelectStatement, options: StatementOptions): Promise<StatementResult> {
  const table = engine.tables.requireUsable(region, statement.target.table);
  const index = statement.target.index === undefined ? undefined : readIndex(table, statement.target.index, false);
  if (index?.global === true && options.consistent) throw new ValidationException(messages.partiqlConsistentReadOnGsi);
  const schema: KeySchemaAttributes = index ?? tableKeySchema(table);
  if (index?.global === true && index.projected !== undefined && statement.projection !== undefined) {
    const projected = index.projected;
    const keys = new Set(indexStartKeyNames(table, index));
    const missing = statement.projection.map((p) => topName(p)).filter((n) => !projected.has(n) && !keys.has(n));
    if (missing.length > 0) throw new ValidationException(messages.partiqlGsiNotProjected(index.name, missing));
  }
  const binding = new Binding(prepared.parameters);
  const parts = conjuncts(statement.where);
  const hashEqualities = schema.hashKeys.map((k) => parts.map((c) => equalityOn(c, k.name)).find((l) => l !== undefined));
  checkOrderBy(statement, schema, hashEqualities.every((l) => l !== undefined));
  const digest = tokenDigest(prepared);
  const startKey = options.nextToken === undefined ? undefined : decodeToken(options.nextToken, digest);
  if (index === undefined && startKey === undefined) {
    const full = fullKey(schema, statement.where, binding);
    if (full !== undefined) {
      // The key's equalities hold for the item read by that key: only the rest of WHERE filters it.
      const rest = allOf(full.rest);
      return getOne(engine, region, table, full.keyMap, rest === undefined ? undefined : binding.condition(rest), statement.projection, options);
    }
  }
  const filter = statement.where === undefined ? undefined : binding.condition(statement.where);
  let range: KeyRange;
  let hash: AttributeValue[] | undefined;
  if (hashEqualities.every((l) => l !== undefined)) {
    const conditions: KeyCondition[] = schema.hashKeys.map((k, i) => ({ name: k.name, operator: 'EQ', values: [binding.literal(hashEqualities[i] as Literal)] }));
    const rangeKey = schema.hashKeys.length === 1 && schema.rangeKeys.length === 1 ? schema.rangeKeys[0] : undefined;
    const rangeCondition = rangeKey === undefined ? undefined : parts.map((c) => keyConditionOn(c, rangeKey.name, binding)).find((c) => c !== undefined);
    let key: QueryKey;
    try {
      key = checkQueryKey(table, index, schema, rangeCondition === undefined ? conditions : [...conditions, rangeCondition], startKey);
    } catch (error) {
      // A sort key condition the key cannot serve (another type, say) stays in the filter only.
      if (!(error instanceof ValidationException) || rangeCondition === undefined) throw error;
      key = checkQueryKey(table, index, schema, conditions, startKey);
    }
    range = queryKeyRange(table, index, key, startKey, statement.descending);
    hash = key.hash.map((p) => p.value);
  } else {
    range = scanRange(table, index, startKey);
  }
  // Held to its partition as a Query or a Scan is (--enforce-capacity).
  const reply = await readHeld(engine, table, index, pagePartition(engine, table, range.start, hash), () => readAndReply(engine, table, index, {
    range,
    limit: options.limit,
    filter,
    projection: undefined,
    // A local index reaches the table's items for what it does not project, as on AWS.
    select: index !== undefined && !index.global ? 'ALL_ATTRIBUTES' : undefined,
    consistent: options.consistent,
    returnConsumedCapacity: options.returnConsumedCapacity,
  }));
  const body = reply.body as { Items: readonly RawJson[]; LastEvaluatedKey?: AttributeMap; ConsumedCapacity?: Record<string, unknown> };
  const last = body.LastEvaluatedKey;
  const projection = statement.projection;
  return {
    table,
    items: body.Items.map((item) => (projection === undefined ? item.json : JSON.stringify(projectStatement(JSON.parse(item.json) as AttributeMap, projection)))),
    ...(last === undefined ? {} : { nextToken: encodeToken(digest, last), lastEvaluatedKey: last }),
    ...(body.ConsumedCapacity === undefined ? {} : { capacity: body.ConsumedCapacity }),
    usage: reply.usage?.[0] ?? usageOf(table.TableName, 'read', 0),
  };
}

async function getOne(
  engine: Engine, region: string, table: TableRecord, keyMap: AttributeMap, filter: ResolvedCondition | undefined, projection: readonly Projected[] | undefined, options: StatementOptions,
): Promise<StatementResult> {
  const outcome = await engine.items.get(region, table.TableName, keyMap, options.consistent);
  const capacity = consumedCapacity(options.returnConsumedCapacity, table.TableName, outcome.capacityUnits);
  let items: string[] = [];
  const stored = outcome.item;
  if (stored !== undefined) {
    if (filter === undefined && projection === undefined) items = [stored.json];
    else {
      const item = JSON.parse(stored.json) as AttributeMap;
      if (filter === undefined || evaluateCondition(filter, item)) items = [JSON.stringify(projectStatement(item, projection))];
    }
  }
  return { table, items, ...(capacity === undefined ? {} : { capacity }), usage: usageOf(table.TableName, 'read', outcome.capacityUnits) };
}

/** The whole primary key by equalities at the top of the WHERE clause, and the other conditions. */
export function fullKey(schema: KeySchemaAttributes, where: Condition | undefined, binding: Binding): { keyMap: AttributeMap; rest: Condition[] } | undefined {
  const parts = conjuncts(where);
  const used = new Set<Condition>();
  const keyMap: Record<string, AttributeValue> = {};
  for (const attribute of [...schema.hashKeys, ...schema.rangeKeys]) {
    const found = parts.find((c) => !used.has(c) && equalityOn(c, attribute.name) !== undefined);
    if (found === undefined) return undefined;
    used.add(found);
    setOwn(keyMap, attribute.name, binding.literal(equalityOn(found, attribute.name) as Literal));
  }
  return { keyMap, rest: parts.filter((c) => !used.has(c)) };
}

const keyOperators: Readonly<Record<string, KeyOperator>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
const mirrored: Readonly<Record<string, KeyOperator>> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };

/** A conjunct a sort key range can serve: a comparison, BETWEEN or begins_with on the key with values. */
function keyConditionOn(condition: Condition, name: string, binding: Binding): KeyCondition | undefined {
  if (condition.kind === 'compare' && condition.op !== '<>') {
    if (isName(condition.left, name) && condition.right.kind === 'literal') return { name, operator: keyOperators[condition.op] as KeyOperator, values: [binding.literal(condition.right.literal)] };
    if (isName(condition.right, name) && condition.left.kind === 'literal') return { name, operator: mirrored[condition.op] as KeyOperator, values: [binding.literal(condition.left.literal)] };
  }
  if (condition.kind === 'between' && isName(condition.subject, name) && condition.low.kind === 'literal' && condition.high.kind === 'literal') {
    return { name, operator: 'BETWEEN', values: [binding.literal(condition.low.literal), binding.literal(condition.high.literal)] };
  }
  if (condition.kind === 'call' && condition.call.name === 'begins_with' && condition.call.args.length === 2) {
    const [subject, prefix] = condition.call.args;
    if (subject !== undefined && isName(subject, name) && prefix?.kind === 'literal') return { name, operator: 'BEGINS_WITH', values: [binding.literal(prefix.literal)] };
  }
  return undefined;
}

function checkOrderBy(statement: SelectStatement, schema: KeySchemaAttributes, hashKnown: boolean): void {
  if (statement.orderBy === undefined) return;
  if (statement.where === undefined) throw new ValidationException(messages.partiqlOrderByWithoutWhere);
  if (!hashKnown) throw new ValidationException(messages.partiqlOrderByWithoutHashKey);
  if (![...schema.hashKeys, ...schema.rangeKeys].some((k) => k.name === statement.orderBy)) throw new ValidationException(messages.partiqlOrderByNotKey(statement.orderBy));
}

function scanRange(table: TableRecord, index: IndexDefinition | undefined, startKey: AttributeMap | undefined): KeyRange {
  if (startKey === undefined) return {};
  if (index !== undefined) {
    checkIndexStartKey(table, index, startKey);
    return { start: Buffer.concat([indexStartStorageKey(table, index, startKey), Uint8Array.of(0)]) };
  }
  return { start: Buffer.concat([keyFromKeyMap(table, startKey), Uint8Array.of(0)]) };
}

function topName(projected: Projected): string {
  const first = projected.path.steps[0];
  return first?.kind === 'name' ? first.name : '';
}

/** SELECT's list: each path's value under its output name; `*` is the whole item. */
export function projectStatement(item: AttributeMap, projection: readonly Projected[] | undefined): AttributeMap {
  if (projection === undefined) return item;
  const out: Record<string, AttributeValue> = {};
  for (const p of projection) {
    const path: Path = p.path.steps.map((s) => (s.kind === 'name' ? s.name : s.index));
    const value = readPath(item, path);
    if (value !== undefined) setOwn(out, p.output, value);
  }
  return out;
}

// ---- NextToken: the page's LastEvaluatedKey, bound to the statement and its parameters

function tokenDigest(prepared: Prepared): string {
  return createHash('sha256').update(prepared.text).update('\n').update(JSON.stringify(prepared.parameters)).digest('base64url').slice(0, 22);
}

function encodeToken(digest: string, lastKey: AttributeMap): string {
  return Buffer.from(JSON.stringify({ d: digest, k: lastKey })).toString('base64');
}

function decodeToken(token: string, digest: string): AttributeMap {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw new ValidationException(messages.partiqlInvalidNextToken);
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new ValidationException(messages.partiqlInvalidNextToken);
  const { d, k } = decoded as { d?: unknown; k?: unknown };
  if (typeof d !== 'string' || typeof k !== 'object' || k === null || Array.isArray(k)) throw new ValidationException(messages.partiqlInvalidNextToken);
  if (d !== digest) throw new ValidationException(messages.partiqlNextTokenMismatch);
  try {
    return normalizeAttributeMap(k as Record<string, unknown>);
  } catch {
    throw new ValidationException(messages.partiqlInvalidNextToken);
  }
}

// ---- writes

/** The table a write names; writes go to tables, never to an index. */
export function writeTable(engine: Engine, region: string, target: Target): TableRecord {
  const table = engine.tables.requireUsable(region, target.table);
  if (target.index !== undefined) throw new ValidationException(messages.partiqlOperationOnIndex);
  return table;
}

/** INSERT's item: a map literal, checked as PutItem checks an item (its key where it is written). */
export function insertItem(item: Literal, binding: Binding): AttributeMap {
  const value = binding.literal(item);
  if (!('M' in value)) throw new ValidationException(messages.partiqlInsertItemFormat);
  const attributes = normalizeItem(value.M as Record<string, unknown>);
  if (itemSizeBytes(attributes) > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
  return attributes;
}

/** The condition an INSERT writes under: no item has its key. */
export function absentCondition(table: TableRecord): ResolvedCondition {
  return { kind: 'not_exists', path: [primaryKey(table).hash.name] };
}

/** The condition an UPDATE writes under: its item exists, and the rest of the WHERE clause holds. */
export function updateCondition(table: TableRecord, rest: readonly Condition[], binding: Binding): ResolvedCondition {
  const exists: ResolvedCondition = { kind: 'exists', path: [primaryKey(table).hash.name] };
  const others = allOf(rest);
  return others === undefined ? exists : { kind: 'and', left: exists, right: binding.condition(others) };
}

/** A write's key from its WHERE clause, which must name the whole primary key by equalities. */
export function writeKey(table: TableRecord, where: Condition, binding: Binding): { keyMap: AttributeMap; rest: Condition[] } {
  const full = fullKey(tableKeySchema(table), where, binding);
  if (full === undefined) throw new ValidationException(messages.partiqlIncompleteKey);
  return full;
}

async function insert(engine: Engine, region: string, prepared: Prepared, target: Target, literal: Literal, options: StatementOptions): Promise<StatementResult> {
  const table = writeTable(engine, region, target);
  const item = insertItem(literal, new Binding(prepared.parameters));
  let outcome;
  try {
    outcome = await engine.items.put(region, table.TableName, item, itemSizeBytes(item), { condition: absentCondition(table), returnItemOnFailure: false });
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new DuplicateItemException(messages.partiqlDuplicateItem);
    throw error;
  }
  return { table, items: [], ...writeUsage(options, outcome) };
}

async function write(
  engine: Engine, region: string, prepared: Prepared, statement: Extract<Statement, { kind: 'update' | 'delete' }>, options: StatementOptions,
): Promise<StatementResult> {
  const table = writeTable(engine, region, statement.target);
  const binding = new Binding(prepared.parameters);
  const { keyMap, rest } = writeKey(table, statement.where, binding);
  // The key is checked against the table before the SET clauses or the condition, as DynamoDB orders it.
  keyFromKeyMap(table, keyMap);
  const returnItemOnFailure = options.returnItemOnFailure === true;
  if (statement.kind === 'delete') {
    const others = allOf(rest);
    const check: WriteCondition | undefined = others === undefined ? undefined : { condition: binding.condition(others), returnItemOnFailure };
    const outcome = await engine.items.delete(region, table.TableName, keyMap, check);
    const items = statement.returning === 'ALL_OLD' && outcome.previous !== undefined ? [outcome.previous.json] : [];
    return { table, items, ...writeUsage(options, outcome) };
  }
  const actions = binding.update(statement.clauses);
  const check = { condition: updateCondition(table, rest, binding), returnItemOnFailure };
  const outcome = await engine.items.update(region, table.TableName, keyMap, actions, check);
  const attributes = statement.returning === undefined ? undefined : returned(statement.returning, outcome.previous, outcome.next, actions.map((a) => a.path));
  return { table, items: attributes === undefined ? [] : [JSON.stringify(attributes)], ...writeUsage(options, outcome) };
}

function writeUsage(options: StatementOptions, outcome: WriteUsage): { capacity?: Record<string, unknown>; usage: Usage } {
  const name = outcome.table.TableName;
  const capacity = consumedCapacity(options.returnConsumedCapacity, name, outcome.capacityUnits, outcome.indexUnits);
  return { ...(capacity === undefined ? {} : { capacity }), usage: usageOf(name, 'write', outcome.capacityUnits, outcome.indexUnits) };
}
