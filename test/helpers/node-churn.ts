// For invariants across several nodes on one PostgreSQL: node 0 is killed (-9) once a fixed number of
// requests has been answered — a count, never a time — with requests still in flight, and started
// again at once (a new process, a new port). A request the kill cuts off waits until node 0 serves
// again and reports itself cut off (it may or may not have committed); the client then goes on
// through the new process. Requests to the other nodes never stop.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** A DynamoDB answer (the SDK parsed an exception the server sent), not a connection that broke. */
export function answeredByServer(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error && typeof (error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode === 'number';
}

export const cutOff = Symbol('cut off by the kill');

export class NodeChurn {
  /** Requests answered (either way) or cut off so far. */
  answered = 0;
  /** Requests the kill cut off. */
  cutOff = 0;
  killed = false;
  private readonly clients: DynamoDBClient[];
  private restart: Promise<void> | undefined;

  constructor(
    /** Node 0's entry is replaced by its new process once restarted. */
    readonly nodes: ServerProcess[],
    private readonly data: string,
    private readonly killAfter: number,
    private readonly args: readonly string[] = [],
  ) {
    this.clients = nodes.map((node) => node.client());
  }

  /** The client of a node's current process. */
  client(node: number): DynamoDBClient {
    return this.clients[node] as DynamoDBClient;
  }

  /** Sends through a node; a request the kill cut off resolves to `cutOff` once node 0 serves again. */
  async through<T>(node: number, send: (db: DynamoDBClient) => Promise<T>): Promise<T | typeof cutOff> {
    try {
      return await send(this.client(node));
    } catch (error) {
      if (node !== 0 || !this.killed || answeredByServer(error)) throw error;
      this.cutOff++;
      await this.restart;
      return cutOff;
    } finally {
      this.answer();
    }
  }

  /** Resolves once node 0 is serving again, if it was killed. */
  async done(): Promise<void> {
    await this.restart;
  }

  private answer(): void {
    this.answered++;
    if (this.killed || this.answered < this.killAfter) return;
    this.killed = true;
    this.restart = (async () => {
      await this.nodes[0]?.kill();
      const again = await startServerProcess({ data: this.data, args: this.args });
      this.nodes[0] = again;
      this.clients[0] = again.client();
    })();
  }
}
