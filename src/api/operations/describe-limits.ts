// DescribeLimits and DescribeEndpoints: fixed answers shaped as DynamoDB gives them.
import type { Operation } from '../context.js';
import { validateInput } from '../validate/validate-input.js';

/** DynamoDB's default per-account, per-region capacity quotas. */
export const accountMaxReadCapacityUnits = 80000;
export const accountMaxWriteCapacityUnits = 80000;
export const tableMaxReadCapacityUnits = 40000;
export const tableMaxWriteCapacityUnits = 40000;
/** DynamoDB advertises endpoints to cache for 1440 minutes. */
export const endpointCachePeriodMinutes = 1440;

export const describeLimits: Operation = async (_engine, _ctx, body) => {
  validateInput(body, []);
  return JSON.stringify({
    AccountMaxReadCapacityUnits: accountMaxReadCapacityUnits,
    AccountMaxWriteCapacityUnits: accountMaxWriteCapacityUnits,
    TableMaxReadCapacityUnits: tableMaxReadCapacityUnits,
    TableMaxWriteCapacityUnits: tableMaxWriteCapacityUnits,
  });
};

/** The address clients should keep using: the one they reached us on. */
export const describeEndpoints: Operation = async (_engine, ctx, body) => {
  validateInput(body, []);
  return JSON.stringify({ Endpoints: [{ Address: ctx.host, CachePeriodInMinutes: endpointCachePeriodMinutes }] });
};
