// The import-rule check (npm run check-layers, part of npm test) passes on the sources and fails on a
// back-reference: a fixture tree where the engine imports the API layer, and one with an import cycle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function cruise(cwd: string): Promise<{ code: number; output: string }> {
  const args = [
    '--import', join(root, 'tools/typescript-for-tools.mjs'),
    join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err',
  ];
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr });
    });
  });
}

/** A source tree of the given files, with the tsconfig the rules' resolution reads. */
function tree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-layers-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('layer rules', () => {
  it('pass on the sources', { timeout: 120_000 }, async () => {
    const result = await cruise(root);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /no dependency violations found/);
  });

  it('fail when the engine imports the API layer, even for a type', { timeout: 120_000 }, async () => {
    const dir = tree({
      'src/api/operation.ts': 'export interface RequestContext { readonly region: string }\n',
      'src/engine/engine.ts': "import type { RequestContext } from '../api/operation.js';\nexport const region = (ctx: RequestContext): string => ctx.region;\n",
    });
    const result = await cruise(dir);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /engine-imports-only-below: src\/engine\/engine\.ts → src\/api\/operation\.ts/);
    assert.match(result.output, /1 dependency violations \(1 errors, 0 warnings\)/);
  });

  it('fail on an import cycle inside one layer', { timeout: 120_000 }, async () => {
    const dir = tree({
      'src/engine/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
      'src/engine/b.ts': "import { a } from './a.js';\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n",
    });
    const result = await cruise(dir);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /no-circular: src\/engine\/a\.ts →/);
  });
});
