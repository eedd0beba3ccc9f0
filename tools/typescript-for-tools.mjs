// The build compiles with TypeScript 7, which has no JavaScript API. dependency-cruiser parses the
// sources (type-only imports included) with a TypeScript compiler API: this preload hands it
// TypeScript 5's (the devDependency `typescript5`), for ESM imports and CommonJS requires alike.
import Module, { register } from 'node:module';

const rename = (specifier) => specifier.replace(/^typescript(?=$|\/)/, 'typescript5');

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  return next(specifier.replace(/^typescript(?=$|\\/)/, 'typescript5'), context);
}`), import.meta.url);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, rename(request), ...rest);
};
