// The admit stage: whether a request may run now, given what its table has consumed (provisioned
// capacity, on-demand limits, throttling). Today nothing is limited; capacity and throttling plug in
// here, and learn what each request consumed once it has run.
import type { OperationDefinition, RequestContext, Usage } from '../api/operation.js';

export interface Admission {
  /** Throws the exception DynamoDB answers a throttled request with (before anything runs). */
  admit(operation: OperationDefinition, ctx: RequestContext): void;
  /** What an admitted request consumed, per table. */
  consumed(usage: readonly Usage[]): void;
}

export const noLimits: Admission = {
  admit() {},
  consumed() {},
};
