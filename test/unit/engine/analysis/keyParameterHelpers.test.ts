import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexDirectory, lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';
import { copyFixtureWithSkippedDirs } from './fixtureCopy';
import { lintRow } from './lintRows';

type Row = [key: string, op: string, file: string, line: number, start: number, end: number];

describe('session keys passed through a helper’s key parameter', () => {
  let root: string;
  let index: SessionKeyIndex;
  const file = (relative: string) => path.join(root, relative);
  const original = (relative: string) => fs.readFileSync(path.join(fixtureProject('keyparams'), relative), 'utf8');
  /** Saves a file and re-indexes it, as the editor's file watcher does. */
  const save = (relative: string, text: string) => {
    fs.writeFileSync(file(relative), text);
    index.updateFile(file(relative), text);
  };

  beforeEach(async () => {
    root = copyFixtureWithSkippedDirs(fixtureProject('keyparams'));
    index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function rows(): Row[] {
    return index.usages().map((u) => [u.key, u.op, path.relative(root, u.file), u.range.start.line + 1, u.range.start.character, u.range.end.character]);
  }

  function lint(): ReturnType<typeof lintRow>[] {
    return lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).map((d) => lintRow(root, d));
  }

  it('counts each call’s key argument as the helper’s access, by position or keyword, literal or constant, imported or through the module, or a method through self', () => {
    assert.deepEqual(rows(), [
      ['cart', 'set', 'wizard/cart.py', 6, 20, 28],
      // stash(request.session, key="draft"): its session parameter is filled with a session, so the call's key is a usage.
      ['draft', 'set', 'wizard/cart.py', 7, 31, 38],
      ['draft', 'get', 'wizard/cart.py', 8, 31, 38],
      // recall(request, CART_KEY): the imported constant, named at the call.
      ['cart', 'get', 'wizard/cart.py', 12, 27, 35],
      // forget(request, "cart"): forget pops the key.
      ['cart', 'pop', 'wizard/cart.py', 17, 20, 26],
      // self.seen("wizard_step"): the method tests `key in self.request.session`.
      ['wizard_step', 'contains', 'wizard/classviews.py', 6, 25, 38],
      // current_step's own key is a literal; its `key` parameter keys nothing.
      ['wizard_step', 'get', 'wizard/helpers.py', 26, 31, 44],
      ['wizard_step', 'set', 'wizard/views.py', 9, 22, 35],
      ['cart', 'set', 'wizard/views.py', 10, 22, 30],
      ['coupon', 'set', 'wizard/views.py', 11, 22, 33],
      // recall(request, key="wizard_step") and helpers.recall(request, Keys.COUPON).
      ['wizard_step', 'get', 'wizard/views.py', 16, 34, 47],
      ['coupon', 'get', 'wizard/views.py', 17, 37, 48],
      ['wizard_stpe', 'get', 'wizard/views.py', 20, 27, 40],
    ]);
  });

  it('takes no key from a call of a function whose parameter keys no session access, nor from one whose key is a literal', () => {
    const keys = index.keys();
    assert.equal(keys.get('cart_total'), undefined, 'log_value(request, "cart_total") only logs its key');
    assert.equal(keys.get('not_a_key'), undefined, 'current_step reads "wizard_step" whatever its key');
  });

  it('keeps a helper’s access unresolved while one call passes a key not known statically, naming that call; the others are resolved', () => {
    assert.deepEqual(
      index.unresolved().map((u) => [u.op, path.relative(root, u.file), u.range.start.line + 1, u.reason]),
      [['pop', 'wizard/helpers.py', 13, "the key is the parameter 'key', and the call of forget() at wizard/cart.py:16 passes a key not known statically: the key is the parameter 'which'"]],
    );
  });

  it('lints keys written or read only through helpers as written and read, and a misspelt one at the call, with a did-you-mean fix there', () => {
    assert.deepEqual(lint(), [
      ['wizard/cart.py', 16, 20, 16, 26, 'DS106', 'information', "'cart' duplicates the constant CART_KEY (wizard/keys.py); use CART_KEY so the key is named in one place.", ['Use CART_KEY', ['wizard/cart.py', 16, 20, 16, 26, 'CART_KEY']]],
      ['wizard/views.py', 19, 27, 19, 40, 'DS101', 'warning', "Session key 'wizard_stpe' is read but never written in this project. Did you mean 'wizard_step'?", ["Change to 'wizard_step'", ['wizard/views.py', 19, 27, 19, 40, '"wizard_step"']]],
    ]);
  });

  it('re-counts the calls of an edited file, which never says "session"', () => {
    save('wizard/views.py', original('wizard/views.py').replace('"wizard_stpe"', '"wizard_step"'));
    assert.deepEqual(index.keys().get('wizard_stpe'), undefined);
    assert.deepEqual(lint().map((row) => row[5]), ['DS106']);
  });

  it('follows the file defining a helper: a renamed helper stops counting its calls, and a new one counts calls already indexed', () => {
    save('wizard/helpers.py', original('wizard/helpers.py').replace('def remember(', 'def keep('));
    assert.deepEqual(index.keys().get('coupon')?.map((u) => u.op), ['get'], 'remember(request, Keys.COUPON, …) calls no helper now');
    assert.match(lint().find((row) => row[5] === 'DS101' && row[7].includes("'coupon'"))?.[7] ?? '', /'coupon' is read but never written/);
    save('wizard/helpers.py', original('wizard/helpers.py').replace('logger.info("%s", key)', 'logger.session.pop(key)'));
    assert.deepEqual(
      rows().filter((row) => row[0] === 'cart_total'),
      [['cart_total', 'pop', 'wizard/views.py', 18, 23, 35]],
      'the call in views.py, analysed before log_value keyed a session, is searched again from the file on disk',
    );
  });

  it('searches an editor’s unsaved text, not the file on disk, when a new helper appears', () => {
    const caller = file('wizard/other.py');
    index.updateEditedFile(caller, 'from .helpers import log_value\n\n\ndef other(request):\n    return log_value(request, "unsaved")\n');
    save('wizard/helpers.py', original('wizard/helpers.py').replace('logger.info("%s", key)', 'logger.session.pop(key)'));
    assert.deepEqual(
      rows().filter((row) => row[0] === 'unsaved'),
      [['unsaved', 'pop', 'wizard/other.py', 5, 30, 39]],
    );
  });

  it('searches files indexed from a folder after the helpers are known, whose analyses could not look for them', async () => {
    assert.equal(index.keys().get('late')?.length, undefined);
    fs.writeFileSync(file('wizard/late.py'), 'from .helpers import recall\n\n\ndef late(request):\n    return recall(request, "late")\n');
    await indexDirectory(index, root);
    assert.deepEqual(rows().filter((row) => row[0] === 'late'), [['late', 'get', 'wizard/late.py', 5, 27, 33]]);
  });

  it('keeps a helper’s access unresolved, as the parameter, once the last call that told its key is gone', () => {
    index.removeFile(file('wizard/cart.py'));
    assert.deepEqual(index.unresolved().map((u) => [path.relative(root, u.file), u.range.start.line + 1, u.reason]), [['wizard/helpers.py', 13, "the key is the parameter 'key'"]]);
  });

  it('takes no key from the calls of a helper that binds its key parameter again before the access', async () => {
    const helpers = await SessionKeyIndex.create();
    helpers.addRoot('/proj');
    helpers.updateFile('/proj/keys.py', 'def recall(request, key):\n    key = "shop_" + key\n    return request.session.get(key)\n');
    helpers.updateFile('/proj/views.py', 'from keys import recall\n\n\ndef view(request):\n    return recall(request, "cart")\n');
    assert.deepEqual(helpers.usages(), []);
    assert.deepEqual(helpers.unresolved().map((u) => u.reason), ["the key is the parameter 'key'"]);
  });
});
