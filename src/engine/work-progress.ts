// How far long work (a backup, an export) has got in this process, for its Describe operation while it
// runs and for the server log: the items and their DynamoDB bytes it has written so far, and a log line
// each time another 100,000 items are done.
export interface Progress {
  readonly items: number;
  readonly bytes: number;
}

/** Items between two progress lines in the server log. */
const logEveryItems = 100_000;

export class WorkProgress {
  private readonly running = new Map<string, { items: number; bytes: number }>();

  constructor(private readonly log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)) {}

  /** The progress of work `id`, while it runs in this process. */
  of(id: string): Progress | undefined {
    return this.running.get(id);
  }

  /** Passes `pages` on, counting what they hold under `id` (`label` names the work in the log); forgotten when they end. */
  async *track<T extends { readonly sizeBytes: number }>(id: string, label: string, pages: AsyncIterable<readonly T[]>): AsyncGenerator<readonly T[]> {
    const progress = { items: 0, bytes: 0 };
    this.running.set(id, progress);
    try {
      for await (const page of pages) {
        const before = progress.items;
        progress.items += page.length;
        for (const entry of page) progress.bytes += entry.sizeBytes;
        if (Math.floor(before / logEveryItems) !== Math.floor(progress.items / logEveryItems)) {
          this.log(`stratusdb: ${label}: ${progress.items} items (${progress.bytes} bytes) so far`);
        }
        yield page;
      }
    } finally {
      this.running.delete(id);
    }
  }
}
