// WorkProgress: what a running backup or export has done so far, and its progress lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkProgress } from './work-progress.js';

async function* pages(count: number, size: number): AsyncGenerator<{ sizeBytes: number }[]> {
  for (let i = 0; i < count; i++) yield Array.from({ length: size }, () => ({ sizeBytes: 10 }));
}

describe('WorkProgress', () => {
  it('counts items and bytes as the pages pass, logs each 100,000 items, and forgets the work at its end', async () => {
    const lines: string[] = [];
    const progress = new WorkProgress((line) => lines.push(line));
    const seen: (number | undefined)[] = [];
    for await (const page of progress.track('arn:1', 'backup b of T', pages(5, 40_000))) {
      assert.equal(page.length, 40_000);
      seen.push(progress.of('arn:1')?.items);
    }
    assert.deepEqual(seen, [40_000, 80_000, 120_000, 160_000, 200_000]);
    assert.deepEqual(lines, ['stratusdb: backup b of T: 120000 items (1200000 bytes) so far', 'stratusdb: backup b of T: 200000 items (2000000 bytes) so far']);
    assert.equal(progress.of('arn:1'), undefined);
  });
});
