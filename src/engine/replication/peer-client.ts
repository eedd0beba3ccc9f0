// Requests to the other StratusDB servers that serve the regions named by --peer REGION=URL: each a
// signed JSON POST to `<url>/stratusdb/replication/<operation>` (model/peer-signature.ts).
import { peerPathPrefix, peerSignatureHeader, signPeerRequest } from '../../model/peer-signature.js';

/** A peer's refusal (its HTTP status and message), or no answer at all (status 0). */
export class PeerError extends Error {
  override readonly name = 'PeerError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class PeerClient {
  constructor(
    private readonly peers: ReadonlyMap<string, string>,
    private readonly key: string,
  ) {}

  /** Whether another server serves `region`. */
  serves(region: string): boolean {
    return this.peers.has(region);
  }

  /** Posts `body` to the peer serving `region`; resolves to its JSON answer, or rejects with a PeerError. */
  async call<T>(region: string, operation: string, body: object): Promise<T> {
    const url = this.peers.get(region);
    if (url === undefined) throw new PeerError(0, `no --peer serves ${region}`);
    const path = `${peerPathPrefix}${operation}`;
    const text = JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { method: 'POST', body: text, headers: { 'content-type': 'application/json', [peerSignatureHeader]: signPeerRequest(this.key, Date.now(), path, text) } });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new PeerError(0, `${region} (${url}) did not answer: ${cause ?? (error as Error).message}`);
    }
    const answer = await res.text();
    if (res.status !== 200) throw new PeerError(res.status, peerMessage(answer) ?? `HTTP ${res.status}`);
    return JSON.parse(answer) as T;
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
