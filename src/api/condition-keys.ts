// DynamoDB's condition keys for fine-grained access control, as the IAM reference populates them:
// dynamodb:LeadingKeys (the partition key values of the items a request touches), with
// dynamodb:FirstPartitionKeyValues … dynamodb:FourthPartitionKeyValues (each attribute of a
// multi-attribute GSI partition key in a Query of that index; for a table, the first is its partition
// key's values, as LeadingKeys), dynamodb:Attributes
// (the top-level attribute names it reads or writes: a projection, an item's names, an update's),
// dynamodb:Select, dynamodb:ReturnValues and dynamodb:ReturnConsumedCapacity (present only when the
// request names them), and dynamodb:EnclosingOperation for a transaction's actions. A key the request does not give is absent — which ForAllValues reads as true
// and a plain operator as false, as on AWS. Computed only when --auth iam asks for permissions.
import { primaryKey, type TableRecord } from '../model/table.js';
import { tableIndexes } from '../engine/indexes.js';
import type { Path } from '../expressions/ast.js';
import type { Permission, RequestContext, Services } from './operation.js';
import { resolveExpressions, type ExpressionInput } from './validate/expression-parameters.js';

export type ConditionKeys = Readonly<Record<string, readonly string[]>>;

/** An attribute value as a request carries it, and an item or key as a map of them. */
type Value = Readonly<Record<string, unknown>>;
type Item = Readonly<Record<string, Value>>;

/** A key value as policies compare it: a string's text, a number's digits, a binary's base64. */
function keyText(value: Value | undefined): string | undefined {
  if (value === undefined) return undefined;
  const [type, inner] = Object.entries(value)[0] ?? [];
  return (type === 'S' || type === 'N' || type === 'B') && typeof inner === 'string' ? inner : undefined;
}

/** The partition key values of `items` (keys or whole items) of table `name`, when the table is known. */
export function leadingKeys(services: Services, ctx: RequestContext, name: string | undefined, items: readonly (Item | undefined)[]): string[] | undefined {
  const table = name === undefined ? undefined : services.engine.tables.find(ctx.region, name);
  if (table === undefined) return undefined;
  return leadingKeysOf(table, items);
}

/** Each table record's partition key name (records are replaced, never changed, so a record keeps its name). */
const hashKeys = new WeakMap<TableRecord, string>();

/**
 * The partition key attributes of a table, or of one of its indexes (a GSI's may be several); an
 * index the table does not have: none.
 */
export function partitionKeyNames(table: TableRecord, indexName?: string): string[] {
  if (indexName !== undefined) return tableIndexes(table).find((i) => i.name === indexName)?.hashKeys.map((k) => k.name) ?? [];
  let hash = hashKeys.get(table);
  if (hash === undefined) {
    hash = primaryKey(table).hash.name;
    hashKeys.set(table, hash);
  }
  return [hash];
}

function leadingKeysOf(table: TableRecord, items: readonly (Item | undefined)[]): string[] {
  const hash = partitionKeyNames(table)[0] as string;
  if (items.length === 1) {
    const one = keyText(items[0]?.[hash]);
    return one === undefined ? [] : [one];
  }
  return [...new Set(items.flatMap((item) => keyText(item?.[hash]) ?? []))];
}

/** The condition keys of a partition key's first to fourth attributes (a GSI's key has at most four), in lower case. */
const partitionKeyValueKeys = ['first', 'second', 'third', 'fourth'].map((n) => `dynamodb:${n}partitionkeyvalues`);

/** The keys of a request that reads or writes items (named in lower case, as conditions look them up): each one given only when the request has it. */
export function itemKeys(parts: {
  /** The partition key values (of a key of several attributes, the first's); given `partition`, its first. */
  readonly leading?: readonly string[] | undefined;
  /** The values of each partition key attribute in order (a Query's); without it, `leading` is the first. */
  readonly partition?: readonly (readonly string[])[] | undefined;
  readonly attributes?: readonly string[] | undefined;
  readonly select?: string | undefined;
  readonly returnValues?: string | undefined;
  readonly returnConsumedCapacity?: string | undefined;
  /** A transaction's action: the transaction's operation (dynamodb:EnclosingOperation). */
  readonly enclosing?: string;
}): ConditionKeys {
  const out: Record<string, readonly string[]> = {};
  const leading = parts.leading ?? parts.partition?.[0];
  if (leading !== undefined && leading.length > 0) out['dynamodb:leadingkeys'] = leading;
  const partition = parts.partition ?? (leading === undefined ? [] : [leading]);
  partition.forEach((values, i) => {
    if (values.length > 0 && i < partitionKeyValueKeys.length) out[partitionKeyValueKeys[i] as string] = values;
  });
  if (parts.attributes !== undefined && parts.attributes.length > 0) out['dynamodb:attributes'] = [...new Set(parts.attributes)];
  if (parts.select !== undefined) out['dynamodb:select'] = [parts.select];
  if (parts.returnValues !== undefined) out['dynamodb:returnvalues'] = [parts.returnValues];
  if (parts.returnConsumedCapacity !== undefined) out['dynamodb:returnconsumedcapacity'] = [parts.returnConsumedCapacity];
  if (parts.enclosing !== undefined) out['dynamodb:enclosingoperation'] = [parts.enclosing];
  return out;
}

/** The top-level names a request's expressions read or write: its projection and its update's paths. */
export function expressionAttributes(input: ExpressionInput & { readonly AttributesToGet?: readonly string[] }, services: Services): string[] | undefined {
  if (input.AttributesToGet !== undefined) return [...input.AttributesToGet];
  try {
    const resolved = resolveExpressions(input, services.expressions);
    const paths: Path[] = [...(resolved.projection ?? []), ...(resolved.update ?? []).map((action) => action.path)];
    return paths.length === 0 ? undefined : paths.map((p) => String(p[0]));
  } catch {
    // An expression that does not parse is refused when the operation runs.
    return undefined;
  }
}

/**
 * A Query's partition key values, one list per attribute of the table's or the index's partition key
 * (a GSI's may have up to four), each from the key condition's equality on it: empty where there is
 * none; undefined when the table is not known.
 */
export function queryPartitionKeys(input: ExpressionInput & { readonly TableName: string; readonly IndexName?: string; readonly KeyConditions?: Readonly<Record<string, { readonly AttributeValueList?: readonly Value[]; readonly ComparisonOperator?: string }>> }, services: Services, ctx: RequestContext): string[][] | undefined {
  const table = services.engine.tables.find(ctx.region, input.TableName);
  if (table === undefined) return undefined;
  const hashes = partitionKeyNames(table, input.IndexName);
  if (hashes.length === 0) return undefined;
  const listOf = (value: Value | undefined): string[] => {
    const text = keyText(value);
    return text === undefined ? [] : [text];
  };
  if (input.KeyConditions !== undefined) {
    const conditions = input.KeyConditions;
    return hashes.map((hash) => listOf(conditions[hash]?.ComparisonOperator === 'EQ' ? conditions[hash]?.AttributeValueList?.[0] : undefined));
  }
  try {
    const conditions = resolveExpressions(input, services.expressions).keyConditions ?? [];
    return hashes.map((hash) => listOf(conditions.find((c) => c.name === hash && c.operator === 'EQ')?.values[0]));
  } catch {
    return undefined;
  }
}

/**
 * dynamodb:Select of a read: the request's Select, or what it defaults to — SPECIFIC_ATTRIBUTES with a
 * projection, else ALL_PROJECTED_ATTRIBUTES on an index and ALL_ATTRIBUTES on a table — so a policy
 * that asks for SPECIFIC_ATTRIBUTES refuses a read of whole items.
 */
export function selectOf(select: string | undefined, attributes: readonly string[] | undefined, index?: string): string {
  return select ?? (attributes !== undefined ? 'SPECIFIC_ATTRIBUTES' : index !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
}

/** A permission with the request's condition keys. */
export function withKeys(permission: Permission, keys: ConditionKeys): Permission {
  for (const _ in keys) return { action: permission.action, resource: permission.resource, keys };
  return permission;
}
