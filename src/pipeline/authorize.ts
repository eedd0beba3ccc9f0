// The authorize stage: whether the request's principal may perform the (IAM action, resource) pairs
// the operation declared for this input. Today every authenticated request is allowed; IAM-style
// policies plug in here without touching any operation.
import type { Permission } from '../api/operation.js';
import type { Principal } from './authenticate.js';

export interface Authorizer {
  /**
   * Throws the exception DynamoDB answers a denied request with. `permissions` computes what the
   * request needs; an authorizer that allows everything never calls it, so it costs nothing.
   */
  authorize(principal: Principal, permissions: () => readonly Permission[]): void;
}

export const allowAll: Authorizer = {
  authorize() {},
};
