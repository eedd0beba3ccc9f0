// Builds the web console (console/src) into dist/console: one minified script and one stylesheet,
// named by their content's hash, and the index.html that names them, each beside its Brotli (.br) and
// gzip (.gz) forms — compressed here once, at their best, because Brotli's best takes most of a second
// a server should not spend starting. Run by `npm run build`, so `npm ci` leaves a console ready to
// serve; nothing is fetched at run time.
import { build } from 'esbuild-wasm';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'console');
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'console', 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const script = outputs.find((name) => name.endsWith('.js'));
const style = outputs.find((name) => name.endsWith('.css'));
if (script === undefined || style === undefined) throw new Error(`the console build made ${outputs.join(', ')}: expected a script and a stylesheet`);
const page = (await readFile(join(root, 'console', 'index.html'), 'utf8')).replace('{{script}}', script).replace('{{style}}', style);
await writeFile(join(out, 'index.html'), page);
for (const name of await readdir(out)) {
  if (name.endsWith('.br') || name.endsWith('.gz')) continue;
  const bytes = await readFile(join(out, name));
  await writeFile(join(out, `${name}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  await writeFile(join(out, `${name}.gz`), gzipSync(bytes, { level: 9 }));
}
