import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintSessionKeys, scanJson, scanProject, SessionKeyIndex } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

const VIEW = [
  'STEP = 5',
  '',
  'def view(request):',
  '    request.session[7] = 1',
  '    request.session.get(True)',
  '    if None in request.session:',
  '        request.session.pop(-2, None)',
  '    request.session.update({1.5: "x", "cart": 1})',
  '    request.session[STEP] = 1',
  '    request.session["7"] = 1',
  '    request.session[2j] = 1',
  '',
].join('\n');

async function lint(serializer: 'json' | 'pickle'): Promise<{ line: number; message: string; fix?: string }[]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', VIEW);
  return lintSessionKeys(index, { serializer, saveEveryRequest: false })
    .filter((d) => d.code === 'DS108')
    .map((d) => ({ line: d.range.start.line, message: d.message, fix: d.fix?.edits[0]?.newText }));
}

describe('DS108: a session key that is not a str', () => {
  it('reports int, float, bool and None literal keys under JSONSerializer, each with the str key JSON saves and a fix to it', async () => {
    const found = await lint('json');
    assert.deepEqual(
      found.map((d) => [d.line, d.fix]),
      [
        [3, '"7"'],
        [4, '"true"'],
        [5, '"null"'],
        [6, '"-2"'],
        [7, '"1.5"'],
      ],
    );
    assert.equal(
      found[0]!.message,
      "Session key 7 is not a str but an int: JSONSerializer saves it as the key '7', so from the next request on, 7 no longer finds the value (KeyError, or None from get()); use the str '7'.",
    );
    assert.match(found[2]!.message, /^Session key None is not a str but None:/);
  });

  it("takes a write keyed by such a literal as a write of the str JSON saves it under, so reading that str is no DS101 under JSON, and is one under pickle", async () => {
    const ds101 = async (serializer: 'json' | 'pickle') => {
      const index = await SessionKeyIndex.create();
      index.updateFile('/p/shop/views.py', 'def view(request):\n    request.session[5] = "x"\n    return request.session.get("5")\n');
      return lintSessionKeys(index, { serializer, saveEveryRequest: false }).filter((d) => d.code === 'DS101').map((d) => d.range.start.line);
    };
    assert.deepEqual(await ds101('json'), []);
    assert.deepEqual(await ds101('pickle'), [2]);
  });

  it('are known keys, not dynamic ones that DS101 and DS102 say could be any key; scan names the literal', async () => {
    const views = 'def view(request, name):\n    request.session[5] = "x"\n    request.session.get(None)\n    request.session["wishlist"] = 1\n    return request.session.get("wishlst")\n';
    const messages = async (serializer: 'json' | 'pickle', text: string) => {
      const index = await SessionKeyIndex.create();
      index.updateFile('/p/shop/views.py', text);
      return lintSessionKeys(index, { serializer, saveEveryRequest: false }).filter((d) => d.code === 'DS101' || d.code === 'DS102').map((d) => d.message);
    };
    for (const serializer of ['json', 'pickle'] as const) {
      assert.deepEqual(await messages(serializer, views), [
        "Session key 'wishlist' is written but never read in this project; read it where it is needed or stop storing it.",
        "Session key 'wishlst' is read but never written in this project. Did you mean 'wishlist'?",
      ]);
    }
    const dynamic = await messages('json', views.replace('request.session[5]', 'request.session[name]'));
    assert.match(dynamic[1]!, /\(1 write with a dynamic key could also set it\)/, 'a key only known at run time still could be it');
    const root = tempProject({ 'shop/views.py': views });
    try {
      const scanned = scanJson(await scanProject(root, { env: {} }), root);
      assert.deepEqual(
        (scanned.unresolved as { line: number; reason: string; non_str_key?: string }[]).map((u) => [u.line, u.non_str_key, u.reason]),
        [
          [2, '5', 'the key is an int (5), not a str'],
          [3, 'None', 'the key is None, not a str'],
        ],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a bytes key, which JSONSerializer refuses: an error where it is written, since saving raises TypeError, with a fix to the str of its characters', async () => {
    const index = await SessionKeyIndex.create();
    const view = "def view(request):\n    request.session[b'cart'] = 1\n    request.session.get(RB\"a\\d\")\n    return b'cart' in request.session\n";
    index.updateFile('/p/shop/views.py', view);
    const found = (serializer: 'json' | 'pickle') =>
      lintSessionKeys(index, { serializer, saveEveryRequest: false })
        .filter((d) => d.code === 'DS108')
        .map((d) => [d.range.start.line, d.severity, d.message, d.fix?.edits[0]?.newText]);
    assert.deepEqual(found('json'), [
      [1, 'error', "Session key b'cart' is not a str but bytes, which JSONSerializer cannot save as a key: saving the session then raises TypeError; use the str 'cart'.", "'cart'"],
      [2, 'warning', 'Session key RB"a\\d" is not a str but bytes, which JSONSerializer cannot save as a key: no session holds it, so this finds nothing; use a str key.', undefined],
      [3, 'warning', "Session key b'cart' is not a str but bytes, which JSONSerializer cannot save as a key: no session holds it, so this finds nothing; use the str 'cart'.", "'cart'"],
    ]);
    assert.deepEqual(found('pickle'), []);
    assert.deepEqual(index.unresolved().map((u) => [u.range.start.line, u.reason, u.nonStr]), [
      [1, "the key is bytes (b'cart'), not a str", "b'cart'"],
      [2, 'the key is bytes (RB"a\\d"), not a str', 'RB"a\\d"'],
      [3, "the key is bytes (b'cart'), not a str", "b'cart'"],
    ]);
  });

  it('leaves them alone under PickleSerializer, which keeps any hashable key', async () => {
    assert.deepEqual(await lint('pickle'), []);
  });

  it('keeps such keys unresolved in the index, saying what they are; a constant bound to one says it is no str literal', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', VIEW);
    assert.deepEqual(
      index.unresolved().map((u) => `${u.range.start.line} ${u.reason}`),
      [
        '3 the key is an int (7), not a str',
        '4 the key is a bool (True), not a str',
        '5 the key is None, not a str',
        '6 the key is an int (-2), not a str',
        '7 the key is a float (1.5), not a str',
        "8 the key is the constant STEP (/p/shop/views.py:1), bound to something other than a str literal",
        '10 the key is computed (integer)',
      ],
    );
  });
});
