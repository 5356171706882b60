import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, TextEdit } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const root = '/proj';
const orders = '/proj/shop/orders.py';
const views = '/proj/shop/views.py';
const tests = '/proj/accounts/tests.py';
const ORDERS = ['def place(request):', '    request.session["order"] = 1', '    request.session["cart"] = []', ''].join('\n');
const TESTS = ['def login_as(request):', '    request.session["cart"] = []', '    request.session["fixture"] = 1', ''].join('\n');

/** What views.py is offered besides what it types itself. */
const OWN = ['cart · session key · written in 2 places', 'fixture · session key · written in 1 place', 'order · session key · written in 1 place'];

describe('session-key completion', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot(root);
    index.updateFile(orders, ORDERS);
    index.updateFile(tests, TESTS);
  });

  /** The items offered in views.py holding `text`, with the cursor after `typed`, as `label · detail`. */
  const offered = (text: string, typed: string) => {
    index.updateEditedFile(views, text);
    const { line, character } = positionOf(text, typed, typed.length);
    const document = TextDocument.create(`file://${views}`, 'python', 1, text);
    return completeSessionKeys(index, document, views, line, character, root)?.items.map((i) => `${i.label} · ${i.detail}`).sort();
  };

  it('ranks a key last only when every write of it is in a test, wherever the tests sort among the files', () => {
    const text = 'def f(request):\n    request.session[""]\n';
    index.updateEditedFile(views, text);
    const document = TextDocument.create(`file://${views}`, 'python', 1, text);
    const ranked = completeSessionKeys(index, document, views, 1, 21, root)?.items.map((i) => `${i.sortText} ${i.label}`).sort();
    assert.deepEqual(ranked, ['0cart cart', '0order order', '1fixture fixture']);
  });

  it('leaves out the key being typed, which the index already holds as a write', () => {
    assert.deepEqual(offered('def f(request):\n    request.session["ord"] = 5\n', '["ord'), OWN);
  });

  it('does not count the access being typed among the places a key is written', () => {
    assert.deepEqual(offered('def f(request):\n    request.session["cart"] = 5\n', '["ca'), OWN);
  });

  it('offers a key whose only write stood where the cursor is in the text before the line being typed, which does not parse yet', () => {
    const wrote = 'def add(request):\n    request.session["basket"] = 1\n';
    index.updateFile(views, wrote);
    const typing = 'def add(request):\n    request.session["\n    request.session["basket"] = 1\n';
    index.updateEditedFile(views, typing);
    assert.equal(index.isHeldBack(views), true);
    const offered = completeSessionKeys(index, TextDocument.create(`file://${views}`, 'python', 1, typing), views, 1, 21, root)?.items.map((i) => i.label);
    assert.ok(offered?.includes('basket'), `basket offered, got ${offered?.join(', ')}`);
    index.updateFile(views, '');
  });

  it('offers no empty key for an empty literal being typed in setdefault() or update()', () => {
    assert.deepEqual(offered("def f(request):\n    request.session.setdefault('', 1)\n", "setdefault('"), OWN);
    assert.deepEqual(offered("def f(request):\n    request.session.update({'': 1})\n", "update({'"), OWN);
  });
});

describe('session-key completion as the literal reads it', () => {
  let workspace: string;
  let server: LanguageServer;
  const views = () => path.join(workspace, 'shop/views.py');
  const WRITES = ['def add(request):', "    request.session['cart'] = 1", '    request.session["it\'s"] = 1', "    request.session[r'a\\b'] = 1", "    request.session['{id}'] = 1", ''].join('\n');

  before(async () => {
    workspace = tempProject({ 'shop/__init__.py': '', 'shop/writes.py': WRITES, 'shop/views.py': '' });
    server = await startLanguageServer([workspace]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** The edits the items offered in views.py holding `text` make at the cursor after `typed`, as `label → newText`, after typing `trigger`. */
  const edits = async (text: string, typed: string, trigger: string) => {
    server.change(views(), text);
    const { line, character } = positionOf(text, typed, typed.length);
    const list = await server.at<CompletionList | null>('textDocument/completion', views(), line, character, { context: { triggerKind: 2, triggerCharacter: trigger } });
    return list && list.items.map((item) => `${item.label} → ${(item.textEdit as TextEdit).newText}`).sort();
  };

  it('answers as [ and ( are typed, with each key as a whole literal in the quote the file uses', async () => {
    server.open(views(), '');
    assert.deepEqual(server.capabilities.completionProvider?.triggerCharacters, ["'", '"', '[', '(']);
    assert.deepEqual(await edits("def f(request):\n    x = 'a'\n    return request.session[]\n", 'session[', '['), ["a\\b → 'a\\\\b'", "cart → 'cart'", "it's → 'it\\'s'", '{id} → \'{id}\'']);
    assert.deepEqual(await edits('def f(request):\n    return request.session.get()\n', 'get(', '('), ['a\\b → "a\\\\b"', 'cart → "cart"', 'it\'s → "it\'s"', '{id} → "{id}"']);
    assert.equal(await edits('def f(request):\n    return print()\n', 'print(', '('), null);
  });

  it("escapes what the literal being typed cannot hold as it is, and leaves out what a raw literal cannot hold", async () => {
    assert.deepEqual(await edits("def f(request):\n    return request.session['']\n", "session['", "'"), ['a\\b → a\\\\b', 'cart → cart', "it's → it\\'s", '{id} → {id}']);
    assert.deepEqual(await edits("def f(request):\n    return request.session[r'']\n", "session[r'", "'"), ['a\\b → a\\b', 'cart → cart', '{id} → {id}']);
    assert.deepEqual(await edits('def f(request):\n    return request.session[f""]\n', 'session[f"', '"'), ['a\\b → a\\\\b', 'cart → cart', "it's → it's", '{id} → {{id}}']);
    assert.equal(await edits("def f(request):\n    return request.session[b'']\n", "session[b'", "'"), null);
  });
});
