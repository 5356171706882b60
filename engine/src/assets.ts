import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Finds a runtime asset (a `.wasm` file) that esbuild copies beside each bundle. When the
 * engine runs from source (tests, tsx), the asset is resolved from its npm package instead.
 */
export function assetPath(fileName: string, packageRelative: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) {
    return besideBundle;
  }
  return require.resolve(packageRelative);
}
