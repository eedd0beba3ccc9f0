// DynamoDB's exceptions, named exactly as AWS names them, with the namespace AWS puts in __type.
// Anything thrown that is not a DynamoDbError is a bug and is answered as InternalServerError.

const dynamodbNamespace = 'com.amazonaws.dynamodb.v20120810';
const coralService = 'com.amazon.coral.service';
const coralValidate = 'com.amazon.coral.validate';

export class DynamoDbError extends Error {
  constructor(
    readonly namespace: string,
    override readonly name: string,
    message: string,
    readonly statusCode = 400,
    /** Extra members of the error body (e.g. Item for ConditionalCheckFailedException). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
  get type(): string {
    return `${this.namespace}#${this.name}`;
  }
  /** The body's key for the message: most exceptions say `message`, a few of Coral's front layer `Message`. */
  get messageKey(): 'message' | 'Message' {
    return 'message';
  }
  /** The error's code and fault as the query protocol names them (CloudWatch's x-amzn-query-error header). */
  get queryError(): { readonly code: string; readonly fault: 'Sender' | 'Receiver' } {
    return { code: this.name, fault: this.statusCode >= 500 ? 'Receiver' : 'Sender' };
  }
  /** The HTTP status of the error in the query protocol (AWS's query services answer signature and access errors with 403). */
  get queryStatus(): number {
    return this.statusCode;
  }
}

/** KMS's exceptions (DescribeKey on the same endpoint): its model's namespace, `message`. */
export class KmsError extends DynamoDbError {
  constructor(name: 'NotFoundException', message: string) {
    super('com.amazonaws.kms', name, message);
  }
}

/** Application Auto Scaling's exceptions (served on the same endpoint): `Message`, its model's namespace. */
const autoScalingNamespace = 'com.amazonaws.applicationautoscaling';
export class AutoScalingError extends DynamoDbError {
  constructor(name: 'ValidationException' | 'ObjectNotFoundException' | 'InvalidNextTokenException' | 'ResourceNotFoundException' | 'TooManyTagsException', message: string) {
    super(autoScalingNamespace, name, message);
  }
  override get messageKey(): 'Message' {
    return 'Message';
  }
}

/** CloudWatch's exceptions (served on the same endpoint): its model's namespace, and the query protocol's codes. */
const cloudWatchNamespace = 'com.amazonaws.cloudwatch';
const cloudWatchCodes = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  InvalidNextToken: 'InvalidNextToken',
  ValidationError: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFoundException',
} as const;
export class CloudWatchError extends DynamoDbError {
  constructor(name: keyof typeof cloudWatchCodes, message: string) {
    super(cloudWatchNamespace, name, message, name === 'ResourceNotFoundException' ? 404 : 400);
  }
  override get queryError(): { readonly code: string; readonly fault: 'Sender' } {
    return { code: cloudWatchCodes[this.name as keyof typeof cloudWatchCodes], fault: 'Sender' };
  }
}

export class ValidationException extends DynamoDbError {
  constructor(message: string) {
    super(coralValidate, 'ValidationException', message);
  }
}
export class SerializationException extends DynamoDbError {
  constructor(message: string) {
    super(coralService, 'SerializationException', message);
  }
  override get messageKey(): 'Message' {
    return 'Message'; // as AWS answers it: {"__type":"com.amazon.coral.service#SerializationException","Message":…}
  }
}
export class UnknownOperationException extends DynamoDbError {
  constructor() {
    super(coralService, 'UnknownOperationException', '');
  }
}
export class MissingAuthenticationTokenException extends DynamoDbError {
  constructor(message: string) {
    super(coralService, 'MissingAuthenticationTokenException', message);
  }
}
export class IncompleteSignatureException extends DynamoDbError {
  constructor(message: string) {
    super(coralService, 'IncompleteSignatureException', message);
  }
}
/**
 * A refusal of the front layer (a signature, a key, a token, a permission): DynamoDB's JSON answers
 * it with 400, the query protocol's services (IAM, STS, CloudWatch's older clients) with 403 and a
 * code of their own.
 */
class FrontLayerRefusal extends DynamoDbError {
  constructor(name: string, message: string, private readonly queryCode: string) {
    super(coralService, name, message);
  }
  override get queryError(): { readonly code: string; readonly fault: 'Sender' } {
    return { code: this.queryCode, fault: 'Sender' };
  }
  override get queryStatus(): number {
    return 403;
  }
}
export class InvalidSignatureException extends FrontLayerRefusal {
  constructor(message: string) {
    super('InvalidSignatureException', message, 'SignatureDoesNotMatch');
  }
}
export class AccessDeniedException extends FrontLayerRefusal {
  constructor(message: string) {
    super('AccessDeniedException', message, 'AccessDenied');
  }
  override get messageKey(): 'Message' {
    return 'Message'; // as AWS answers it: {"__type":"com.amazon.coral.service#AccessDeniedException","Message":…}
  }
}
/** An access key no identity has (the query protocol's services call it InvalidClientTokenId). */
export class UnrecognizedClientException extends FrontLayerRefusal {
  constructor(message: string) {
    super('UnrecognizedClientException', message, 'InvalidClientTokenId');
  }
}
/** Temporary credentials past their expiry. */
export class ExpiredTokenException extends FrontLayerRefusal {
  constructor(message: string) {
    super('ExpiredTokenException', message, 'ExpiredToken');
  }
}

/**
 * IAM's and STS's exceptions (served on the same endpoint, in the query protocol): the code and
 * status their APIs answer.
 */
const iamStatus = {
  NoSuchEntity: 404, EntityAlreadyExists: 409, DeleteConflict: 409, LimitExceeded: 409, MalformedPolicyDocument: 400, InvalidInput: 400,
  ValidationError: 400, InvalidAction: 400, MissingParameter: 400, RegionDisabledException: 403, PackedPolicyTooLarge: 400,
  InvalidIdentityToken: 400, ExpiredTokenException: 400, IDPCommunicationError: 400,
} as const;
export class IamError extends DynamoDbError {
  constructor(name: keyof typeof iamStatus, message: string) {
    super('com.amazonaws.iam', name, message, iamStatus[name]);
  }
}
export class ResourceNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ResourceNotFoundException', message);
  }
}
export class PolicyNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'PolicyNotFoundException', message);
  }
}
export class ResourceInUseException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ResourceInUseException', message);
  }
}
export class LimitExceededException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'LimitExceededException', message);
  }
}
export class ConditionalCheckFailedException extends DynamoDbError {
  constructor(message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(dynamodbNamespace, 'ConditionalCheckFailedException', message, 400, extra);
  }
}
export class ItemCollectionSizeLimitExceededException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ItemCollectionSizeLimitExceededException', message);
  }
}
export class TransactionCanceledException extends DynamoDbError {
  constructor(message: string, reasons: readonly object[]) {
    super(dynamodbNamespace, 'TransactionCanceledException', message, 400, { CancellationReasons: reasons });
  }
}
export class TransactionConflictException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TransactionConflictException', message);
  }
}
export class ReplicatedWriteConflictException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ReplicatedWriteConflictException', message);
  }
}
export class ProvisionedThroughputExceededException extends DynamoDbError {
  constructor(message: string, reasons: readonly { readonly reason: string; readonly resource: string }[]) {
    super(dynamodbNamespace, 'ProvisionedThroughputExceededException', message, 400, { ThrottlingReasons: reasons });
  }
}
export class RequestLimitExceeded extends DynamoDbError {
  constructor(message: string, reasons: readonly { readonly reason: string; readonly resource: string }[]) {
    super(dynamodbNamespace, 'RequestLimitExceeded', message, 400, { ThrottlingReasons: reasons });
  }
}
export class ThrottlingException extends DynamoDbError {
  constructor(message: string, reasons: readonly { readonly reason: string; readonly resource: string }[]) {
    super(dynamodbNamespace, 'ThrottlingException', message, 400, { ThrottlingReasons: reasons });
  }
}
export class TransactionInProgressException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TransactionInProgressException', message);
  }
}
export class IdempotentParameterMismatchException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'IdempotentParameterMismatchException', message);
  }
}
export class DuplicateItemException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'DuplicateItemException', message);
  }
}
export class ExpiredIteratorException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ExpiredIteratorException', message);
  }
}
export class TrimmedDataAccessException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TrimmedDataAccessException', message);
  }
}
// Backups and point-in-time recovery.
export class TableNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TableNotFoundException', message);
  }
}
export class TableAlreadyExistsException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TableAlreadyExistsException', message);
  }
}
export class TableInUseException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'TableInUseException', message);
  }
}
export class PointInTimeRecoveryUnavailableException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'PointInTimeRecoveryUnavailableException', message);
  }
}
export class InvalidRestoreTimeException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'InvalidRestoreTimeException', message);
  }
}
export class BackupNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'BackupNotFoundException', message);
  }
}
export class BackupInUseException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'BackupInUseException', message);
  }
}
export class InvalidExportTimeException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'InvalidExportTimeException', message);
  }
}
export class ExportNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ExportNotFoundException', message);
  }
}
export class ContinuousBackupsUnavailableException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ContinuousBackupsUnavailableException', message);
  }
}
export class GlobalTableNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'GlobalTableNotFoundException', message);
  }
}
export class ImportNotFoundException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ImportNotFoundException', message);
  }
}
export class ImportConflictException extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ImportConflictException', message);
  }
}
export class InternalServerError extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'InternalServerError', message, 500);
  }
}
/** HTTP 503: the server is shutting down and runs no new request (SDKs retry it). */
export class ServiceUnavailable extends DynamoDbError {
  constructor(message: string) {
    super(dynamodbNamespace, 'ServiceUnavailable', message, 503);
  }
}
