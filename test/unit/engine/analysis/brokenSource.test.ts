import fc from 'fast-check';
import { SessionKeyIndex, sessionKeyCompletionContext } from '../../../../engine/src/analysis';

const TOKENS = ['request', '.session', '[', ']', '(', ')', "'", '"', 'cart', '.get', '.pop', '.update', '{', '}', ':', ',', ' = ', ' in ', 'del ', 'def f(request):', '\n', '    ', 'f"', 'import ', 'from . import ', 'class C:', 'self.', 'KEY', ' = request.session', '+=', '#', '\\', 'é', '😀'];

describe('the analysis on broken source', () => {
  it('never throws while indexing or completing arbitrary token soup', async () => {
    const index = await SessionKeyIndex.create();
    await fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), fc.nat(), (tokens, at) => {
        const text = tokens.join('');
        index.updateFile('/soup/views.py', text);
        index.usages();
        index.unresolved();
        const lines = text.split('\n');
        const line = at % lines.length;
        sessionKeyCompletionContext(index, text, line, at % ((lines[line]?.length ?? 0) + 1));
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
