// Every AWS message text in one catalog, so a text is written once and tests can match it.
// Texts are DynamoDB's own (typos and double spaces included): tools match on them.

const invalid = 'One or more parameter values were invalid: ';

export const messages = {
  // ---- request envelope
  missingAuthenticationToken: 'Request is missing Authentication Token',
  missingAuthorizationParameter: (name: string) => `Authorization header requires '${name}' parameter. `,
  missingDateHeader: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
  authorizationSuffix: (header: string) => `Authorization=${header}`,
  bothAuthorizationForms: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  missingQueryParameter: (name: string) => `AWS query-string parameters must include '${name}'. `,
  queryParametersSuffix: 'Re-examine the query-string parameters.',
  credentialElements: (credential: string) =>
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  // ---- signatures (--auth sigv4 | iam), in the order DynamoDB checks them
  dateFormat: (date: string) => `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  signatureExpired: (date: string, earliest: string, now: string) => `Signature expired: ${date} is now earlier than ${earliest} (${now} - 15 min.)`,
  signatureNotYetCurrent: (date: string, latest: string, now: string) => `Signature not yet current: ${date} is still later than ${latest} (${now} + 15 min.)`,
  presignedExpired: (date: string, earliest: string, now: string, seconds: number) => `Signature expired: ${date} is now earlier than ${earliest} (${now} - ${seconds} sec.)`,
  hostNotSigned: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
  unsupportedAlgorithm: (algorithm: string) => `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  scopeRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  scopeService: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  scopeTerminator: (terminator: string) => `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
  scopeDate: (scopeDate: string, day: string, date: string) => `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${day}', from '${date}'.`,
  unknownAccessKey: 'The security token included in the request is invalid.',
  invalidSessionToken: 'The security token included in the request is invalid',
  expiredSessionToken: 'The security token included in the request is expired',
  signatureMismatch: (canonical: string, stringToSign: string) => 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. '
    + `Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  // ---- resource-based policies
  policyNotFound: (arn: string) => `Resource-based policy not found for the provided ResourceArn: ${arn}`,
  policyRevisionMismatch: (expected: string, table: string, current: string) =>
    `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${expected}, but the policy associated to target table ${table} has revision id ${current}.`,
  policyExpectedNone: (table: string, current: string) =>
    `Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table ${table}, but a policy exists with revision id ${current}.`,
  policyTooLarge: (bytes: number) => `Resource-based policy document is ${bytes} bytes: the most a policy may be is 20480 bytes (whitespace counted).`,
  policyMalformed: (why: string) => `Invalid resource-based policy document: ${why}`,
  policyLocksOut: (action: string) => `The policy would deny you ${action} on this resource: set ConfirmRemoveSelfResourceAccess to true to put it anyway.`,
  // ---- authorization (--auth iam)
  accessDenied: (principal: string, action: string, resource: string, why: string) => `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  noPolicyAllows: (kind: 'identity-based' | 'resource-based', action: string) => `because no ${kind} policy allows the ${action} action`,
  explicitDeny: (kind: 'identity-based' | 'resource-based') => `with an explicit deny in ${kind === 'identity-based' ? 'an' : 'a'} ${kind} policy`,
  startOfStructure: 'Start of structure or map found where not expected',
  unexpectedField: 'Unexpected field type',
  unexpectedValueType: 'Unexpected value type in payload',
  unexpectedToken: 'Unexpected token received from parser',
  cannotConvert: (token: string, type: string) => `${token} cannot be converted to ${type}`,
  unrecognizedCollection: (javaType: string) => `Unrecognized collection type ${javaType}`,
  base64Only: 'only base-64-encoded strings are convertible to bytes',
  base64Length: (length: number) => `Base64 encoded length is expected a multiple of 4 bytes but found: ${length}`,
  base64LastChar: 'Invalid last non-pad Base64 character dectected',

  // ---- generic validation
  validationErrors: (errors: readonly string[]) =>
    `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
  constraint: (value: string, path: string, rule: string) => `Value ${value} at '${path}' failed to satisfy constraint: ${rule}`,
  notNull: 'Member must not be null',
  lengthAtLeast: (n: number) => `Member must have length greater than or equal to ${n}`,
  lengthAtMost: (n: number) => `Member must have length less than or equal to ${n}`,
  valueAtLeast: (n: number) => `Member must have value greater than or equal to ${n}`,
  valueAtMost: (n: number) => `Member must have value less than or equal to ${n}`,
  pattern: (p: string) => `Member must satisfy regular expression pattern: ${p}`,
  enumValue: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  mapKeysConstraint: (rules: readonly string[]) => `Map keys must satisfy constraint: [${rules.join(', ')}]`,
  parameterRequired: (name: string) => `The parameter '${name}' is required but was not present in the request`,
  tableNameLength: 'TableName must be at least 3 characters long and at most 255 characters long',

  // ---- time to live
  ttlAlreadyEnabled: 'TimeToLive is already enabled',
  ttlAlreadyDisabled: 'TimeToLive is already disabled',
  ttlOtherAttribute: (current: string) => `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
  ttlChangedTooOften: 'Time to live has been modified multiple times within a fixed interval',

  // ---- PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction)
  partiqlStarAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  partiqlUnexpectedPathComponent: 'Unexpected path component',
  partiqlDuplicateIdentifiers: (name: string) => `Duplicate identifiers in select clause: ${name}`,
  partiqlInsertItemFormat: 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  partiqlReturningOnInsert: 'RETURNING is not supported in INSERT',
  partiqlIncompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  partiqlDeleteReturning: (returning: string) => `Invalid returning clause: RETURNING ${returning}. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
  partiqlOnlySetAndRemove: 'Only SET and REMOVE are supported in update expressions at this time',
  partiqlUnrecognizedFunction: (name: string, at: string) => `Unrecognized function: ${name} at ${at}`,
  partiqlReturningSyntax: "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
  partiqlFromPathTooLong: 'A path may contain at most 2 components in the FROM clause',
  partiqlAliasing: 'Aliasing is not supported',
  partiqlInOperator: 'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
  partiqlIsType: (type: string) => `Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
  partiqlIsOperand: 'The left hand side argument to IS must be a Variable Reference, Literal, or Path',
  partiqlWhereNotBoolean: 'WHERE clause must contain an expression that resolves to a boolean',
  partiqlUnpivotPath: 'Unpivot path component like a.*.b are not supported',
  partiqlWildcardPath: 'Wildcard path component like a[*].b are not supported',
  partiqlTupleKeyType: (type: string, under: string) => `Tuple keys must be of type String. Actual type: ${type} under ${under}`,
  partiqlDuplicateTupleKey: (key: string, under: string) => `Duplicate keys in tuple. Key: ${key} under ${under}`,
  partiqlEmptyBag: 'Empty bags are not supported',
  partiqlBagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
  partiqlUnsupportedDataType: (name: string, at: string) => `Unsupported data type: ${name} under key root at ${at}`,
  partiqlMissingLiteral: 'MISSING must be compared using IS operator',
  partiqlEmptyPathComponent: 'Path component cannot be an empty string',
  partiqlUnsupportedClause: (clause: string) => `Unsupported clause: ${clause}`,
  partiqlSetFunctionArity: (fn: string, at: string) => `${fn} must have exactly two arguments at ${at}`,
  partiqlSetFunctionFirst: (fn: string, at: string) => `The first argument to ${fn} must equal the assignment value at ${at}`,
  partiqlSetFunctionSecond: (fn: string, at: string) => `The second argument to ${fn} must be a value with type SET at ${at}`,
  partiqlParameterCount: "Number of parameters in request and statement don't match.",
  partiqlDuplicateItem: 'Duplicate primary key exists in table',
  partiqlBatchSelectKey: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
  partiqlTransactionSelectKey: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  partiqlTransactionIndexRead: 'Reads on indices are not supported within transactions.',
  partiqlTransactionIndexWrite: 'Operations on indices are not supported in transactions',
  partiqlExistsKey: 'EXISTS() must contain a single item read with additional condition',
  partiqlExistsOutsideTransaction: 'EXISTS can only be used in ExecuteTransaction write requests.',
  partiqlTransactionStatement: (index: number, message: string) => `Validation failed in TransactStatements[${index}]: ${message}`,
  partiqlTransactionMixed: 'ExecuteTransaction API does not support both read and write operations in the same request.',
  partiqlOrderByWithoutWhere: 'Must have WHERE clause in the statement when using ORDER BY clause.',
  partiqlOrderByWithoutHashKey: 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
  partiqlOrderByNotKey: (name: string) => `Variable reference ${name} in ORDER BY clause must be part of the primary key`,
  partiqlOperationOnIndex: 'This operation is not supported on an index',
  partiqlConsistentReadOnGsi: 'Strongly consistent read is not supported on Global Secondary Indexes',
  partiqlInvalidNextToken: 'Invalid NextToken',
  partiqlNextTokenMismatch: 'NextToken does not match request',
  partiqlGsiNotProjected: (index: string, names: readonly string[]) => `${invalid}Global secondary index ${index} does not project [${names.join(', ')}]`,

  // ---- attribute values
  emptyAttributeValue: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  severalDatatypes: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  nullMustBeTrue: `${invalid}Null attribute value types must have the value of true`,
  emptyStringSet: `${invalid}An string set  may not be empty`,
  emptyNumberSet: `${invalid}An number set  may not be empty`,
  emptyBinarySet: `${invalid}Binary sets should not be empty`,
  duplicateStrings: (set: string) => `${invalid}Input collection ${set} contains duplicates.`,
  duplicateNumbers: 'Input collection contains duplicates',
  duplicateBinaries: (set: string) => `${invalid}Input collection ${set}of type BS contains duplicates.`,
  notNumeric: 'The parameter cannot be converted to a numeric value',
  notNumericValue: (text: string) => `The parameter cannot be converted to a numeric value: ${text}`,
  numberOverflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  numberUnderflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  numberPrecision: 'Attempting to store more than 38 significant digits in a Number',
  /** An update's arithmetic whose exact result needs more than 38 digits (AWS, reported in 2026; DynamoDB Local alike). */
  arithmeticPrecision: 'DynamoDB only supports precision up to 38 digits',
  nestingTooDeep: 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  attributeNameTooLarge: '1 validation error detected: Attribute name is too large, must be less than 65536 bytes',
  emptyAttributeName: 'Empty attribute name',
  conditionalOperatorAlone: 'ConditionalOperator cannot be used without Filter or Expected',
  conditionalOperatorOneCondition: 'ConditionalOperator can only be used when Filter or Expected has two or more elements',

  // ---- keys and items
  keySchemaMismatch: 'The provided key element does not match the schema',
  missingKey: (name: string) => `${invalid}Missing the key ${name} in the item`,
  keyTypeMismatch: (name: string, expected: string, actual: string) =>
    `${invalid}Type mismatch for key ${name} expected: ${expected} actual: ${actual}`,
  emptyKeyInItem: (name: string, kind: 'string' | 'binary') =>
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
  emptyKeyInKey: (name: string, kind: 'string' | 'binary') =>
    `${invalid}The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
  hashKeyTooLarge: `${invalid}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
  rangeKeyTooLarge: `${invalid}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
  itemTooLarge: 'Item size has exceeded the maximum allowed size',
  // DynamoDB Local's text for ItemCollectionSizeLimitExceededException (no AWS capture; docs/compatibility.md).
  collectionSizeExceeded: 'Collection size exceeded',
  indexKeyTypeMismatch: (name: string, expected: string, actual: string, index: string) =>
    `${invalid}Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index}`,
  emptyIndexKey: (index: string, name: string, kind: 'string' | 'binary') =>
    `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index}, IndexKey: ${name}`,
  updateIndexKeyType: 'The update expression attempted to update the secondary index key to unsupported type',
  noSuchIndex: (name: string) => `The table does not have the specified index: ${name}`,
  backfillingIndex: (name: string) => `Cannot read from backfilling global secondary index: ${name}`,
  indexAlreadyExists: 'Attempting to create an index which already exists',
  notAGlobalIndex: (action: 'delete' | 'update', name: string) => `Cannot ${action} an index that is not a GlobalSecondaryIndex: ${name}`,
  oneUpdatePerIndex: (name: string) => `${invalid}Only one global secondary index update per index is allowed simultaneously. Index: ${name}`,
  oneActionPerIndexUpdate: `${invalid}Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object`,
  indexUpdateWithoutAction: `${invalid}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
  indexDefinitionsMissing: (name: string) => `${invalid}AttributeDefinitions is not specified for index: ${name}`,
  onlineIndexLimit: 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
  consistentReadOnGsi: 'Consistent reads are not supported on global secondary indexes',
  allAttributesOnGsi: (index: string) => `${invalid}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index} because its projection type is not ALL`,
  returnValuesPutDelete: 'ReturnValues can only be ALL_OLD or NONE',
  duplicateAttributeName: (name: string) => `${invalid}Duplicate value in attribute name: ${name}`,
  // StratusDB's own text for parameters a later version serves (listed in docs/compatibility.md).
  notYetSupported: (parameter: string) => `${parameter} is not supported by this version of StratusDB yet`,

  // ---- expressions
  conditionalCheckFailed: 'The conditional request failed',
  mixedParameters: (legacy: readonly string[], expressions: readonly string[]) =>
    `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
  namesWithoutExpressions: 'ExpressionAttributeNames can only be specified when using expressions',
  valuesWithoutExpressions: (expressions: readonly string[]) =>
    `ExpressionAttributeValues can only be specified when using expressions: ${expressions.join(' and ')} ${expressions.length > 1 ? 'are' : 'is'} null`,
  emptyNames: 'ExpressionAttributeNames must not be empty',
  emptyValues: 'ExpressionAttributeValues must not be empty',
  invalidNameKey: (key: string) => `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`,
  invalidValueKey: (key: string) => `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`,
  invalidValue: (message: string, key: string) => `ExpressionAttributeValues contains invalid value: ${message} for key ${key}`,
  emptyNameValue: (key: string) => `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`,
  // A placeholder is at most 255 bytes; the names map states the size, the values map does not.
  nameKeyTooLong: (bytes: number) => `ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${bytes}`,
  valueKeyTooLong: 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;',
  namesTooLarge: 'ExpressionAttributeNames exceeds max size',
  valuesTooLarge: 'ExpressionAttributeValues exceeds max size',
  substitutionsTooLarge: 'Combined size of ExpressionAttributeNames and ExpressionAttributeValues exceeds max size',
  emptyExpression: 'The expression can not be empty;',
  // Condition and filter expressions state their size; projection, update and key conditions do not.
  expressionTooLarge: (bytes?: number) => `Expression size has exceeded the maximum allowed size;${bytes === undefined ? '' : ` expression size: ${bytes}`}`,
  invalidExpression: (parameter: string, message: string) => `Invalid ${parameter}: ${message}`,
  missingUpdateAttribute: 'The provided expression refers to an attribute that does not exist in the item',
  invalidUpdatePath: 'The document path provided in the update expression is invalid for update',
  updateOperandType: 'An operand in the update expression has an incorrect data type',
  updateKeyAttribute: (name: string) => `${invalid}Cannot update attribute ${name}. This attribute is part of the key`,
  updatedItemTooLarge: 'Item size to update has exceeded the maximum allowed size',
  deleteWithoutValueOnly: `${invalid}Only DELETE action is allowed when no attribute value is specified`,
  deleteValueType: (type: string) => `${invalid}DELETE action with value is not supported for the type ${type}`,
  addValueType: (type: string) => `${invalid}ADD action is not supported for the type ${type}`,
  legacyValueAndList: (name: string) => `${invalid}Value and AttributeValueList cannot be used together for Attribute: ${name}`,
  legacyExistsAndOperator: (name: string) => `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`,
  legacyOperatorNeedsValue: (op: string, name: string) => `${invalid}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`,
  legacyArgumentCount: (op: string) => `${invalid}Invalid number of argument(s) for the ${op} ComparisonOperator`,
  legacySameType: `${invalid}AttributeValues inside AttributeValueList must be of same type`,
  legacyBetweenBounds: 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
  legacyListWithoutOperator: (name: string) => `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`,
  legacyValueRequired: (exists: string, name: string) => `${invalid}Value must be provided when Exists is ${exists} for Attribute: ${name}`,
  legacyValueForbidden: (name: string) => `${invalid}Value cannot be used when Exists is false for Attribute: ${name}`,
  legacyOperatorType: (op: string, type: string) => `${invalid}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`,
  notIndexable: 'Attempted conditional constraint is not an indexable operation',
  unusedNames: (keys: readonly string[]) => `Value provided in ExpressionAttributeNames unused in expressions: keys: {${keys.join(', ')}}`,
  unusedValues: (keys: readonly string[]) => `Value provided in ExpressionAttributeValues unused in expressions: keys: {${keys.join(', ')}}`,

  // ---- Query and Scan
  projectionWithSelect: (parameter: string, what: string) => `Cannot specify the ${parameter} when choosing to get ${what}`,
  allProjectedWithoutIndex: 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
  // Not verified against AWS (see docs/compatibility.md).
  specificWithoutProjection: 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES.',
  keyConditionRequired: 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
  keyConditionCount: 'Conditions can be of length 1 or 2 only',
  missedKeyElement: (name: string) => `Query condition missed key schema element: ${name}`,
  keyConditionNotSupported: 'Query key condition not supported',
  rangeKeyGap: (missing: readonly string[], present: string) =>
    `RANGE key attributes ${missing.join(', ')} must have equality conditions specified in the query because a condition is present on key attribute ${present}`,
  conditionTypeMismatch: `${invalid}Condition parameter type does not match schema type`,
  invalidStartKey: (detail?: string) => (detail === undefined ? 'The provided starting key is invalid' : `The provided starting key is invalid: ${detail}`),
  startKeyOutsideQuery: 'The provided starting key is outside query boundaries based on provided conditions',
  startKeyRangeMismatch: 'The provided starting key does not match the range key predicate',
  startKeySingleRow: 'The query can return at most one row and cannot be restarted',
  filterOnKey: (parameter: string, name: string) => `${parameter} can only contain non-primary key attributes: Primary key attribute: ${name}`,
  segmentWithoutTotal: 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
  totalWithoutSegment: 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
  segmentTooLarge: (segment: number, total: number) =>
    `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
  startKeyWrongSegment: (total: number, segment: number) =>
    `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`,

  duplicateKeys: 'Provided list of item keys contains duplicates',
  tooManyBatchGetKeys: 'Too many items requested for the BatchGetItem call',
  // Not verified against AWS (see docs/compatibility.md).
  tooManyBatchWrites: 'Too many items requested for the BatchWriteItem call',

  // ---- tables
  resourceNotFound: 'Requested resource not found',
  transactionCanceled: (codes: readonly string[]) => `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
  transactionDuplicateItem: 'Transaction request cannot include multiple operations on one item',
  transactionConflict: 'Transaction is ongoing for the item',
  transactionInProgress: 'Transaction from previous request is still in progress',
  // Not captured from AWS (docs/compatibility.md).
  idempotentParameterMismatch: 'The request uses the same client token as a previous, but non-identical request.',
  transactItemOneAction: 'TransactItems can only contain one of Check, Put, Update or Delete',
  /** DynamoDB Local's text (it does not name ConditionCheck). */
  transactItemNoAction: 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request',
  /** DynamoDB's documented rule, in its documentation's words; the exception's own text is not recorded (docs/compatibility.md). */
  transactionTooLarge: 'The aggregate size of the items in the transaction cannot exceed 4 MB',
  // ---- point-in-time recovery. "Table not found: X" is AWS's (quoted in public bug reports); the
  // others are the API reference's descriptions or peers' texts, not recorded (docs/compatibility.md).
  backupTableNotFound: (name: string) => `Table not found: ${name}`,
  /** "Backups are being enabled for the table" is AWS's (quoted in public bug reports); the rest is not recorded. */
  backupsBeingEnabled: (name: string) => `Backups are being enabled for the table: ${name}. Please retry later`,
  pitrUnavailable: (name: string) => `Point in time recovery is not enabled for table '${name}'`,
  invalidRestoreTime: 'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime',
  restoreTargetInUse: (name: string) => `Table is being created or deleted: ${name}`,
  // Recorded from AWS by a public catalogue of its messages (ack-api-quirks, 2026): the "Invalid Request: "
  // texts of backups, restores, exports and imports below. Where a text was recorded without its prefix
  // (the source rule), the prefix is the catalogue's for that family.
  restoreSource: 'Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName',
  restoreTime: 'Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both',
  recoveryPeriodWhenDisabling: 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.',
  systemBackupDelete: (arn: string, expiry: string) => `Invalid Request: User is not allowed to delete the system backup with arn ${arn}. It will automatically expire on ${expiry}`,
  backupTimeRange: `${invalid}Time range lower bound must be less than or equal to upper bound`,
  backupStartOtherRegion: 'Invalid Request: The supplied ExclusiveStartBackupArn does not match the region',
  restoreIndexNotInSource: (name: string) => `Invalid Request: Index ${name} does not match a secondary index that existed in the source table and cannot be created during the restore operation`,
  restoreThroughputOnDemand: 'Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST',
  restoreThroughputNotProvisioned: 'Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED',
  restoreThroughputMissing: 'Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED',
  restoreIndexThroughputMissing: (name: string) => `Invalid Request: Must specify provisioned throughput for index ${name}`,
  restoreOnDemandNotOnDemand: 'Invalid Request: Cannot override MaxReadRequestUnits for OnDemandThroughput unless BillingModeOverride is PAY_PER_REQUEST',
  /** AWS's (the same catalogue); restores from backups and to points in time count alike, as AWS documents. */
  restoreLimit: (limit: number) => `Subscriber limit exceeded: Only ${limit} restore operations can be done simultaneously`,
  backupNotFound: (arn: string) => `Backup not found: ${arn}`,
  invalidExportTime: 'ExportTime must be within the table\'s point in time recovery window',
  exportNotFound: (arn: string) => `Export not found: ${arn}`,
  incrementalExportTime: 'ExportTime cannot be specified for an INCREMENTAL_EXPORT; use IncrementalExportSpecification',
  incrementalFromMissing: 'Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification',
  importFormatOptions: (format: string) => `Invalid Request: Unsupported InputFormatOptions for the given input format: ${format}.`,
  invalidNextToken: (token: string) => `Invalid Request: Provided nextToken is invalid: ${token}`,
  incrementalPeriod: 'The incremental export period must be at least 15 minutes and at most 24 hours',
  s3PrefixOutside: 'S3Prefix leads out of the bucket: StratusDB stores exports under --s3-dir and refuses such a prefix',
  backupInUse: (arn: string) => `Backup is being created: ${arn}`,
  // ---- ImportTable. The item-validation failure is AWS's documented text; the others are not recorded
  // (docs/compatibility.md).
  importNotFound: (arn: string) => `Import not found: ${arn}`,
  importConflict: (token: string) => `An import with ClientToken ${token} was requested with different parameters`,
  importItemsInvalid: 'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.',
  importNoBucket: (bucket: string) => `The specified bucket does not exist: ${bucket}`,
  importPrefixOutside: 'S3KeyPrefix leads out of the bucket: StratusDB reads imports under --s3-dir and refuses such a prefix',
  importTooManyObjects: (limit: number) => `The import source has more than ${limit} objects`,
  /** Shaped as AWS's restore limit text (not recorded for imports). */
  importLimit: (limit: number) => `Subscriber limit exceeded: Only ${limit} import operations can be done simultaneously`,
  // ---- global tables (ReplicaUpdates). Recorded from AWS by the public catalogue named above (ack-api-quirks, 2026).
  replicaExists: (name: string) => `Failed to create a the new replica of table with name: ‘${name}’ because one or more replicas already existed as tables.`,
  replicaNotMember: (regions: readonly string[]) => `Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [${regions.join(', ')}].`,
  replicaLocalRegion: 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
  replicaNoAction: 'There are no actions specified in the Replica Update Action of the request.',
  replicaActionKinds: 'Update table operation with more than one type of replica actions not allowed.',
  replicaActionsMany: 'Update table operation with more than one create or delete replica actions not allowed',
  replicaOnlyOperation: `${invalid}Replica modification must be the only operation in the request`,
  replicaStreamDisable: `${invalid}Disabling Stream is not allowed for a Global Table replica.`,
  replicaBeingAdded: (name: string, region: string) => `Create/Update/Delete of replica is not allowed while the replica is being added to table with name: ‘${name}’ in region: ‘${region}’.`,
  resourceInUse: 'The resource which you are attempting to change is in use.',
  // ---- multi-region strong consistency. Recorded from AWS by the same catalogue:
  strongReplicaCount: 'Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.',
  strongWitnessNeedsStrong: 'MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.',
  strongSameRegion: 'Cannot target multiple regions with the same action',
  strongWitnessLocal: 'Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG.',
  strongWitnessMax: (value: string) => `1 validation error detected: Value '${value}' at 'globalTableWitnessUpdates' failed to satisfy constraint: Member must have length less than or equal to 1`,
  strongOnlyReplicaChange: 'Requests that modify replicas or witnesses must not also modify other fields',
  strongExisting: 'MultiRegionConsistency parameter is unsupported on existing global table',
  strongAddReplica: 'Cannot add replicas to a global table with strong MultiRegionConsistency',
  strongOnlyCreate: 'Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.',
  strongDeleteWitnesses: 'Update table delete operation does not include all witnesses.',
  strongWitnessNotMember: (regions: readonly string[]) => `Update global table operation failed because one or more witnesses were not part of the global table. Please retry the request without these witnesses: [${regions.join(', ')}].`,
  strongDeleteOne: 'Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG.',
  // ---- throttling: the texts of DynamoDB's API reference (TransactionCanceledException's reasons).
  tableThroughputExceeded: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  /** On-demand throttling, as AWS answers it (recorded in users' logs; its use for a maximum throughput is not recorded). */
  onDemandThroughputExceeded: 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  /** An on-demand table past the account's per-table quota (recorded in users' logs). */
  accountThroughputExceeded: 'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase',
  indexThroughputExceeded: 'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.',
  // ---- Application Auto Scaling. Its texts as its SDKs' users quote them: not found, a range the wrong way round, the target value's bounds.
  autoScalingNoTarget: (ns: string, id: string, dim: string) => `No scalable target found for service namespace: ${ns}, resource ID: ${id}, scalable dimension: ${dim}`,
  autoScalingNoPolicy: (ns: string, id: string, dim: string, name: string) => `No scaling policy found for service namespace: ${ns}, resource ID: ${id}, scalable dimension: ${dim}, policy name: ${name}`,
  autoScalingRange: 'Maximum capacity cannot be less than minimum capacity',
  autoScalingTargetValue: (metric: string, value: number) => `For predefined metric type ${metric}, target value must be between '10.0' and '90.0', but was '${value.toFixed(1)}'.`,
  /** StratusDB's own (docs/compatibility.md). */
  autoScalingUnsupported: 'Unsupported service namespace, resource type or scalable dimension',
  autoScalingNoResource: (id: string) => `StratusDB has no table or global secondary index for the resource ID ${id}`,
  autoScalingRangeRequired: 'MinCapacity and MaxCapacity are required to register a new scalable target',
  autoScalingMinimum: 'Minimum capacity for DynamoDB must be at least 1',
  autoScalingPolicyType: 'StratusDB serves target tracking scaling policies (PolicyType TargetTrackingScaling with TargetTrackingScalingPolicyConfiguration) only',
  autoScalingMetric: (dim: string, metric: string) => `A target tracking policy for ${dim} tracks the predefined metric ${metric} (StratusDB takes no other metric)`,
  autoScalingBadToken: 'The NextToken is not one StratusDB gave',
  autoScalingNoArn: (arn: string) => `StratusDB has no scalable target ${arn}`,
  autoScalingTooManyTags: 'A scalable target takes at most 50 tags',
  // ---- DescribeTableReplicaAutoScaling / UpdateTableReplicaAutoScaling (recorded from AWS by the same catalogue).
  replicaAutoScalingNotGlobal: (name: string) => `Global table with name: '${name}' does not exist.`,
  replicaAutoScalingOnDemand: (name: string, regions: readonly string[], parameter: string) =>
    `Failed to update global table with name \u2018${name}\u2018. Replicas ${regions.map((r) => `'${r.toUpperCase()}'`).join(', ')} BillingMode is PayPerRequest. You must convert table's BillingMode to PROVISIONED to set parameters: '${parameter}'.`,
  replicaAutoScalingRequired: (name: string, missing: readonly string[]) =>
    `Failed to update settings for global table with name: \u2018${name}\u2019: Parameters ${missing.map((m) => `'${m}'`).join(', ')} are required unless auto scaling is being disabled.`,
  /** The API reference's description of the exception (the text AWS sends is not recorded). */
  replicatedWriteConflict: 'The request was rejected because one or more items in the request are being modified by a request in another Region.',
  /** StratusDB's own (docs/compatibility.md): AWS's texts for these refusals are not recorded. */
  strongNotEmpty: `${invalid}A table must be empty to become a global table with MultiRegionConsistency set to STRONG.`,
  strongLocalIndexes: `${invalid}A table with local secondary indexes cannot become a global table with MultiRegionConsistency set to STRONG.`,
  strongTtl: `${invalid}Time to Live is not supported for global tables with MultiRegionConsistency set to STRONG.`,
  strongTransactions: `${invalid}Transactions are not supported for global tables with MultiRegionConsistency set to STRONG.`,
  // The 2017.11.29 API, as AWS answers it since it stopped making such global tables (same catalogue).
  legacyGlobalTables: `${invalid}DynamoDB global tables version 2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).`,
  legacyGlobalTableNotFound: (name: string) => `Global table with name: '${name}' does not exist.`,
  legacyGlobalTableNotFoundDescribe: (name: string) => `Global table not found: Global table with name: '${name}' does not exist.`,
  legacyReplicaUpdatesEmpty: 'One or more parameter values were invalid',
  /** DeleteTable of a replica still being made (recorded from AWS, same catalogue). */
  replicaBeingUsed: (name: string) => `Attempt to change a resource which is still in use: Table: ${name} is being used.`,
  /** DynamoDB's documented text for HTTP 503. */
  regionUnavailable: 'The service is currently unavailable or busy.',
  /** StratusDB's: every region of --shared-db is one namespace, so a table cannot have replicas there. */
  replicasSharedDb: 'Global tables need a namespace per region: StratusDB was started with --shared-db',
  tableNotFound: (name: string) => `Requested resource not found: Table: ${name} not found`,
  tableExists: (name: string) => `Table already exists: ${name}`,
  tableBeingCreated: (name: string) => `Attempt to change a resource which is still in use: Table is being created: ${name}`,
  tableBeingUpdated: (name: string) => `Attempt to change a resource which is still in use: Table is being updated: ${name}`,
  tableBeingDeleted: (name: string) => `Attempt to change a resource which is still in use: Table is being deleted: ${name}`,
  deletionProtected: 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
  bothKeysSameName: 'Both the Hash Key and the Range Key element in the KeySchema have the same name',
  firstNotHash: 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
  secondNotRange: 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
  // Multi-attribute GSI keys (recorded from AWS in 2026).
  hashAfterRange: `${invalid}All HASH key attributes must precede RANGE key attributes in the KeySchema`,
  tooManyKeyAttributes: (keyType: 'HASH' | 'RANGE') => `${invalid}The KeySchema exceeds the maximum allowed number of ${keyType} key attributes`,
  repeatedKeyAttribute: 'The KeySchema contains multiple key attributes with the same name',
  keyWithoutDefinition: 'Invalid KeySchema: Some index key attribute have no definition',
  keysNotDefined: (keys: readonly string[], defs: readonly string[]) =>
    `${invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defs.join(', ')}]`,
  definitionCountMismatch: `${invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
  throughputRequired: `${invalid}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
  throughputForbidden: `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
  throughputOutOfBounds: (value: number, field: string) => `Given value ${value} for ${field} is out of bounds`,
  throughputRequiredUpdate: `${invalid}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`,
  emptyIndexList: (kind: string) => `${invalid}List of ${kind} is empty`,
  lsiNeedsRangeKey: `${invalid}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
  indexNeedsRangeKey: (index: string) => `${invalid}Index KeySchema does not have a range key for index: ${index}`,
  lsiHashMismatch: (index: string, indexHash: string, tableHash: string) =>
    `${invalid}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
  unknownProjection: `${invalid}Unknown ProjectionType: null`,
  nonKeyAttributesWithoutInclude: (type: string) => `${invalid}ProjectionType is ${type}, but NonKeyAttributes is specified`,
  duplicateIndexName: (name: string) => `${invalid}Duplicate index name: ${name}`,
  tooManyLsi: `${invalid}Number of LocalSecondaryIndexes exceeds per-table limit of 5`,
  tooManyGsi: `${invalid}GlobalSecondaryIndex count exceeds the per-table limit of 20`,
  gsiThroughputOnDemand: (index: string) =>
    `${invalid}ProvisionedThroughput should not be specified for index: ${index} when BillingMode is PAY_PER_REQUEST`,
  gsiThroughputMissing: (index: string) => `${invalid}ProvisionedThroughput is not specified for index: ${index}`,
  includeWithoutNonKeyAttributes: `${invalid}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`,
  duplicateNonKeyAttribute: (name: string) => `${invalid}Duplicate element in NonKeyAttributes: ${name}`,
  duplicateAttributeDefinition: (name: string) => `Attribute Name is duplicated: ${name}`,
  unusedDefinitions: (unused: readonly string[], used: readonly string[]) =>
    `${invalid}Some AttributeDefinitions are not used. AttributeDefinitions: [${unused.join(', ')}], keys used: [${used.join(', ')}]`,
  // DynamoDB names the stream's view type "UpdateViewType" in these texts.
  createStreamViewTypeRequired: `${invalid}Table is being created with a stream enabled, UpdateViewType is required`,
  createStreamViewTypeForbidden: `${invalid}Table is being created with a stream disabled, UpdateViewType should not be specified`,
  updateStreamViewTypeRequired: `${invalid}If stream is being enabled then UpdateViewType is required`,
  updateStreamViewTypeForbidden: `${invalid}If stream is being disabled, then UpdateViewType must not be specified`,
  invalidTableClass: 'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
  sseTypeWithoutEnabled: `${invalid}SSEType can not be specified if Enabled is false`,
  sseKeyWithoutEnabled: `${invalid}KMSMasterKeyId can not be specified if Enabled is false`,
  sseKeyNeedsKms: `${invalid}SSEType KMS is required if KMSMasterKeyId is specified`,
  sseAes256: `${invalid}SSEType AES256 is not supported`,
  onlyOperation: (what: 'Server-Side Encryption modification' | 'TableClass modification' | 'DeletionProtection modification' | 'WarmThroughput') =>
    `${invalid}${what} must be the only operation in the request`,
  onDemandOnProvisioned: (member: string) => `${invalid}${member} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`,
  onDemandOutOfRange: (member: string) => `${invalid}Requested ${member} for OnDemandThroughput for table is outside of valid range`,
  warmBelowOnDemandInitial: (member: string) =>
    `${invalid}Requested ${member} for WarmThroughput for table is lower than initial throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial`,
  warmBelowProvisioned: (member: string, capacity: string) => `${invalid}Requested ${member} for WarmThroughput for table is lower than ${capacity} of ProvisionedThroughput`,
  warmDecrease: (member: string) => `${invalid}Requested ${member} for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported`,
  onDemandOnlyWithBilling: `${invalid}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request`,
  updateTableNothing:
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
  throughputUnchanged: (current: { r: number; w: number }, requested: { r: number; w: number }) =>
    `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${current.r}. Requested ReadCapacityUnits: ${requested.r}. Current WriteCapacityUnits provisioned for the table: ${current.w}. Requested WriteCapacityUnits: ${requested.w}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
  // Not verified against AWS (see docs/compatibility.md).
  decreaseLimit: (decreases: number) =>
    `Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: ${decreases}.`,
  streamAlreadyEnabled: (table: string) => `Table already has an enabled stream: TableName: ${table}`,
  streamAlreadyDisabled: (table: string) => `Table has no stream to disable: TableName: ${table}`,

  // ---- streams (DynamoDBStreams_20120810)
  // Recorded against AWS by a client library's tests.
  streamNotFound: (arn: string) => `Requested resource not found: Stream: ${arn} not found`,
  // From AWS's own Kinesis adapter for DynamoDB Streams, which matches on it.
  shardNotFound: 'Requested resource not found: Shard does not exist',
  // The texts the Streams API reference documents for these exceptions.
  iteratorExpired: 'The provided iterator exceeds the maximum age allowed.',
  dataTrimmed: 'The data you are trying to access has been trimmed.',
  // Not verified against AWS (see docs/compatibility.md).
  invalidShardIterator: 'Invalid ShardIterator',
  invalidStreamArn: 'Invalid StreamArn',
  sequenceNumberRequired: (type: string) => `${invalid}SequenceNumber is required for ShardIteratorType ${type}`,
  sequenceNumberForbidden: (type: string) => `${invalid}SequenceNumber must not be specified for ShardIteratorType ${type}`,
  invalidSequenceNumber: (sequence: string, shard: string) => `${invalid}Invalid SequenceNumber ${sequence} for shard ${shard}`,

  // ---- a table's ARN given as its TableName (AWS 2026 recordings give the texts' openings; see docs/compatibility.md)
  arnFormat:
    "1 validation error detected: Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+",
  arnPartition: (arn: string) => `1 validation error detected: Invalid AWS partition in '${arn}'`,
  arnResourceType: (arn: string) => `1 validation error detected: Invalid resource type in '${arn}'`,
  arnRegion: (arn: string) => `1 validation error detected: Invalid AWS region in '${arn}'`,
  /** A resource of another account, as AWS answers it (recorded 2026). */
  accessIsDenied: 'Access is denied',

  // ---- tags
  invalidTableArn: 'Invalid TableArn',
  /** StratusDB's own (AWS's texts for these limits are not recorded); "Subscriber limit exceeded:" as AWS begins its limit texts. */
  tableCapacityLimit: (kind: 'read' | 'write', max: number) => `Subscriber limit exceeded: A table or global secondary index may provision at most ${max} ${kind} capacity units (DescribeLimits' TableMax${kind === 'read' ? 'Read' : 'Write'}CapacityUnits)`,
  accountCapacityLimit: (kind: 'read' | 'write', max: number) => `Subscriber limit exceeded: The tables and global secondary indexes of this Region may provision at most ${max} ${kind} capacity units together (DescribeLimits' AccountMax${kind === 'read' ? 'Read' : 'Write'}CapacityUnits)`,
  // ---- Contributor Insights, as AWS answers them (recorded from AWS).
  insightsIndexNotFound: (index: string, table: string) => `Requested resource not found: Index: ${index} not found for table: ${table}`,
  insightsNotActive: (which: 'TableStatus' | 'IndexStatus') => `Table or Index is not in a valid state to update Key Access Insights: ${which} must be ACTIVE to enable ContributorInsights.`,
  insightsRuleLimit: 'Amazon CloudWatch Contributor Insights rule limit reached. Please disable Contributor Insights for other tables/indexes OR disable other CloudWatch Contributor Insights rules before retrying.',
  /** StratusDB's own. */
  insightsNoRule: (name: string) => `StratusDB has no Contributor Insights rule named ${name} in this region`,
  insightsBadToken: 'The NextToken is not one StratusDB gave',
  // ---- CloudWatch. Recorded in users' logs: the equal times, the datapoint limit; the others after
  // CloudWatch's long-standing wording (docs/compatibility.md lists them as not confirmed).
  cloudWatchRequired: (name: string) => `The parameter ${name} is required.`,
  cloudWatchTimesEqual: 'The parameter StartTime must not equal parameter EndTime.',
  cloudWatchTimesOrder: 'The parameter StartTime must be less than the parameter EndTime.',
  cloudWatchPeriod: 'The parameter Period must be a multiple of 60.',
  cloudWatchTooManyDatapoints: (n: number) => `You have requested up to ${n} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
  cloudWatchStatistics: 'Must specify either Statistics or ExtendedStatistics.',
  cloudWatchInvalidValue: (value: string, name: string) => `The value ${value} for parameter ${name} is invalid.`,
  cloudWatchTooMany: (name: string, max: number) => `The collection ${name} must not have a size greater than ${max}.`,
  cloudWatchDuplicateIds: 'The values for parameter Id in MetricDataQueries are not unique.',
  /** StratusDB's own. */
  cloudWatchExpression: 'StratusDB answers MetricStat queries only: metric math and Metrics Insights expressions are not evaluated',
  cloudWatchBadToken: 'The NextToken is not one StratusDB gave',
  invalidResourceArn: (arn: string) => `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`,
  arnPrefix: (text: string) => `${invalid}ARNs must start with 'arn:': ${text}`,
  notDynamoDbResourceArn: (arn: string) => `${invalid}Provided Arn is not a DynamoDB resource arn: ${arn}`,
  onlyTableOrStreamArn: (arn: string) => `${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`,
  notAuthorized: (account: string, action: string, arn: string) =>
    `User: arn:aws:iam::${account}:root is not authorized to perform: dynamodb:${action} on resource: ${arn}`,
  resourceArnNotFound: (arn: string) => `Requested resource not found: ResourceArn: ${arn} not found`,
  invalidTagKey: (key: string | undefined) => `The Tag Key provided is invalid, Key: ${key ?? 'null'}`,
  invalidTagValue: (value: string | undefined) => `The Tag Value provided is invalid, Value: ${value ?? 'null'}`,
  atLeastOneTag: 'Atleast one Tag needs to be provided as Input.',
  atLeastOneTagKey: 'Atleast one Tag Key needs to be provided as Input.',
  tooManyTags: 'Number of Tags exceed the current limit for the provided ResourceArn',
  reservedTagKey: (key: string) => `Tag Key cannot be prefixed with aws:, Key: ${key}`,
  duplicateTagKey: (key: string) => `Duplicate Tag Keys provided as input: Duplicate Tag Key found ${key}`,
} as const;
