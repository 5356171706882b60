import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

describe('a key put together from constants', () => {
  it('resolves f-strings and + over literals and constants, at the access and in module constants, parsed or not', async () => {
    const root = tempProject({
      'shop/__init__.py': '',
      // A constants module that never says session is read without parsing unless a line may compose.
      'shop/keys.py': 'PREFIX = "shop"\nCART = PREFIX + "_cart"\nSTEP = f"{PREFIX}_step"\nNESTED = f"{CART}:" + STEP\n',
      'shop/views.py': [
        'from shop import keys',
        'from shop.keys import CART, PREFIX, STEP, NESTED',
        'from django.contrib.auth import SESSION_KEY',
        '',
        'LOCAL = PREFIX + "_local"',
        '',
        'class Wizard:',
        '    NAME = "wizard"',
        '',
        '    def post(self, request):',
        '        request.session[f"{self.NAME}_data"] = {}',
        '',
        'def view(request, pk):',
        '    key = f"{PREFIX}_seen"',
        '    request.session[CART] = 1',
        '    request.session.get(STEP)',
        '    request.session[f"{keys.PREFIX}_theme"] = "dark"',
        '    request.session[PREFIX + "_" + "coupon"] = None',
        '    request.session[key] = True',
        '    request.session.pop(NESTED, None)',
        '    request.session[LOCAL] = 2',
        '    request.session[("x_" + PREFIX)] = 3',
        '    request.session[f"{SESSION_KEY}_copy"] = 4',
        '    request.session[f"{PREFIX}_{pk}"] = 5',
        '    request.session[f"{PREFIX!r}"] = 6',
        '    request.session[f"{PREFIX:>8}"] = 7',
        '    request.session[f"{MISSING}_x"] = 8',
        '    request.session[PREFIX + pk] = 9',
        '',
      ].join('\n'),
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    const views = path.join(root, 'shop', 'views.py');
    assert.deepEqual(
      index.usages().filter((u) => u.file === views).map((u) => `${u.range.start.line + 1} ${u.op} ${u.key}`),
      [
        '11 set wizard_data',
        '15 set shop_cart',
        '16 get shop_step',
        '17 set shop_theme',
        '18 set shop_coupon',
        '19 set shop_seen',
        '20 pop shop_cart:shop_step',
        '21 set shop_local',
        '22 set x_shop',
        '23 set _auth_user_id_copy',
      ],
    );
    assert.deepEqual(
      index.unresolved().map((u) => [u.range.start.line + 1, u.reason, u.prefix]),
      [
        [24, 'the key is an f-string with placeholders', undefined],
        [25, 'the key is an f-string with placeholders', undefined],
        [26, 'the key is an f-string with placeholders', undefined],
        [27, "the key is built from MISSING: 'MISSING' is not a str constant the scanner can find", undefined],
        [28, 'the key is computed (binary operator)', undefined],
      ],
    );
  });

  it('says which constant and piece cannot be told, and stops at a composition that names itself', async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/views.py': [
        'import os',
        'BASE = os.environ["KEY_BASE"]',
        'KEY = BASE + "_cart"',
        'LOOP = LOOP + "x"',
        '',
        'def view(request):',
        '    request.session[KEY] = 1',
        '    request.session[LOOP] = 2',
        '',
      ].join('\n'),
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    assert.deepEqual(index.usages(), []);
    assert.deepEqual(
      index.unresolved().map((u) => u.reason),
      [
        // The innermost constant says why, as for a constant bound to another name.
        'the key is the constant BASE (app/views.py:2), bound to something other than a str literal',
        'the key is the constant LOOP (app/views.py:4), built from LOOP: LOOP starts a chain of names too long to follow (one that names itself again?)',
      ],
    );
  });

  it('makes one key per literal a loop variable takes, where a composition names one', async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/views.py': [
        'FILTERS = ("q", "sort")',
        'PREFIX = "pref_"',
        '',
        'def save_filters(request):',
        '    for name in FILTERS:',
        '        request.session[f"filter_{name}"] = request.GET.get(name)',
        '    for name in ("a", "b"):',
        '        request.session[PREFIX + name] = 1',
        '    for name in request.GET:',
        '        request.session[f"x_{name}"] = 2',
        '',
        'def list_view(request):',
        '    return request.session.get("filter_q"), request.session.get("pref_a")',
        '',
      ].join('\n'),
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    assert.deepEqual(
      index.usages().map((u) => `${u.range.start.line + 1}:${u.range.start.character} ${u.op} ${u.key}`),
      ['6:24 set filter_q', '6:24 set filter_sort', '8:24 set pref_a', '8:24 set pref_b', '13:31 get filter_q', '13:64 get pref_a'],
    );
    assert.deepEqual(index.unresolved().map((u) => `${u.range.start.line + 1} ${u.reason}`), ['10 the key is an f-string with placeholders']);
  });

  it('resolves a class attribute bound to a constant, its own or imported, parsed or not', async () => {
    const root = tempProject({
      'app/__init__.py': '',
      'app/constants.py': 'WIZARD_KEY = "signup_wizard"\n',
      // Never says session, so its classes are read without parsing.
      'app/mixins.py': 'from app.constants import WIZARD_KEY\n\nclass StateMixin:\n    state_key = WIZARD_KEY\n    other_key = state_key\n',
      'app/views.py': [
        'from app import constants',
        'from app.mixins import StateMixin',
        'LOCAL_KEY = "local_key"',
        '',
        'class A(StateMixin):',
        '    def post(self, request):',
        '        request.session[self.state_key] = {"step": 1}',
        '        request.session[self.other_key] = 1',
        '',
        'class B:',
        '    key = LOCAL_KEY',
        '    def post(self, request):',
        '        request.session[self.key] = 1',
        '',
        'class C:',
        '    key = constants.WIZARD_KEY',
        '    missing = constants.NOWHERE',
        '    def post(self, request):',
        '        request.session[C.key] = 2',
        '        request.session[self.missing] = 3',
        '',
      ].join('\n'),
    });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    assert.deepEqual(
      index.usages().map((u) => `${u.range.start.line + 1} ${u.key} ${u.definition ? `${path.relative(root, u.definition.file)} ${u.definition.name}` : ''}`),
      ['7 signup_wizard app/constants.py WIZARD_KEY', '8 signup_wizard app/constants.py WIZARD_KEY', '13 local_key app/views.py LOCAL_KEY', '19 signup_wizard app/constants.py WIZARD_KEY'],
    );
    assert.deepEqual(index.unresolved().map((u) => `${u.range.start.line + 1} ${u.reason}`), ["20 'NOWHERE' is not a str constant the scanner can find"]);
  });

  it('ends a cycle through class attributes bound to each other, or to a module constant bound back, with the reason', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/app/views.py',
      'class C:\n    key = D.key\n\nclass D:\n    key = C.key\n\nKEY = E.key\n\nclass E:\n    key = KEY\n\ndef v(request):\n    request.session[C.key] = 1\n    request.session[KEY] = 2\n',
    );
    assert.deepEqual(index.unresolved().map((u) => u.reason), [
      'C.key starts a chain of names too long to follow (one that names itself again?)',
      'the key is the constant KEY (/p/app/views.py:7), bound to E.key: E.key starts a chain of names too long to follow (one that names itself again?)',
    ]);
  });
});
