import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileChangeType, type Location, type WorkspaceEdit } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';

const BOM = '\uFEFF';
/** views.py as VS Code shows it: without the byte-order mark the file starts with. */
const VIEWS = [
  'def show(request): return request.session["cart"], request.session["promo"]',
  'from shop.keys import CART',
  'from shop.session_keys import PROMO',
  'def add(request):',
  '    request.session[CART] = request.session[PROMO] = 1',
  '',
].join('\n');

describe('files that start with a byte-order mark', () => {
  let root: string;
  let server: LanguageServer;
  const file = (name: string) => path.join(root, name);
  /** Each edit as `file:line:start-end`, sorted. */
  const places = (edit: WorkspaceEdit) =>
    Object.entries(edit.changes ?? {})
      .flatMap(([uri, edits]) => edits.map((e) => `${path.relative(root, fileURLToPath(uri))}:${e.range.start.line}:${e.range.start.character}-${e.range.end.character}`))
      .sort();
  const rename = (character: number) => server.at<WorkspaceEdit>('textDocument/rename', file('shop/views.py'), 0, character, { newName: 'basket' });

  before(async () => {
    root = tempProject({
      // Read without parsing: no "session" in it.
      'shop/keys.py': `${BOM}CART = "cart"\n`,
      // Parsed: it mentions sessions.
      'shop/session_keys.py': `${BOM}PROMO = "promo"  # a session key\n`,
      'shop/views.py': BOM + VIEWS,
    });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds the constants of both kinds of file, at the columns VS Code shows', async () => {
    const cart = VIEWS.indexOf('"cart"') + 1;
    assert.deepEqual(places(await rename(cart)), ['shop/keys.py:0:8-12', `shop/views.py:0:${cart}-${cart + 4}`]);
    const promo = VIEWS.indexOf('"promo"') + 1;
    assert.deepEqual(places(await rename(promo)), ['shop/session_keys.py:0:9-14', `shop/views.py:0:${promo}-${promo + 5}`]);
    const definition = await server.at<Location[]>('textDocument/definition', file('shop/views.py'), 4, VIEWS.split('\n')[4]!.indexOf('PROMO') + 1);
    assert.deepEqual(definition.map((l) => [path.relative(root, fileURLToPath(l.uri)), l.range.start.character]), [['shop/session_keys.py', 0]]);
  });

  it('reads a changed file from disk without the mark too', async () => {
    fs.writeFileSync(file('shop/keys.py'), `${BOM}CART = "trolley"\n`);
    server.watched([[file('shop/keys.py'), FileChangeType.Changed]]);
    const line = VIEWS.split('\n')[4]!;
    const refs = await server.at<Location[]>('textDocument/references', file('shop/views.py'), 4, line.indexOf('CART') + 1, { context: { includeDeclaration: true } });
    const constant = refs.filter((l) => l.uri.endsWith('/keys.py')).map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);
    assert.deepEqual(constant, ['0:7-16'], 'the literal "trolley", quotes included, at the columns VS Code shows');
  });
});
