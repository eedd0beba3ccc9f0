// Requests to the other StratusDB servers that serve the regions named by --peer REGION=URL: each a
// signed JSON POST to `<url>/stratusdb/replication/<operation>` (model/peer-signature.ts), over
// kept-alive connections (node:http: a request costs a fraction of what fetch's does, which matters
// on the path of every strongly consistent write).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { peerPathPrefix, peerSignatureHeader, signPeerRequest } from '../../model/peer-signature.js';

/** How long a peer has to answer a request (a long poll waits at most 5 s of it). */
const defaultTimeoutMs = 30_000;

/** A peer's refusal (its HTTP status and message), or no answer at all (status 0). */
export class PeerError extends Error {
  override readonly name = 'PeerError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class PeerClient {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  constructor(
    private readonly peers: ReadonlyMap<string, string>,
    private readonly key: string,
  ) {}

  /** Whether another server serves `region`. */
  serves(region: string): boolean {
    return this.peers.has(region);
  }

  /**
   * Posts `body` to the peer serving `region`; resolves to its JSON answer, or rejects with a PeerError
   * (also when it has not answered within `timeoutMs`).
   */
  async call<T>(region: string, operation: string, body: object, timeoutMs = defaultTimeoutMs): Promise<T> {
    const base = this.peers.get(region);
    if (base === undefined) throw new PeerError(0, `no --peer serves ${region}`);
    const path = `${peerPathPrefix}${operation}`;
    const text = JSON.stringify(body);
    const url = new URL(`${base}${path}`);
    const secure = url.protocol === 'https:';
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const unanswered = (error: Error): void => reject(new PeerError(0, `${region} (${base}) did not answer: ${error.message}`));
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST', agent: secure ? this.https : this.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), [peerSignatureHeader]: signPeerRequest(this.key, Date.now(), path, text) },
      }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', unanswered);
      });
      req.on('error', unanswered);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.end(text);
    });
    if (answer.status !== 200) throw new PeerError(answer.status, peerMessage(answer.text) ?? `HTTP ${answer.status}`);
    return JSON.parse(answer.text) as T;
  }

  /** Closes the kept-alive connections (the server stops). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** The message of a peer's error answer (`message`, or `Message` as AccessDeniedException writes it). */
function peerMessage(answer: string): string | undefined {
  try {
    const body = JSON.parse(answer) as { message?: string; Message?: string };
    return body.message ?? body.Message;
  } catch {
    return undefined;
  }
}
