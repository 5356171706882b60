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
    const parameter = (name: string) => ({ kind: 'dynamic', reason: `the key is the parameter '${name}'` });
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
      ['loop', notSingle('loop')],
      ['walrus', notSingle('walrus')],
      ['OUTER', { kind: 'name', name: 'OUTER' }],
      ['shadow', { kind: 'name', name: 'shadow' }],
      ['lam', { kind: 'name', name: 'lam' }],
    ]);
  });
});
