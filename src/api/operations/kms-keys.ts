// KMS's DescribeKey on the same endpoint (X-Amz-Target TrentService.DescribeKey, JSON 1.1), for the
// keys DynamoDB's encryption names: the AWS managed key of DynamoDB (`alias/aws/dynamodb`, whose ARN
// DescribeTable shows as `…:key/aws/dynamodb`) and the customer keys tables here were given
// (SSESpecification's KMSMasterKeyId). Terraform's AWS provider reads it for encrypted tables and
// replicas. StratusDB keeps no key material: DynamoDB's encryption at rest is the store's.
import { KmsError } from '../../errors/errors.js';
import type { TableRecord } from '../../model/table.js';
import { operation, type RequestContext } from '../operation.js';
import { members, str } from '../validate/shape.js';

const managedKeyId = 'aws/dynamodb';
const managedAlias = 'alias/aws/dynamodb';

export const kmsTexts = {
  noKey: (arn: string) => `Key '${arn}' does not exist`,
  noAlias: (arn: string) => `Alias ${arn} is not found.`,
};

/** The key ids and ARNs the tables of the request's region were encrypted with by a customer key. */
function customerKeys(tables: readonly TableRecord[], region: string): Set<string> {
  const out = new Set<string>();
  for (const table of tables) {
    const key = table.region === region ? table.SSESpecification?.KMSMasterKeyId : undefined;
    if (key !== undefined) out.add(key);
  }
  return out;
}

function metadata(ctx: RequestContext, keyId: string, managed: boolean): Record<string, unknown> {
  return {
    AWSAccountId: ctx.accountId, KeyId: keyId, Arn: `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`, CreationDate: 0, Enabled: true,
    Description: managed ? 'Default key that protects my DynamoDB data when no other key is defined' : '', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled',
    Origin: 'AWS_KMS', KeyManager: managed ? 'AWS' : 'CUSTOMER', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
  };
}

export const describeKey = operation({
  name: 'DescribeKey',
  target: 'TrentService',
  kind: 'control',
  members: members([['KeyId', str({ notNull: true, lengthMin: 1, lengthMax: 2048 })], ['GrantTokens', str()]]),
  permissions: (input, ctx) => [{ action: 'kms:DescribeKey', resource: input.KeyId.startsWith('arn:') ? input.KeyId : `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${input.KeyId}` }],
  async execute({ engine }, ctx, input) {
    const prefix = `arn:aws:kms:${ctx.region}:${ctx.accountId}:`;
    const name = input.KeyId.startsWith(prefix) ? input.KeyId.slice(prefix.length) : input.KeyId;
    if (name === managedAlias || name === `key/${managedKeyId}` || name === managedKeyId) return { body: { KeyMetadata: metadata(ctx, managedKeyId, true) } };
    if (name.startsWith('alias/')) throw new KmsError('NotFoundException', kmsTexts.noAlias(`${prefix}${name}`));
    const keyId = name.startsWith('key/') ? name.slice(4) : name;
    const known = customerKeys(engine.tables.all(), ctx.region);
    if (!known.has(input.KeyId) && !known.has(keyId) && !known.has(`${prefix}key/${keyId}`)) throw new KmsError('NotFoundException', kmsTexts.noKey(`${prefix}key/${keyId}`));
    return { body: { KeyMetadata: metadata(ctx, keyId, false) } };
  },
});
