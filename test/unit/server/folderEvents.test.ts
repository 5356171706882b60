import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileChangeType, WatchKind, type Location } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const SHOW = 'def show(request):\n    return request.session["cart"]\n';
const ADD = 'def add(request):\n    request.session["cart"] = 1\n    request.session["orphan"] = 1\n';

describe('folders deleted, moved or created in the workspace', () => {
  let root: string;
  let server: LanguageServer;
  const file = (name: string) => path.join(root, name);
  /** The codes published for a file, with the key each names. */
  const findings = (name: string) => (server.diagnostics.get(file(name)) ?? []).map((d) => `${String(d.code)} ${/'(\w+)'/.exec(String(d.message))?.[1]}`);
  const cartReferences = async () =>
    (await server.at<Location[]>('textDocument/references', file('shop/views.py'), 1, 29, { context: { includeDeclaration: true } })).map((l) => path.relative(root, fileURLToPath(l.uri))).sort();

  before(async () => {
    root = tempProject({ 'shop/views.py': SHOW, 'shop/cartapp/views.py': ADD });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('watches Python files and templates change, and creations and deletions of every path, so a folder event reaches the server once', () => {
    assert.deepEqual(server.watchers, [
      { globPattern: '**/*.py', kind: WatchKind.Change },
      { globPattern: '**/{templates,jinja2}/**/*.{html,htm,txt,xml,jinja,jinja2,j2,djhtml}', kind: WatchKind.Change },
      { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
    ]);
  });

  it('moves the index entries and findings of a renamed folder', async () => {
    await eventually(() => assert.deepEqual(findings('shop/cartapp/views.py'), ['DS102 orphan']));
    fs.renameSync(file('shop/cartapp'), file('shop/basket'));
    server.watched([
      [file('shop/cartapp'), FileChangeType.Deleted],
      [file('shop/basket'), FileChangeType.Created],
    ]);
    await eventually(() => assert.deepEqual(findings('shop/basket/views.py'), ['DS102 orphan']));
    // The old path's findings are cleared by a publication of their own, which may come after the new path's.
    await eventually(() => assert.deepEqual(findings('shop/cartapp/views.py'), []));
    assert.deepEqual(await cartReferences(), ['shop/basket/views.py', 'shop/views.py']);
  });

  it('forgets every file of a deleted folder', async () => {
    fs.rmSync(file('shop/basket'), { recursive: true });
    server.watched([[file('shop/basket'), FileChangeType.Deleted]]);
    await eventually(() => assert.deepEqual(findings('shop/views.py'), ['DS101 cart']));
    await eventually(() => assert.deepEqual(findings('shop/basket/views.py'), []));
    assert.deepEqual(await cartReferences(), ['shop/views.py']);
  });

  it('leaves out a created virtualenv, as the scan at start does', async () => {
    fs.mkdirSync(file('env311/lib'), { recursive: true });
    fs.writeFileSync(file('env311/pyvenv.cfg'), 'home = /usr/bin\n');
    fs.writeFileSync(file('env311/lib/views.py'), ADD);
    server.watched([[file('env311'), FileChangeType.Created]]);
    fs.mkdirSync(file('shop/cartapp'));
    fs.writeFileSync(file('shop/cartapp/views.py'), ADD);
    server.watched([[file('shop/cartapp'), FileChangeType.Created]]);
    await eventually(() => assert.deepEqual(findings('shop/cartapp/views.py'), ['DS102 orphan']));
    assert.deepEqual(await cartReferences(), ['shop/cartapp/views.py', 'shop/views.py']);
  });

  it('skips a FIFO named like a Python file instead of waiting for a writer, and keeps answering', async () => {
    const fifo = file('shop/pipe.py');
    execFileSync('mkfifo', [fifo]);
    // A writer waits at the FIFO, so a server that opened it would not hang this process (it runs
    // the server) but read a cart read from it and list the FIFO among the references.
    const writer = spawn('sh', ['-c', 'printf %s "$1" > "$2"', 'sh', SHOW, fifo], { stdio: 'ignore' });
    try {
      server.watched([[fifo, FileChangeType.Created]]);
      assert.deepEqual(await cartReferences(), ['shop/cartapp/views.py', 'shop/views.py']);
    } finally {
      writer.kill();
      fs.rmSync(fifo);
    }
  });
});
