// UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights: CloudWatch
// Contributor Insights of a table or a GSI (engine/contributor-insights.ts). A change answers
// ENABLING / DISABLING as AWS does and is in place at once (AWS settles in one to sixteen seconds);
// the rules' reports are CloudWatch's GetInsightRuleReport (cloudwatch-insights.ts).
import type { ContributorInsightsState, TableRecord } from '../../model/table.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { onTable, operation, tableOrIndexArn } from '../operation.js';
import { integer, members, namePattern, str, tableName } from '../validate/shape.js';

const indexName = str({ pattern: namePattern, lengthMin: 3, lengthMax: 255 });
/** ListContributorInsights' page: at most 100 (its default here, one page, as AWS answers a region's few). */
const pageMax = 100;

/** The table's (or GSI's) insights as Describe and List show them; never configured: DISABLED. */
function summary(table: TableRecord, state: ContributorInsightsState | undefined, index: string | undefined): Record<string, unknown> {
  return { TableName: table.TableName, IndexName: index, ContributorInsightsStatus: state?.status ?? 'DISABLED', ContributorInsightsMode: state?.mode };
}

export const updateContributorInsights = operation({
  name: 'UpdateContributorInsights',
  kind: 'control',
  members: members([
    ['TableName', tableName({ notNull: true })],
    ['IndexName', indexName],
    ['ContributorInsightsAction', str({ notNull: true, oneOf: ['ENABLE', 'DISABLE'] })],
    ['ContributorInsightsMode', str({ oneOf: ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'] })],
  ]),
  permissions: (input, ctx) => [{ action: 'dynamodb:UpdateContributorInsights', resource: tableOrIndexArn(ctx, input.TableName, input.IndexName) }],
  async execute({ engine }, ctx, input) {
    const change = await engine.insights.update(ctx.region, input.TableName, input.IndexName, input.ContributorInsightsAction, input.ContributorInsightsMode);
    return { body: { TableName: change.table.TableName, IndexName: input.IndexName, ContributorInsightsStatus: change.status, ContributorInsightsMode: change.state.mode } };
  },
});

export const describeContributorInsights = operation({
  name: 'DescribeContributorInsights',
  kind: 'control',
  members: members([['TableName', tableName({ notNull: true })], ['IndexName', indexName]]),
  permissions: (input, ctx) => [{ action: 'dynamodb:DescribeContributorInsights', resource: tableOrIndexArn(ctx, input.TableName, input.IndexName) }],
  async execute({ engine }, ctx, input) {
    const table = engine.insights.target(ctx.region, input.TableName, input.IndexName);
    const state = engine.insights.stateOf(table, input.IndexName);
    if (state === undefined) return { body: { TableName: table.TableName, IndexName: input.IndexName, ContributorInsightsStatus: 'DISABLED' } };
    return {
      body: {
        ...summary(table, state, input.IndexName),
        // A FAILED state lists no rules (recorded from AWS).
        ContributorInsightsRuleList: state.status === 'FAILED' ? undefined : state.rules,
        LastUpdateDateTime: state.changedAt / 1000,
        FailureException: state.failure,
      },
    };
  },
});

export const listContributorInsights = operation({
  name: 'ListContributorInsights',
  kind: 'control',
  members: members([['TableName', tableName()], ['NextToken', str()], ['MaxResults', integer({ max: pageMax })]]),
  permissions: (input, ctx) => onTable('ListContributorInsights', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const tables = input.TableName === undefined
      ? engine.tables.names(ctx.region).map((name) => engine.tables.find(ctx.region, name)).filter((t): t is TableRecord => t !== undefined)
      : [engine.tables.require(ctx.region, input.TableName)];
    // DISABLED entries are left out; a table comes before its GSIs (recorded from AWS).
    const all = tables.flatMap((table) => {
      const states = engine.insights.statesOf(table).filter((s) => s.status !== 'DISABLED');
      return [...states.filter((s) => s.index === undefined), ...states.filter((s) => s.index !== undefined).sort((a, b) => (a.index ?? '').localeCompare(b.index ?? ''))]
        .map((s) => summary(table, s, s.index));
    });
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isSafeInteger(start) || start < 0 || start > all.length) throw new ValidationException(messages.insightsBadToken);
    const size = input.MaxResults === undefined || input.MaxResults <= 0 ? pageMax : input.MaxResults;
    const page = all.slice(start, start + size);
    return { body: { ContributorInsightsSummaries: page, NextToken: start + size < all.length ? String(start + size) : undefined } };
  },
});
