// A signed DynamoDB JSON client over keep-alive connections: what the load generators send with.
import { Agent, request } from 'node:http';
import { Signer } from '../src/cli/request-signer.js';

/** The bench's credentials: every load generator signs as this client. */
export const signer = new Signer('AKIDBENCH', 'bench-secret', 'us-east-1');

export class Client {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly signer: Signer;
  /** `region`: the region requests are signed for (us-east-1 unless given); `credentials`: whose key signs them (the bench's unless given). */
  constructor(private readonly endpoint: string, sockets: number, region?: string, credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
    this.host = new URL(endpoint).host;
    this.signer = region === undefined && credentials === undefined ? signer : new Signer(credentials?.accessKeyId ?? 'AKIDBENCH', credentials?.secretAccessKey ?? 'bench-secret', region ?? 'us-east-1');
  }
  /** `operation` is a DynamoDB operation name, or a full target ("DynamoDBStreams_20120810.GetRecords"). */
  call(operation: string, body: string): Promise<{ status: number; text: string }> {
    const target = operation.includes('.') ? operation : `DynamoDB_20120810.${operation}`;
    const headers = this.signer.sign(this.host, target, body);
    return new Promise((resolve, reject) => {
      const req = request(this.endpoint, { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  close(): void {
    this.agent.destroy();
  }
}


/** Polls DescribeTable until the table is ACTIVE (dynalite keeps new tables CREATING a while). */
export async function waitActive(client: Client, table: string): Promise<void> {
  for (;;) {
    const d = await client.call('DescribeTable', JSON.stringify({ TableName: table }));
    if (d.text.includes('"TableStatus":"ACTIVE"')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
