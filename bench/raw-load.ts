// A lean load generator: requests are signed and laid out as bytes once, before the clock starts,
// and each connection writes the next one as soon as the previous answer's last byte arrives. It
// spends a fraction of what node:http and per-request signing cost, so the server, not the client,
// is what a run measures (bench --raw).
import { connect, type Socket } from 'node:net';
import { signer } from './client.js';

/** What a load run saw. */
export interface LoadRun {
  /** Round-trip time of every request, ms. */
  readonly latencies: number[];
  /** Answers whose status was not 200. */
  readonly failures: number;
}

/** Every request of a workload as the bytes sent on the wire. */
export function rawRequests(endpoint: string, operation: string, bodies: readonly string[]): Buffer[] {
  const host = new URL(endpoint).host;
  const target = operation.includes('.') ? operation : `DynamoDB_20120810.${operation}`;
  return bodies.map((body) => {
    const headers = signer.sign(host, target, body);
    const lines = [`POST / HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, '', body];
    return Buffer.from(lines.join('\r\n'));
  });
}

/** Runs `concurrency` connections, each sending requests picked by `pick` until the deadline. */
export async function rawLoad(endpoint: string, requests: readonly Buffer[], concurrency: number, durationMs: number, pick: () => number): Promise<LoadRun> {
  const { hostname, port } = new URL(endpoint);
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(Array.from({ length: concurrency }, () => new Promise<void>((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = (): void => {
      if (performance.now() >= deadline) {
        socket.end();
        resolve();
        return;
      }
      sentAt = performance.now();
      socket.write(requests[pick()] as Buffer);
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = pending.toString('latin1', 0, headEnd);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (length === null) {
          reject(new Error(`an answer without Content-Length: ${head}`));
          return;
        }
        const end = headEnd + 4 + Number(length[1]);
        if (pending.length < end) return;
        if (!head.startsWith('HTTP/1.1 200')) failures++;
        pending = pending.subarray(end);
        latencies.push(performance.now() - sentAt);
        send();
      }
    });
  })));
  return { latencies, failures };
}
