// The audit log (--audit-log PATH): one JSON line per request that reached authentication — who
// (the caller's ARN and access key, or the key alone with --auth none), from where, which operation,
// the (action, resource) pairs it needed, and the decision: allow, deny (the policies refused it) or
// unauthenticated (its signature was refused). Appended, never read back; lines are written in the
// order requests are decided.
import { createWriteStream, type WriteStream } from 'node:fs';

export interface AuditEntry {
  readonly time: string;
  readonly requestId: string;
  readonly principal?: string;
  readonly accessKeyId?: string;
  readonly sourceIp?: string;
  readonly region?: string;
  readonly operation: string;
  readonly decision: 'allow' | 'deny' | 'unauthenticated';
  readonly actions?: readonly { readonly action: string; readonly resource: string }[];
  /** The exception a refused request was answered with. */
  readonly error?: string;
}

export class AuditLog {
  private readonly stream: WriteStream;

  constructor(readonly path: string, onError: (error: Error) => void) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', onError);
  }

  record(entry: AuditEntry): void {
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  /** Writes what is buffered and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
