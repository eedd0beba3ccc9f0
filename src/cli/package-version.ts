// The package's version, read from the nearest package.json above this file — the same code works
// from tsc's dist/src/cli/ and from the single-file bundle in dist/bin/.
import { readFileSync } from 'node:fs';

/** How many directories up to look for package.json before giving up. */
const searchDepthMax = 5;

export function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < searchDepthMax; i++) {
    try {
      const json = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (json.name === 'stratusdb' && json.version !== undefined) return json.version;
    } catch {
      // not here: look one level up
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}
