import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, Hover, Location } from 'vscode-languageserver/node';
import { KeyIndexService } from '../../../server/src/keyIndexService';
import { PendingEdits } from '../../../server/src/pendingEdits';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer } from './languageServer';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PendingEdits', () => {
  it("applies each document's last text once its edits pause, and every document's at once on flush", async () => {
    const applied: string[] = [];
    // Wide margins around each timer (b's at 400 ms, a's at 500 ms after a's last edit), so a loaded machine's late timers keep the order.
    const edits = new PendingEdits((uri, text) => applied.push(`${uri}=${text}`), 400);
    const started = Date.now();
    edits.set('a', '1');
    edits.set('a', '2');
    edits.set('b', '1');
    await pause(100);
    edits.set('a', '3');
    const aSet = Date.now();
    assert.deepEqual(applied, []);
    await pause(450 - (Date.now() - started));
    if (Date.now() - aSet < 400) {
      assert.deepEqual(applied, ['b=1'], "b's edits paused; a's did not");
    }
    edits.set('b', '2');
    edits.flush();
    assert.deepEqual(applied, ['b=1', 'a=3', 'b=2']);
    await pause(450);
    assert.equal(applied.length, 3, 'a flushed edit is not applied again');
  });

  it('never applies text that was dropped', async () => {
    const applied: string[] = [];
    const edits = new PendingEdits((_uri, text) => applied.push(text), 10);
    edits.set('a', 'typed');
    edits.drop('a');
    edits.flush('a');
    await pause(30);
    assert.deepEqual(applied, []);
  });
});

describe('editor text in the session-key index', () => {
  let root: string;
  let service: KeyIndexService;
  let analysed: string[];
  const views = () => path.join(root, 'views.py');
  const uri = () => pathToFileURL(views()).toString();
  const keys = () => [...service.index.keys().keys()].sort();

  before(async () => {
    root = tempProject({ 'views.py': 'def v(request):\n    request.session["disk"] = 1\n' });
    service = await KeyIndexService.create(() => [root]);
    await service.indexRoots([root]);
    // Counts analyses of editor text; reading `index` here flushes nothing, as nothing waits yet.
    const index = service.index;
    const updateFile = index.updateEditedFile.bind(index);
    analysed = [];
    index.updateEditedFile = (file, text) => {
      analysed.push(text);
      updateFile(file, text);
    };
  });

  after(() => {
    service.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const typed = (key: string) => `def v(request):\n    request.session["${key}"] = 1\n`;

  it('analyses a document once per pause in typing, not per keystroke, and at once when the index is read', async () => {
    analysed.length = 0;
    for (const key of ['c', 'ca', 'car', 'cart']) service.updateText(uri(), typed(key));
    assert.equal(analysed.length, 0);
    assert.deepEqual(keys(), ['cart']);
    assert.equal(analysed.length, 1);
    service.updateText(uri(), typed('basket'));
    await pause(400);
    assert.equal(analysed.length, 2);
    assert.deepEqual(keys(), ['basket']);
  });

  it('lets the file on disk win over text its closed editor left waiting', async () => {
    service.updateText(uri(), typed('unsaved'));
    service.updateFromDisk(uri());
    await pause(400);
    assert.deepEqual(keys(), ['disk']);
  });
});

describe('requests right after typing', () => {
  it('see the latest text: hover, references, completion and rename', async () => {
    const root = tempProject({ 'keys.py': 'def w(request):\n    request.session["cart"] = 1\n' });
    const server = await startLanguageServer([root]);
    try {
      const views = path.join(root, 'views.py');
      const line = '    request.session["promo"] = request.session["cart"]';
      server.open(views, 'def r(request):\n    return 1\n');
      server.change(views, `def r(request):\n${line}\n`);
      const promo = line.indexOf('promo') + 1;
      const hover = await server.at<Hover | null>('textDocument/hover', views, 1, promo);
      assert.match(JSON.stringify(hover?.contents), /promo/);
      const references = await server.at<Location[]>('textDocument/references', views, 1, line.indexOf('cart') + 1, { context: { includeDeclaration: true } });
      assert.equal(references.length, 2);
      server.change(views, `def r(request):\n${line}\n    request.session["`);
      const completion = await server.at<CompletionList | CompletionItem[]>('textDocument/completion', views, 2, '    request.session["'.length);
      const labels = (Array.isArray(completion) ? completion : completion.items).map((item) => item.label);
      assert.ok(labels.includes('promo'), labels.join());
      server.change(views, `def r(request):\n${line.replace('"promo"', '"bonus"')}\n`);
      const prepared = await server.at<{ placeholder: string }>('textDocument/prepareRename', views, 1, promo);
      assert.equal(prepared.placeholder, 'bonus');
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
