import * as assert from 'node:assert/strict';
import { analyseFile } from '../../../../engine/src/analysis/fileAnalysis';
import { loadPythonParser } from '../../../../engine/src/analysis/pythonParser';

describe('bare names used as session keys inside a function', () => {
  it('tells parameters, single local literals, other locals and outer names apart, scope by scope', async () => {
    const text = [
      'def view(request, a, b="x", *c, d: int = 1, t: str, **e):',
      '    one = "literal"',
      '    two = "x"',
      '    two = "y"',
      '    for loop in range(3):',
      '        pass',
      '    if (walrus := "w"):',
      '        pass',
      '    def inner(request):',
      '        OUTER = "nested only"',
      '        shadow = "inner"',
      '    f = lambda lam: lam',
      '    for name in [a, b, c, d, e, one, two, loop, walrus, OUTER, shadow, lam]:',
      '        request.session.get(name)',
      '    request.session[a], request.session[b], request.session[c], request.session[d], request.session[t], request.session[e]',
      '    request.session[one], request.session[two], request.session[loop], request.session[walrus]',
      '    request.session[OUTER], request.session[shadow], request.session[lam]',
      '',
    ].join('\n');
    const analysis = analyseFile(await loadPythonParser(), '/p/views.py', text);
    const keys = analysis.session!.accesses.filter((access) => access.op === 'read').map((access) => [access.keyText, access.key]);
    const parameter = (name: string) => ({ kind: 'dynamic', reason: `the key is the parameter '${name}'`, parameter: name });
    const notSingle = (name: string) => ({ kind: 'dynamic', reason: `the key is the local variable '${name}', which is not a single str literal` });
    assert.deepEqual(keys, [
      ['a', parameter('a')],
      ['b', parameter('b')],
      ['c', parameter('c')],
      ['d', parameter('d')],
      ['t', parameter('t')],
      ['e', parameter('e')],
      ['one', { kind: 'literal', value: 'literal' }],
      ['two', notSingle('two')],
      ['loop', { kind: 'dynamic', reason: "the key is the loop variable 'loop'" }],
      ['walrus', notSingle('walrus')],
      ['OUTER', { kind: 'name', name: 'OUTER' }],
      ['shadow', { kind: 'name', name: 'shadow' }],
      ['lam', { kind: 'name', name: 'lam' }],
    ]);
  });

  it("names the comprehension, lambda, loop or other binding a key comes from, and leaves imports to the module's facts", async () => {
    const text = [
      'from .keys import CART',
      '',
      'def view(request, pairs):',
      '    [request.session.get(k) for k in pairs]',
      '    list(request.session.get(g) for g in pairs)',
      '    f = lambda lk: request.session.get(lk)',
      '    for dk, (dv, *rest) in pairs:',
      '        request.session.get(dk), request.session.get(rest)',
      '    with open("f") as wk:',
      '        request.session.get(wk)',
      '    aug = "a"',
      '    aug += "b"',
      '    request.session.get(aug)',
      '    from .keys import STEP as step',
      '    request.session.get(step), request.session.get(CART)',
      '',
      '[request.session.get(mk) for mk in PAIRS]',
      'request.session.get(CART)',
      '',
    ].join('\n');
    const analysis = analyseFile(await loadPythonParser(), '/p/views.py', text);
    const keys = analysis.session!.accesses.map((access) => [access.keyText, access.key.kind === 'dynamic' ? access.key.reason : access.key]);
    assert.deepEqual(keys, [
      ['k', "the key is the loop variable 'k' of a comprehension"],
      ['g', "the key is the loop variable 'g' of a comprehension"],
      ['lk', "the key is the parameter 'lk' of a lambda"],
      ['dk', "the key is the loop variable 'dk'"],
      ['rest', "the key is the loop variable 'rest'"],
      ['wk', "the key is the local variable 'wk', which is not a single str literal"],
      ['aug', "the key is the local variable 'aug', which is not a single str literal"],
      ['step', { kind: 'name', name: 'step' }],
      ['CART', { kind: 'name', name: 'CART' }],
      ['mk', "the key is the loop variable 'mk' of a comprehension"],
      ['CART', { kind: 'name', name: 'CART' }],
    ]);
  });
});
