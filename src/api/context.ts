// What every operation receives besides its input: the request's identity, region and time.
import type { Engine } from '../engine/engine.js';

export interface RequestContext {
  readonly requestId: string;
  /** From the request's SigV4 credential scope; tables are scoped by it. */
  readonly region: string;
  readonly accountId: string;
  /** Epoch ms when the request arrived, from the server's injected clock. */
  readonly now: number;
  /** The Host the client addressed (DescribeEndpoints answers with it). */
  readonly host: string;
}

/** An operation: validated input in, JSON text out (text, so stored items splice in unparsed). */
export type Operation = (engine: Engine, ctx: RequestContext, body: unknown) => Promise<string>;
