// The layer rules of docs/ARCHITECTURE.md, checked by `npm test` (npm run check-layers): a module
// imports only its own layer and the layers below it. Type-only imports count.
const layer = (name, path, may) => ({
  name: `${name}-imports-only-below`,
  comment: `${name}/ may import only ${may.join(', ')}`,
  severity: 'error',
  from: { path },
  to: { path: '^src/', pathNot: [path, ...may.map((m) => `^src/${m}/`)] },
});

module.exports = {
  forbidden: [
    layer('model', '^src/model/', []),
    layer('errors', '^src/errors/', []),
    layer('storage', '^src/storage/', ['model', 'errors']),
    layer('expressions', '^src/expressions/', ['model', 'errors']),
    layer('iam', '^src/iam/', ['model', 'errors']),
    layer('partiql', '^src/partiql/', ['expressions', 'model', 'errors']),
    layer('engine', '^src/engine/', ['storage', 'expressions', 'iam', 'model', 'errors']),
    layer('api', '^src/api/', ['engine', 'partiql', 'expressions', 'iam', 'model', 'errors']),
    layer('triggers', '^src/triggers/', ['engine', 'model', 'errors']),
    layer('pipeline', '^src/pipeline/', ['api', 'engine', 'iam', 'model', 'errors']),
    layer('http', '^src/http/', ['pipeline', 'model', 'errors']),
    layer('config', '^src/config/', ['triggers', 'iam', 'model', 'errors']),
    layer('deploy', '^src/deploy/', ['model', 'errors']),
    {
      name: 'composition-root-is-not-imported',
      comment: 'main.ts and cli/ compose the layers; nothing below imports them',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/index\\.ts$', '^src/cli/'] },
      to: { path: ['^src/main\\.ts$', '^src/cli/'] },
    },
    {
      name: 'no-circular',
      comment: 'modules do not import each other in a circle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
