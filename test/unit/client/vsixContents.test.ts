import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { extensionReadme, headingAnchor } from '../../../scripts/extensionReadme.mjs';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** What dist/cli.js loads at run time: README tells users to run the CLI from the .vsix alone. */
const CLI_FILES = ['dist/cli.js', 'dist/sessionCommands.js', 'dist/analysisWorker.js', 'dist/sql-wasm.wasm', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm'];

/**
 * The files `vsce package` puts in the .vsix, listed by vsce itself from a copy of the manifest,
 * .vscodeignore and the files they name (dist/ as empty stand-ins, so no build is needed and
 * the scan skips node_modules and .cache).
 */
async function packagedFiles(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-vsix-'));
  try {
    for (const file of ['package.json', '.vscodeignore', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(root, file), path.join(dir, file));
    for (const folder of ['media', 'syntaxes']) fs.cpSync(path.join(root, folder), path.join(dir, folder), { recursive: true });
    fs.mkdirSync(path.join(dir, 'dist'));
    for (const file of [...CLI_FILES, 'dist/client.js', 'dist/server.js', 'dist/cli.js.map']) fs.writeFileSync(path.join(dir, file), '');
    return await listFiles({ cwd: dir, packageManager: PackageManager.None });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the .vsix', function () {
  this.timeout(60_000);
  let files: string[];
  before(async () => {
    files = await packagedFiles();
  });

  it('carries the CLI with every bundle and wasm file it loads, and no source maps', () => {
    for (const file of CLI_FILES) assert.ok(files.includes(file), `${file} is left out of the .vsix`);
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), []);
  });

  it('leaves the repository README to the one npm run package hands vsce, which carries its images inline', () => {
    assert.match(manifest.scripts.package, /node scripts\/extensionReadme\.mjs && vsce package .*--readme-path dist\/README\.md/);
    const readme = extensionReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length > 0);
    // The details page's Content-Security-Policy is img-src https: data:, and the repository has no https address.
    for (const image of images) assert.match(image.slice(0, 30), /^data:image\/png;base64,/);
  });

  it('leaves out of that README the sections about working in a clone', () => {
    const readme = extensionReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    assert.deepEqual([...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]).slice(0, 5), ['Install', 'What it does', 'Supported stores and Django versions', 'Configuration', 'Security notes']);
  });

  it('carries the docs/ pages the README links to, as sections of its own, with every link pointing at a heading it has', () => {
    const source = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const readme = extensionReadme(source);
    const linkedPages = new Set([...source.matchAll(/\]\(docs\/([\w-]+\.md)/g)].map((m) => m[1]!));
    assert.ok(linkedPages.size >= 5);
    const headings = [...readme.matchAll(/^#{2,6} (.+)$/gm)].map((m) => headingAnchor(m[1]!));
    for (const page of linkedPages) {
      const title = /^# (.+)$/m.exec(fs.readFileSync(path.join(root, 'docs', page), 'utf8'))![1]!;
      assert.ok(readme.includes(`\n## ${title}\n`), `the details page leaves out docs/${page}`);
    }
    assert.doesNotMatch(readme, /\]\((?:\.\.\/|docs\/)?[\w-]+\.md/, 'a link to a page the .vsix does not carry');
    const anchors = [...readme.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]!);
    assert.ok(anchors.length >= linkedPages.size);
    for (const target of anchors) assert.ok(headings.includes(target), `#${target} names no heading of the details page`);
  });
});
