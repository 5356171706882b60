import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';
import { positionOf } from './positionOf';

const root = '/proj';
const orders = '/proj/shop/orders.py';
const views = '/proj/shop/views.py';
const ORDERS = ['def place(request):', '    request.session["order"] = 1', '    request.session["cart"] = []', ''].join('\n');

describe('session-key completion', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot(root);
    index.updateFile(orders, ORDERS);
  });

  /** The items offered in views.py holding `text`, with the cursor after `typed`, as `label · detail`. */
  const offered = (text: string, typed: string) => {
    index.updateEditedFile(views, text);
    const { line, character } = positionOf(text, typed, typed.length);
    const document = TextDocument.create(`file://${views}`, 'python', 1, text);
    return completeSessionKeys(index, document, views, line, character, root)?.items.map((i) => `${i.label} · ${i.detail}`).sort();
  };

  it('leaves out the key being typed, which the index already holds as a write', () => {
    assert.deepEqual(offered('def f(request):\n    request.session["ord"] = 5\n', '["ord'), ['cart · session key · written in 1 place', 'order · session key · written in 1 place']);
  });

  it('does not count the access being typed among the places a key is written', () => {
    assert.deepEqual(offered('def f(request):\n    request.session["cart"] = 5\n', '["ca'), ['cart · session key · written in 1 place', 'order · session key · written in 1 place']);
  });

  it('offers no empty key for an empty literal being typed in setdefault() or update()', () => {
    const own = ['cart · session key · written in 1 place', 'order · session key · written in 1 place'];
    assert.deepEqual(offered("def f(request):\n    request.session.setdefault('', 1)\n", "setdefault('"), own);
    assert.deepEqual(offered("def f(request):\n    request.session.update({'': 1})\n", "update({'"), own);
  });
});
