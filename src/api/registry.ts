// Every operation the endpoint serves, found by its X-Amz-Target: DynamoDB's (DynamoDB_20120810.*),
// and on the same endpoint the Streams API's (DynamoDBStreams_20120810.*), Application Auto
// Scaling's (AnyScaleFrontendService.*), CloudWatch's metric reads (GraniteServiceVersion20100801.*),
// IAM's and STS's (the query protocol), KMS's DescribeKey (TrentService.*), and StratusDB's own
// deployment operations (StratusDB_20261207.*, for `stratusdb deploy`).
import type { OperationDefinition } from './operation.js';
import { batchExecuteStatement } from './operations/batch-execute-statement.js';
import { batchGetItem } from './operations/batch-get-item.js';
import { batchWriteItem } from './operations/batch-write-item.js';
import { createBackup, deleteBackup, describeBackup, listBackups } from './operations/backups.js';
import { describeContinuousBackups, updateContinuousBackups } from './operations/continuous-backups.js';
import { createTable } from './operations/create-table.js';
import { describeExport, exportTableToPointInTime, listExports } from './operations/exports.js';
import { deleteItem } from './operations/delete-item.js';
import { deleteTable } from './operations/delete-table.js';
import { describeEndpoints, describeLimits } from './operations/describe-limits.js';
import { describeStream } from './operations/describe-stream.js';
import { describeTable } from './operations/describe-table.js';
import { executeStatement } from './operations/execute-statement.js';
import { executeTransaction } from './operations/execute-transaction.js';
import { getItem } from './operations/get-item.js';
import { describeImport, importTable, listImports } from './operations/imports.js';
import { getRecords } from './operations/get-records.js';
import { getShardIterator } from './operations/get-shard-iterator.js';
import { listStreams } from './operations/list-streams.js';
import { listTables } from './operations/list-tables.js';
import { putItem } from './operations/put-item.js';
import { query } from './operations/query.js';
import { restoreTableFromBackup } from './operations/restore-table-from-backup.js';
import { restoreTableToPointInTime } from './operations/restore-table-to-point-in-time.js';
import { scan } from './operations/scan.js';
import { listTagsOfResource, tagResource, untagResource } from './operations/tags.js';
import { describeTimeToLive, updateTimeToLive } from './operations/time-to-live.js';
import { transactGetItems } from './operations/transact-get-items.js';
import { transactWriteItems } from './operations/transact-write-items.js';
import { updateItem } from './operations/update-item.js';
import { updateTable } from './operations/update-table.js';
import { describeTableReplicaAutoScaling, updateTableReplicaAutoScaling } from './operations/replica-auto-scaling.js';
import {
  deleteScalingPolicy, deregisterScalableTarget, describeScalableTargets, describeScalingActivities, describeScalingPolicies, listTagsForResource as listAutoScalingTags,
  putScalingPolicy, registerScalableTarget, tagResource as tagAutoScalingResource, untagResource as untagAutoScalingResource,
} from './operations/application-auto-scaling.js';
import { getMetricData, getMetricStatistics, listMetrics } from './operations/cloudwatch-metrics.js';
import { getInsightRuleReport } from './operations/cloudwatch-insights.js';
import { describeContributorInsights, listContributorInsights, updateContributorInsights } from './operations/contributor-insights.js';
import {
  addUserToGroup, createAccessKey, createGroup, createRole, createUser, deleteAccessKey, deleteGroup, deleteRole, deleteUser, getGroup, getRole, getUser, listAccessKeys,
  listGroups, listGroupsForUser, listRoles, listUsers, removeUserFromGroup, updateAccessKey,
} from './operations/iam-entities.js';
import { iamPolicyOperations } from './operations/iam-policies.js';
import { assumeRole, getCallerIdentity } from './operations/sts.js';
import { assumeRoleWithWebIdentity } from './operations/web-identity.js';
import { oidcProviderOperations } from './operations/oidc-providers.js';
import { describeKey } from './operations/kms-keys.js';
import { deploymentOperations } from './operations/deployments.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './operations/resource-policies.js';
import { createGlobalTable, describeGlobalTable, describeGlobalTableSettings, listGlobalTables, updateGlobalTable, updateGlobalTableSettings } from './operations/legacy-global-tables.js';

export const operations: readonly OperationDefinition[] = [
  batchExecuteStatement, batchGetItem, batchWriteItem, createTable, deleteItem, deleteTable, describeEndpoints, describeLimits,
  describeTable, describeTimeToLive, executeStatement, executeTransaction, getItem, listTables, listTagsOfResource, putItem, query,
  scan, tagResource, transactGetItems, transactWriteItems, untagResource, updateItem, updateTable, updateTimeToLive,
  describeContinuousBackups, updateContinuousBackups, restoreTableToPointInTime,
  createBackup, describeBackup, listBackups, deleteBackup, restoreTableFromBackup,
  exportTableToPointInTime, describeExport, listExports, importTable, describeImport, listImports,
  createGlobalTable, describeGlobalTable, updateGlobalTable, listGlobalTables, describeGlobalTableSettings, updateGlobalTableSettings,
  describeTableReplicaAutoScaling, updateTableReplicaAutoScaling,
  registerScalableTarget, describeScalableTargets, deregisterScalableTarget, putScalingPolicy, describeScalingPolicies, deleteScalingPolicy, describeScalingActivities,
  listAutoScalingTags, tagAutoScalingResource, untagAutoScalingResource,
  describeStream, getRecords, getShardIterator, listStreams,
  updateContributorInsights, describeContributorInsights, listContributorInsights,
  listMetrics, getMetricStatistics, getMetricData, getInsightRuleReport,
  createUser, getUser, listUsers, deleteUser, createAccessKey, listAccessKeys, updateAccessKey, deleteAccessKey,
  createGroup, getGroup, listGroups, deleteGroup, addUserToGroup, removeUserFromGroup, listGroupsForUser,
  createRole, getRole, listRoles, deleteRole, ...iamPolicyOperations,
  getCallerIdentity, assumeRole, assumeRoleWithWebIdentity, ...oidcProviderOperations,
  putResourcePolicy, getResourcePolicy, deleteResourcePolicy,
  describeKey, ...deploymentOperations,
];

const byTarget: ReadonlyMap<string, OperationDefinition> = new Map(operations.map((op) => [`${op.target}.${op.name}`, op]));

/** The operation an X-Amz-Target header value names, or undefined for an unknown target. */
export function resolveOperation(target: string | undefined): OperationDefinition | undefined {
  return target === undefined ? undefined : byTarget.get(target);
}
