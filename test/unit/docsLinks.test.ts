import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headingAnchor } from '../../scripts/extensionReadme.mjs';

const root = path.resolve(__dirname, '../..');


describe('the README and docs/', () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((page) => `docs/${page}`)];

  it('link only to files that exist, and to headings those files have', () => {
    let links = 0;
    for (const page of pages) {
      const text = fs.readFileSync(path.join(root, page), 'utf8');
      for (const [, target, fragment] of text.matchAll(/\]\(((?!https?:|#|data:)[^)#\s]+)(?:#([\w-]+))?\)/g)) {
        const file = path.join(root, path.dirname(page), target!);
        assert.ok(fs.existsSync(file), `${page} links to ${target}, which is not there`);
        if (fragment) {
          const headings = [...fs.readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1]!));
          assert.ok(headings.includes(fragment), `${page} links to ${target}#${fragment}, a heading it does not have`);
        }
        links++;
      }
    }
    assert.ok(links >= 10, `only ${links} links found`);
  });

  it('has every docs/ page reachable from the README', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const page of pages.filter((p) => p.startsWith('docs/'))) assert.ok(readme.includes(`](${page}`), `the README never links to ${page}`);
  });
});
