import * as assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ResponseError, type WorkspaceEdit } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { sessionKeyReferences } from '../../../server/src/navigation';
import { prepareSessionKeyRename, renameSessionKey } from '../../../server/src/rename';
import type { StoredUnderKey } from '../../../server/src/storedUnderKey';
import { positionOf } from './positionOf';

const keys = '/proj/shop/keys.py';
const views = '/proj/shop/views.py';

/** A project of the given files, and what renaming the key at a needle in views.py makes of them. */
async function project(files: Record<string, string>) {
  const index = await SessionKeyIndex.create();
  index.addRoot('/proj');
  for (const [file, source] of Object.entries(files)) index.updateFile(file, source);
  const text = (file: string) => files[file];
  const at = (needle: string, offset = 1) => positionOf(files[views]!, needle, offset);
  return {
    index,
    prepare: (needle: string, offset?: number, installedApps?: readonly string[]) => {
      const p = at(needle, offset);
      return prepareSessionKeyRename(index, text, views, p.line, p.character, installedApps);
    },
    /** The files' texts after the rename, or the refusal. */
    rename: (needle: string, newKey: string, installedApps?: readonly string[], offset?: number): Record<string, string> | ResponseError<void> | undefined => {
      const p = at(needle, offset);
      const edit = renameSessionKey(index, text, views, p.line, p.character, newKey, { installedApps });
      if (edit === undefined || edit instanceof ResponseError) return edit;
      const renamed = { ...files };
      for (const [uri, edits] of Object.entries(edit.changes!)) {
        const file = fileURLToPath(uri);
        renamed[file] = TextDocument.applyEdits(TextDocument.create(uri, 'python', 0, files[file]!), edits);
      }
      return renamed;
    },
    /** The edit a rename makes in an editor that confirms marked edits. */
    renameConfirmed: (needle: string, newKey: string, stored?: StoredUnderKey[]): WorkspaceEdit | ResponseError<void> | undefined => {
      const p = at(needle);
      return renameSessionKey(index, text, views, p.line, p.character, newKey, { confirmsEdits: true, stored });
    },
  };
}

/** The keys an index of the files reads, each with how many accesses use it. */
async function keyCounts(files: Record<string, string>): Promise<Record<string, number>> {
  const index = await SessionKeyIndex.create();
  index.addRoot('/proj');
  for (const [file, source] of Object.entries(files)) index.updateFile(file, source);
  return Object.fromEntries([...index.keys()].map(([key, usages]) => [key, usages.length]));
}

describe('session-key rename', () => {
  const files = {
    [keys]: ['CART = """cart"""', 'ESC = "caf\\u00e9"', 'class Keys:', "    LATER = r'cart'", ''].join('\n'),
    [views]: [
      'from shop.keys import CART, ESC, Keys',
      'def add(request):',
      "    request.session['cart'] = {}",
      '    request.session.update(cart=1, other=2)',
      "    k = 'cart'",
      '    request.session[k] = 3',
      '    request.session.get(k)',
      "    request.session[CART]['n'] = 1",
      "    request.session[f'cart'] = 2",
      '    request.session[ESC] = 1',
      "    return request.session.get('café')",
      'class Later(Keys):',
      '    def get(self, request):',
      '        return request.session[self.LATER]',
      '',
    ].join('\n'),
  };

  it('renames every spelling: literals, update() keywords, the literal a local was assigned, and constants of any quoting', async () => {
    const renamed = (await project(files)).rename("'cart'", 'basket') as Record<string, string>;
    assert.equal(renamed[keys], ['CART = """basket"""', 'ESC = "caf\\u00e9"', 'class Keys:', "    LATER = r'basket'", ''].join('\n'));
    assert.deepEqual(renamed[views]!.split('\n').slice(2, 9), [
      "    request.session['basket'] = {}",
      '    request.session.update(basket=1, other=2)',
      "    k = 'basket'",
      '    request.session[k] = 3',
      '    request.session.get(k)',
      "    request.session[CART]['n'] = 1",
      "    request.session[f'basket'] = 2",
    ]);
    const { cart, ...others } = await keyCounts(files);
    assert.deepEqual(await keyCounts(renamed), { ...others, basket: cart }, 'every access of the key now reads the new one');
  });

  it('rewrites a constant whose literal has escapes', async () => {
    const renamed = (await project(files)).rename("'café'", 'coffee') as Record<string, string>;
    assert.equal(renamed[keys]!.split('\n')[1], 'ESC = "coffee"');
    assert.equal(renamed[views]!.split('\n')[10], "    return request.session.get('coffee')");
  });

  it('refuses a name an update() keyword cannot take, naming the call, and edits nothing', async () => {
    const refused = (await project(files)).rename("'cart'", 'my-cart');
    assert.ok(refused instanceof ResponseError);
    assert.match(refused.message, /"my-cart" cannot be the keyword argument of update\(\) at \/proj\/shop\/views\.py:4/);
    assert.ok((await project(files)).rename("'cart'", 'class') instanceof ResponseError);
  });

  it('refuses a key an f-string puts together from a constant, showing how it is written there', async () => {
    const composed = { [views]: 'PREFIX = "shop"\ndef add(request):\n    request.session[f"{PREFIX}_filter"] = 1\n    return request.session["shop_filter"]\n' };
    const refused = (await project(composed)).rename('"shop_filter"', 'shop_filters');
    assert.ok(refused instanceof ResponseError);
    assert.equal(refused.message, 'Cannot rename "shop_filter": the key at /proj/shop/views.py:3 is written as f"{PREFIX}_filter", which no single literal or constant spells: a rename cannot rewrite it.');
  });

  it("doubles braces in an f-string, so the key reads back as the new name", async () => {
    const braces = { [views]: "def add(request):\n    request.session[f'cart'] = 1\n    return request.session['cart']\n" };
    const renamed = (await project(braces)).rename("'cart'", 'a{b}') as Record<string, string>;
    assert.equal(renamed[views], "def add(request):\n    request.session[f'a{{b}}'] = 1\n    return request.session['a{b}']\n");
    assert.deepEqual(await keyCounts(renamed), { 'a{b}': 2 });
  });

  it('refuses, in prepare and in rename, a key spelled by adjacent literals, naming where', async () => {
    const split = {
      [keys]: 'SPLIT = "ca" "rt2"\n',
      [views]: 'from shop.keys import SPLIT\ndef add(request):\n    request.session["cart2"] = 1\n    return request.session[SPLIT]\n',
    };
    const p = await project(split);
    for (const refused of [p.prepare('"cart2"'), p.rename('"cart2"', 'basket2')]) {
      assert.ok(refused instanceof ResponseError);
      assert.match(refused.message, /adjacent string literals at \/proj\/shop\/keys\.py:1/);
    }
  });

  it('offers the literal or update() keyword under the cursor, and leaves a name (a local, a constant) to the Python language server', async () => {
    const p = await project(files);
    const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
    assert.deepEqual(p.prepare("'cart'"), { range: range(2, 21, 25), placeholder: 'cart' });
    assert.deepEqual(p.prepare('update(cart', 7), { range: range(3, 27, 31), placeholder: 'cart' });
    // F2 on an identifier means the identifier: renaming the stored key from it would rewrite a string instead.
    for (const name of ['[k]', '[CART]', '[self.LATER', '[ESC]']) {
      assert.equal(p.prepare(name, name.startsWith('[self') ? 6 : 1), undefined, name);
      assert.equal(p.rename(name, 'basket', undefined, name.startsWith('[self') ? 6 : 1), undefined, name);
    }
  });

  it('refuses a key an installed third-party app uses by name, and renames it where that app is not installed', async () => {
    const hijack = { [views]: "def back(request):\n    return request.session.get('hijack_history', [])\n" };
    const p = await project(hijack);
    const message = '"hijack_history" is used by django-hijack (hijack) under that name; renaming it would break that.';
    for (const refused of [p.prepare("'hijack_history'", 1, ['hijack.apps.HijackConfig']), p.rename("'hijack_history'", 'history', ['hijack']), p.rename("'hijack_history'", 'history')]) {
      assert.ok(refused instanceof ResponseError);
      assert.equal(refused.message, message);
    }
    const renamed = p.rename("'hijack_history'", 'history', ['django.contrib.sessions']) as Record<string, string>;
    assert.equal(renamed[views], "def back(request):\n    return request.session.get('history', [])\n");
  });

  it("refuses a key built on a third-party app's prefix (formtools' wizard storage)", async () => {
    const wizard = { [views]: "def step(request):\n    return request.session.get('wizard_checkout')\n" };
    const refused = (await project(wizard)).rename("'wizard_checkout'", 'checkout', ['formtools']);
    assert.ok(refused instanceof ResponseError);
    assert.equal(refused.message, '"wizard_checkout" is used by django-formtools (formtools) under that name; renaming it would break that.');
  });

  it("refuses only the keys of the project's wizard classes once its code defines some, so its own wizard_ keys rename", async () => {
    const wizard = {
      [views]: [
        'from formtools.wizard.views import SessionWizardView',
        'class CheckoutWizard(SessionWizardView):',
        '    pass',
        'def step(request):',
        "    request.session['wizard_data'] = 1",
        "    return request.session.get('wizard_checkout_wizard'), request.session['wizard_data']",
        '',
      ].join('\n'),
    };
    const p = await project(wizard);
    const refused = p.rename("'wizard_checkout_wizard'", 'checkout', ['formtools']);
    assert.ok(refused instanceof ResponseError);
    assert.equal(refused.message, '"wizard_checkout_wizard" is used by django-formtools (formtools) under that name; renaming it would break that.');
    const renamed = p.rename("'wizard_data'", 'draft', ['formtools']) as Record<string, string>;
    assert.match(renamed[views]!, /request\.session\['draft'\] = 1/);
  });
});

describe('session-key rename and references at the calls of a helper whose key is a parameter', () => {
  const helpers = '/proj/shop/helpers.py';
  const files = {
    [helpers]: 'def remember(request, key, value):\n    request.session[key] = value\n',
    [views]: [
      'from shop.helpers import remember',
      'def start(request):',
      "    remember(request, 'step', 1)",
      "    remember(request, key='step', value=2)",
      'def show(request):',
      "    return request.session['step']",
      '',
    ].join('\n'),
  };

  it('renames the key in the literals passed to the helper, as in the direct access', async () => {
    const renamed = (await project(files)).rename("['step'", 'wizard_step') as Record<string, string>;
    assert.equal(renamed[helpers], files[helpers], 'the helper keeps its parameter');
    assert.deepEqual(renamed[views]!.split('\n').slice(2, 6), [
      "    remember(request, 'wizard_step', 1)",
      "    remember(request, key='wizard_step', value=2)",
      'def show(request):',
      "    return request.session['wizard_step']",
    ]);
    assert.deepEqual(await keyCounts(renamed), { wizard_step: 3 });
  });

  it('offers the literal at a call for rename, and lists the calls among the references', async () => {
    const p = await project(files);
    assert.deepEqual(p.prepare("'step'"), { range: { start: { line: 2, character: 23 }, end: { line: 2, character: 27 } }, placeholder: 'step' });
    const call = positionOf(files[views], "key='step'", 5);
    const references = sessionKeyReferences(p.index, views, call.line, call.character)?.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character]);
    assert.deepEqual(references, [[2, 22, 28], [3, 26, 32], [5, 27, 33]]);
  });

});

describe('session-key rename to a name already taken', () => {
  const merging = {
    [views]: ['def add(request):', "    request.session['cart'] = {}", "    request.session['basket'] = 1", "    return request.session['curency'], request.session['currency']", ''].join('\n'),
  };

  it("refuses a new name that is Django's own key or an installed app's, and asks before merging into a key the project already uses", async () => {
    const p = await project(merging);
    const django = p.rename("'cart'", '_auth_user_id');
    assert.ok(django instanceof ResponseError);
    assert.equal(django.message, '"_auth_user_id" is Django\'s own session key (django.contrib.auth.login); a key renamed to it would overwrite Django\'s value.');
    assert.ok(p.rename("'cart'", '_session_expiry') instanceof ResponseError);
    const app = p.rename("'cart'", 'hijack_history', ['hijack']);
    assert.ok(app instanceof ResponseError && /is used by django-hijack/.test(app.message), String(app));
    const unconfirmed = p.rename("'cart'", 'basket');
    assert.ok(unconfirmed instanceof ResponseError);
    assert.equal(unconfirmed.message, '"basket" is already a session key of this project (1 place): renaming "cart" to it would make the two one key.');
    // A misspelt key renamed to the one meant: edits the editor applies once the user confirms the merge.
    const merge = p.renameConfirmed("'curency'", 'currency') as WorkspaceEdit;
    assert.deepEqual(merge.changeAnnotations, {
      confirmed: { label: 'Merge "curency" into "currency"', needsConfirmation: true, description: '"currency" is already a session key of this project (1 place); after the rename both are one key.' },
    });
    assert.deepEqual(
      merge.documentChanges!.map((change) => ('edits' in change ? change.edits.map((edit) => ['newText' in edit ? edit.newText : undefined, 'annotationId' in edit ? edit.annotationId : undefined]) : [])),
      [[['currency', 'confirmed']]],
    );
    assert.ok(!(p.renameConfirmed("'cart'", 'cart') instanceof ResponseError), 'a name kept as it is merges nothing');
  });

  it('asks before a rename that leaves values behind in stored sessions, saying how many and where', async () => {
    const p = await project(merging);
    const stored = [
      { store: 'db · SQLite · db.sqlite3', holding: 3, complete: true, read: 10 },
      { store: 'cache · Redis · 127.0.0.1:6379', holding: 1, complete: false, read: 2000 },
    ];
    const edit = p.renameConfirmed("'cart'", 'trolley', stored) as WorkspaceEdit;
    assert.deepEqual(edit.changeAnnotations, {
      confirmed: {
        label: '"cart" is in at least 4 stored sessions',
        needsConfirmation: true,
        description:
          'By store: at least 3 in db · SQLite · db.sqlite3, 1 in cache · Redis · 127.0.0.1:6379. After the rename Django looks for "trolley" in them and finds nothing, so their users lose that value until it is set again. To keep it, read "cart" as a fallback for a while, or move the stored values over.',
      },
    });
    assert.ok(edit.documentChanges!.every((change) => 'edits' in change && change.edits.every((e) => 'annotationId' in e && e.annotationId === 'confirmed')));
    // Both at once: one confirmation that names both.
    const both = p.renameConfirmed("'curency'", 'currency', [{ store: 'db · SQLite · db.sqlite3', holding: 1, complete: true, read: 1 }]) as WorkspaceEdit;
    assert.equal(both.changeAnnotations!.confirmed!.label, 'Merge "curency" into "currency"; "curency" is in 1 stored session');
    // A search cut short that found none yet still asks, saying how far it read.
    const unknown = p.renameConfirmed("'cart'", 'trolley', [{ store: 'db · SQLite · db.sqlite3', holding: 0, complete: false, read: 8000 }]) as WorkspaceEdit;
    assert.deepEqual(unknown.changeAnnotations!.confirmed, {
      label: '"cart" may be in stored sessions',
      needsConfirmation: true,
      description:
        'Only part of the stores could be read in the time a rename waits (8000 sessions of db · SQLite · db.sqlite3), and none of those hold "cart"; the others may. After the rename Django looks for "trolley" in them and finds nothing, so their users lose that value until it is set again. To keep it, read "cart" as a fallback for a while, or move the stored values over.',
    });
    // Nothing stored, or an editor that cannot ask: the plain rename.
    assert.ok((p.renameConfirmed("'cart'", 'trolley', []) as WorkspaceEdit).changes);
    const p2 = p.rename("'cart'", 'trolley');
    assert.ok(!(p2 instanceof ResponseError));
  });
});

describe('renaming a key spelled many times in a file', () => {
  it('checks and reads each file once, not once per place the key is spelled', async () => {
    const source = `def view(request):\n${'    request.session["cart"] = request.session.get("cart", 0)\n'.repeat(200)}`;
    const other = 'def other(request):\n    return request.session["cart"]\n';
    const files: Record<string, string> = { [views]: source, [keys]: other };
    const index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    for (const [file, text] of Object.entries(files)) index.updateFile(file, text);
    const reads = new Map<string, number>();
    const text = (file: string) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return files[file];
    };
    const checks = new Map<string, number>();
    const unsafeToEdit = (file: string) => void checks.set(file, (checks.get(file) ?? 0) + 1);
    assert.deepEqual(prepareSessionKeyRename(index, text, views, 1, 22, undefined, unsafeToEdit), { range: { start: { line: 1, character: 21 }, end: { line: 1, character: 25 } }, placeholder: 'cart' });
    const edit = renameSessionKey(index, text, views, 1, 22, 'basket', { unsafeToEdit });
    assert.ok(edit && !(edit instanceof ResponseError));
    const renamed = TextDocument.applyEdits(TextDocument.create('', 'python', 0, source), Object.entries(edit.changes!).find(([uri]) => fileURLToPath(uri) === views)![1]);
    assert.equal(renamed, source.replaceAll('"cart"', '"basket"'));
    assert.deepEqual(Object.fromEntries(reads), { [views]: 2, [keys]: 2 }, 'once by each of prepareRename and rename');
    assert.deepEqual(Object.fromEntries(checks), { [views]: 2, [keys]: 2 });
  });
});
