import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

describe('a constant bound to another name', () => {
  it("resolves through the name or member it is bound to, in parsed and unparsed modules (Read the Docs' SESSION_KEY = Middleware.SESSION_KEY)", async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/middleware.py': 'class FirstTouchAttributionMiddleware:\n    SESSION_KEY = "attribution"\n\n    def __call__(self, request):\n        request.session[self.SESSION_KEY] = {}\n',
      'app/keys.py': 'CART = "cart"\nBASKET = CART  # an alias in a module that never says session\n',
      'app/signals.py': [
        'from app.keys import BASKET',
        'from app.middleware import FirstTouchAttributionMiddleware',
        '',
        'SESSION_KEY = FirstTouchAttributionMiddleware.SESSION_KEY',
        'ATTRIBUTION = "attribution"',
        'ALIAS = ATTRIBUTION',
        'LOOP_A = LOOP_B',
        'LOOP_B = LOOP_A',
        'MISSING = Nowhere.KEY',
        '',
        'def read(request):',
        '    return request.session.pop(SESSION_KEY, None), request.session.get(ALIAS), request.session[BASKET], request.session[LOOP_A], request.session[MISSING]',
        '',
      ].join('\n'),
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    const signals = path.join(root, 'app', 'signals.py');
    assert.deepEqual(index.usages().filter((u) => u.file === signals).map((u) => `${u.op} ${u.key}`), ['pop attribution', 'get attribution', 'read cart']);
    assert.deepEqual(
      index.unresolved().map((u) => u.reason),
      [
        'the key is the constant LOOP_A (app/signals.py:7), bound to LOOP_B: LOOP_B starts a chain of names too long to follow (one that names itself again?)',
        "the key is the constant MISSING (app/signals.py:9), bound to Nowhere.KEY: 'Nowhere.KEY' is not a constant the scanner can find",
      ],
    );
  });
});
