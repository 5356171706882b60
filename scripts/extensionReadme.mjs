// Writes dist/README.md, the README the .vsix carries (`npm run package` hands it to vsce with
// --readme-path). VS Code's extension details page loads images only from https: and data: URLs,
// and this repository has no public URL to point a relative image at, so its images are inlined
// as data: URLs. For the same reason a link to a page of docs/ would lead nowhere there, so the
// pages the README links to are appended, one section each, and the links point at those. The
// sections for working in a clone are left out: an extension user has none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLONE_SECTIONS = new Set(['Try it', 'For contributors']);
const MEDIA_TYPES = { '.png': 'image/png', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.jpg': 'image/jpeg' };
const DOC_LINK = /\]\((?:\.\.\/|docs\/)?([\w-]+\.md)(?:#([\w-]+))?\)/g;

/** The README for the details page: `markdown` without the clone's sections, with the docs/ pages it links to, relative images (read with `readFile`) inlined. */
export function extensionReadme(markdown, readFile = (file) => fs.readFileSync(path.join(root, file))) {
  const kept = [];
  let skipping = false;
  for (const line of markdown.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) skipping = CLONE_SECTIONS.has(heading[1].trim());
    if (!skipping) kept.push(line);
  }
  const readme = kept.join('\n');
  const pages = [...new Set([...readme.matchAll(/\]\(docs\/([\w-]+\.md)/g)].map((m) => m[1]))];
  const titles = new Map(pages.map((page) => [page, /^# (.+)$/m.exec(readFile(`docs/${page}`).toString('utf8'))[1]]));
  const linked = (text) => text.replace(DOC_LINK, (whole, page, anchor) => (titles.has(page) ? `](#${anchor ?? headingAnchor(titles.get(page))})` : whole));
  const appended = pages.map((page) => {
    // The page's first paragraph points back at the README, which is this page here.
    const [, ...body] = readFile(`docs/${page}`).toString('utf8').replace(/^# .+\n\n[^\n]*\n/, '').split('\n');
    return [`## ${titles.get(page)}`, ...body.map((line) => (/^#{2,5} /.test(line) ? `#${line}` : line))].join('\n');
  });
  return linked([readme.trimEnd(), ...appended].join('\n\n')).replace(/(!\[[^\]]*\]\()([^)\s]+)\)/g, (whole, start, src) => {
    if (/^[a-z]+:/.test(src)) return whole;
    const type = MEDIA_TYPES[path.extname(src).toLowerCase()];
    if (!type) throw new Error(`README.md shows ${src}, which the details page cannot show inline: use a PNG, SVG, GIF or JPEG.`);
    return `${start}data:${type};base64,${readFile(src).toString('base64')})`;
  });
}

/** The anchor a Markdown renderer gives a heading, as GitHub's and VS Code's do. */
export function headingAnchor(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'README.md'), extensionReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
}
