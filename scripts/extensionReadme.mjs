// Writes dist/README.md, the README the .vsix carries (`npm run package` hands it to vsce with
// --readme-path). VS Code's extension details page loads images only from https: and data: URLs,
// and this repository has no public URL to point a relative image at, so its images are inlined
// as data: URLs. The sections for working in a clone are left out: an extension user has none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLONE_SECTIONS = new Set(['Try it', 'For contributors']);
const MEDIA_TYPES = { '.png': 'image/png', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.jpg': 'image/jpeg' };

/** The README for the details page: `markdown` without the clone's sections, relative images (read with `readFile`) inlined. */
export function extensionReadme(markdown, readFile = (file) => fs.readFileSync(path.join(root, file))) {
  const kept = [];
  let skipping = false;
  for (const line of markdown.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) skipping = CLONE_SECTIONS.has(heading[1].trim());
    if (!skipping) kept.push(line);
  }
  return kept.join('\n').replace(/(!\[[^\]]*\]\()([^)\s]+)\)/g, (whole, start, src) => {
    if (/^[a-z]+:/.test(src)) return whole;
    const type = MEDIA_TYPES[path.extname(src).toLowerCase()];
    if (!type) throw new Error(`README.md shows ${src}, which the details page cannot show inline: use a PNG, SVG, GIF or JPEG.`);
    return `${start}data:${type};base64,${readFile(src).toString('base64')})`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'README.md'), extensionReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
}
