// Modules that a bundle loads with `import()` only on some paths, each shipped as a bundle of its
// own beside the importer: `cli.js scan` then never reads or compiles the database drivers that
// the session commands need. Shared by esbuild.mjs and the scan benchmark, which bundles the CLI
// as esbuild.mjs does.
import * as path from 'node:path';

/** Source module (relative to the repository) to the name of its own bundle. */
const separateBundles = { 'cli/src/sessionCommands.ts': 'sessionCommands' };

/** esbuild entry points for the separate bundles, by output name. */
export function separateBundleEntries(repo = '.') {
  return Object.fromEntries(Object.entries(separateBundles).map(([source, name]) => [name, path.join(repo, source)]));
}

/**
 * An esbuild plugin that leaves each `import()` of a separate module to load its bundle at run
 * time. Such a module must report its own errors (see cli/src/sessionCommands.ts): the classes
 * it shares with the importer are copies in its bundle, so `instanceof` fails across the two.
 */
export function loadSeparateBundles(repo = '.') {
  const byPath = new Map(Object.entries(separateBundles).map(([source, name]) => [path.resolve(repo, source), name]));
  return {
    name: 'separate-bundles',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const name = args.kind === 'dynamic-import' ? byPath.get(`${path.resolve(args.resolveDir, args.path)}.ts`) : undefined;
        return name ? { path: `./${name}.js`, external: true } : undefined;
      });
    },
  };
}
