// Zstandard data for import tests: compressed by the `zstd` command when the machine has it, else
// written as a valid frame of raw (stored) blocks — either way a frame any Zstandard reader accepts,
// so the test's outcome is the same.
import { execFileSync, spawnSync } from 'node:child_process';

const hasZstd = spawnSync('zstd', ['--version']).status === 0;

/** The largest block a frame with a 128 KB window may hold. */
const blockMax = 128 * 1024;

export function zstdCompress(data: Buffer): Buffer {
  if (hasZstd) return execFileSync('zstd', ['-q', '-c', '-3'], { input: data });
  // Magic number, then a frame header with no content size, no checksum and a 2^17-byte window.
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3])];
  let at = 0;
  do {
    const size = Math.min(blockMax, data.length - at);
    const last = at + size >= data.length ? 1 : 0;
    const header = last | (0 << 1) | (size << 3); // block type 0: raw
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), data.subarray(at, at + size));
    at += size;
  } while (at < data.length);
  return Buffer.concat(parts);
}
