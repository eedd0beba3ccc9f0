// DescribeLimits and DescribeEndpoints: fixed answers shaped as DynamoDB gives them.
import { operation } from '../operation.js';
import { members } from '../validate/shape.js';

/** DynamoDB's default per-account, per-region capacity quotas. */
export const accountMaxReadCapacityUnits = 80000;
export const accountMaxWriteCapacityUnits = 80000;
export const tableMaxReadCapacityUnits = 40000;
export const tableMaxWriteCapacityUnits = 40000;
/** DynamoDB advertises endpoints to cache for 1440 minutes. */
export const endpointCachePeriodMinutes = 1440;

export const describeLimits = operation({
  name: 'DescribeLimits',
  kind: 'control',
  members: members([]),
  permissions: () => [{ action: 'dynamodb:DescribeLimits', resource: '*' }],
  async execute() {
    return {
      body: {
        AccountMaxReadCapacityUnits: accountMaxReadCapacityUnits,
        AccountMaxWriteCapacityUnits: accountMaxWriteCapacityUnits,
        TableMaxReadCapacityUnits: tableMaxReadCapacityUnits,
        TableMaxWriteCapacityUnits: tableMaxWriteCapacityUnits,
      },
    };
  },
});

/** The address clients should keep using: the one they reached us on. */
export const describeEndpoints = operation({
  name: 'DescribeEndpoints',
  kind: 'control',
  members: members([]),
  permissions: () => [{ action: 'dynamodb:DescribeEndpoints', resource: '*' }],
  async execute(_services, ctx) {
    return { body: { Endpoints: [{ Address: ctx.host, CachePeriodInMinutes: endpointCachePeriodMinutes }] } };
  },
});
