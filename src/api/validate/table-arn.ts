// DynamoDB takes a table's ARN wherever it takes a table's name (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME).
// The ARN is read once the request's region and account are known, and the request continues with
// the bare name, so operations, permissions and replies only ever see names (AWS answers the bare
// name too). The checks run in this order: the ARN's form, its partition, its resource type, the
// table name, the region, the account.
import { AccessDeniedException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { isArn, namePattern, tableNameLengthMax, tableNameLengthMin } from './shape.js';

/** Where a request comes from: the region and account its tables are looked up in. */
export interface TableScope {
  readonly region: string;
  readonly accountId: string;
}

/** How regions map to table namespaces (with --shared-db, every region shares one). */
export interface Namespaces {
  namespaceOf(region: string): string;
}

/** Whether an ARN's region holds the tables of the request's region. */
export function sameNamespace(namespaces: Namespaces, arnRegion: string, scope: TableScope): boolean {
  return arnRegion === scope.region || namespaces.namespaceOf(arnRegion) === namespaces.namespaceOf(scope.region);
}

/** The six fields of an ARN; `resource` keeps any further colons. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** `type/name`, e.g. `table/Orders` or `table/Orders/index/byDate`. */
  readonly resource: string;
}

export function arnParts(arn: string): ArnParts | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = fields;
  return { partition, service, region, account, resource: fields.slice(5).join(':') };
}

/** The table name rules a name inside an ARN is held to, as a bare name is. */
const tableNamePattern = new RegExp(`^${namePattern}$`);

/** The table a TableName names: itself, or the table its ARN names (checked against the request's scope). */
export function tableNameOf(text: string, scope: TableScope, namespaces: Namespaces): string {
  if (!isArn(text)) return text;
  const parts = arnParts(text);
  if (parts === undefined || parts.service !== 'dynamodb') throw new ValidationException(messages.arnFormat);
  if (parts.partition !== 'aws') throw new ValidationException(messages.arnPartition(text));
  const slash = parts.resource.indexOf('/');
  if (slash < 0) throw new ValidationException(messages.arnFormat);
  if (parts.resource.slice(0, slash) !== 'table') throw new ValidationException(messages.arnResourceType(text));
  // An index's or a stream's ARN leaves a slash in the name, which the pattern refuses.
  const name = parts.resource.slice(slash + 1);
  if (name.length < tableNameLengthMin || name.length > tableNameLengthMax || !tableNamePattern.test(name)) throw new ValidationException(messages.arnFormat);
  if (!sameNamespace(namespaces, parts.region, scope)) throw new ValidationException(messages.arnRegion(text));
  if (parts.account !== scope.accountId) throw new AccessDeniedException(messages.accessIsDenied);
  return name;
}

type Body = Readonly<Record<string, unknown>>;
const isBody = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);
const transactActions = ['ConditionCheck', 'Put', 'Delete', 'Update', 'Get'] as const;

/**
 * The request with every table ARN replaced by its table's name: `TableName`, the keys of a batch's
 * `RequestItems`, and each transaction action's `TableName`. A request naming no ARN is returned as it is.
 */
export function resolveTableNames<T>(input: T, scope: TableScope, namespaces: Namespaces): T {
  if (!isBody(input)) return input;
  let resolved: Record<string, unknown> | undefined;
  const name = input['TableName'];
  if (typeof name === 'string' && isArn(name)) (resolved ??= { ...input })['TableName'] = tableNameOf(name, scope, namespaces);
  const requestItems = input['RequestItems'];
  if (isBody(requestItems) && Object.keys(requestItems).some(isArn)) (resolved ??= { ...input })['RequestItems'] = resolveRequestItems(requestItems, scope, namespaces);
  const transactItems = input['TransactItems'];
  if (Array.isArray(transactItems) && transactItems.some((item) => actionNamingArn(item) !== undefined)) {
    (resolved ??= { ...input })['TransactItems'] = transactItems.map((item: unknown) => {
      const action = actionNamingArn(item);
      if (action === undefined) return item;
      const body = (item as Body)[action] as Body;
      return { ...(item as Body), [action]: { ...body, TableName: tableNameOf(body['TableName'] as string, scope, namespaces) } };
    });
  }
  return (resolved ?? input) as T;
}

function actionNamingArn(item: unknown): (typeof transactActions)[number] | undefined {
  if (!isBody(item)) return undefined;
  return transactActions.find((action) => {
    const body = item[action];
    return isBody(body) && typeof body['TableName'] === 'string' && isArn(body['TableName']);
  });
}

/**
 * A batch's tables by name. A table named twice (once by name, once by ARN) gets both entries'
 * requests: BatchWriteItem's lists are joined, BatchGetItem's keys are joined under the first entry's options.
 */
function resolveRequestItems(requestItems: Body, scope: TableScope, namespaces: Namespaces): Body {
  const byName = new Map<string, unknown>();
  for (const [key, value] of Object.entries(requestItems)) {
    const name = tableNameOf(key, scope, namespaces);
    const earlier = byName.get(name);
    if (earlier === undefined) byName.set(name, value);
    else if (Array.isArray(earlier) && Array.isArray(value)) byName.set(name, [...(earlier as unknown[]), ...(value as unknown[])]);
    else if (isBody(earlier) && isBody(value)) byName.set(name, { ...earlier, Keys: [...(earlier['Keys'] as unknown[]), ...(value['Keys'] as unknown[])] });
  }
  return Object.fromEntries(byName);
}
