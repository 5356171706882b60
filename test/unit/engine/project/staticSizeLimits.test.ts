import * as assert from 'node:assert/strict';
import { evaluatedSettings } from './evaluatedSettings';

/** Settings that grow a value without bound, as a hostile repository could write them: each is read quickly, as unknown, saying why. */
describe('values static reading will not build past a size (a settings file must not exhaust the language server)', () => {
  for (const [name, grow] of [
    ['X = X + X on a list', 'X = [1]\nfor i in range(40):\n    X = X + X'],
    ['X += X on a list', 'X = [1]\nfor i in range(40):\n    X += X'],
    ['extend() with itself', 'X = [1]\nfor i in range(40):\n    X.extend(X)'],
    ['X = X + X on a str', 'X = "ab"\nfor i in range(40):\n    X = X + X'],
    ['"".join() of a doubled list', 'P = ["x" * 1000]\nfor i in range(12):\n    P = P + P\nX = "".join(P)'],
    ['a long str repeated', 'X = ("a" * 1000) * 1000000'],
  ] as const) {
    it(`reads ${name} as unknown`, async function () {
      this.timeout(20_000);
      const { json } = await evaluatedSettings({ 'site/__init__.py': '', 'site/settings.py': `${grow}\nSESSION_COOKIE_AGE = 60\n` }, 'site/settings.py');
      assert.match(String((json('X') as { unresolved?: string }).unresolved), /would hold more than static reading builds|changed by X\.extend\(X\), which static reading cannot follow/);
      assert.equal(json('SESSION_COOKIE_AGE'), 60, 'what follows is still read');
    });
  }

  it('still builds the lists and strs settings make', async () => {
    const { json } = await evaluatedSettings({ 'site/__init__.py': '', 'site/settings.py': 'APPS = ["a"]\nAPPS = APPS + ["b", "c"]\nAPPS += ["d"]\nAPPS.extend(["e"])\nNAME = "sess" + "ionid"\n' }, 'site/settings.py');
    assert.deepEqual([json('APPS'), json('NAME')], [['a', 'b', 'c', 'd', 'e'], 'sessionid']);
  });
});
