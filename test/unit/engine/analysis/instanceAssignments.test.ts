import * as assert from 'node:assert/strict';
import { instanceAssignments } from '../../../../engine/src/analysis/instanceAssignments';

const rows = (text: string) =>
  [...instanceAssignments(text)].flatMap(([cls, attributes]) =>
    [...attributes].map(([name, a]) => `${cls}.${name} ${a.method}:${a.line}${a.parameter === undefined ? '' : ` <- ${a.parameter}`}`),
  );

describe('instanceAssignments', () => {
  it("tells each class's methods' `self.NAME = value`, by method, line and parameter, the first of a name winning", () => {
    const text = [
      'class Storage(Base):',
      '    key = "k"',
      '    def __init__(self, prefix, request=None):',
      '        self.prefix = "wizard_%s" % prefix',
      '        if request:',
      '            self.request = request  # kept',
      '        self.prefix = prefix',
      '    async def load(self):',
      '        self.data = await fetch()',
      '',
      'def helper(self):',
      '    self.free = 1',
    ].join('\n');
    assert.deepEqual(rows(text), ['Storage.prefix __init__:3', 'Storage.request __init__:5 <- request', 'Storage.data load:8']);
  });

  it('leaves out nested functions, nested classes, triple-quoted strings and code after the class', () => {
    const text = [
      'class Outer:',
      '    def method(self):',
      '        """Example:',
      '        self.doc = 1',
      '        """',
      '        def inner():',
      '            self.closure = 1',
      '        class Inner:',
      '            def own(self, v):',
      '                self.v = v',
      '        self.after = x',
      'x = 1',
      '    self.stray = 2',
    ].join('\n');
    assert.deepEqual(rows(text), ['Inner.v own:9 <- v', 'Outer.after method:10']);
  });

  it('finds none in text without `self.`', () => {
    assert.deepEqual(rows('class A:\n    def f(this):\n        this.x = 1\n'), []);
  });
});
