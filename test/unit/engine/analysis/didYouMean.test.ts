import * as assert from 'node:assert/strict';
import { didYouMean, TypoSuggestions } from '../../../../engine/src/analysis/lint/didYouMean';

describe('didYouMean', () => {
  const KEYS = ['cart', 'cart_items', 'checkout_step', 'Theme', 'visits', 'bcd', 'abd'];

  it('suggests the closest candidate within a third of the word, ignoring case, the first in sort order on a tie', () => {
    const cases: [string, string | undefined][] = [
      ['crat', 'cart'],
      ['cart_itesm', 'cart_items'],
      ['chekout_setp', 'checkout_step'],
      ['THEME', 'Theme'],
      ['visit', 'visits'],
      // Both at distance 1: the first in sort order.
      ['abcd', 'abd'],
      // Too far for a short word, and the word itself is no suggestion.
      ['xyz', undefined],
      ['cart', undefined],
      ['order_total', undefined],
    ];
    for (const [word, expected] of cases) {
      assert.equal(didYouMean(word, KEYS), expected, word);
      assert.equal(new TypoSuggestions(KEYS).suggest(word), expected, word);
    }
  });

  it('answers many words among many similar candidates with bounded work per word', () => {
    // Every unwritten key one edit from a written one: comparing each pair would be 10^8 tables.
    const count = 10_000;
    const written = Array.from({ length: count }, (_, i) => `k${i}`);
    const perWord = 4_000;
    const typos = new TypoSuggestions(written, count * perWord);
    const suggestions = Array.from({ length: count }, (_, i) => typos.suggest(`i${i}`));
    // Past the budget no word would get a suggestion: every word got its own, so the work stayed within perWord cells each.
    assert.deepEqual(suggestions, written);
  });

  it('gives no more suggestions once its budget of work is spent', () => {
    const typos = new TypoSuggestions(['cart', 'step', 'theme'], 40);
    assert.equal(typos.suggest('crat'), 'cart');
    assert.equal(typos.suggest('stpe'), undefined);
    // A word asked again keeps its answer.
    assert.equal(typos.suggest('crat'), 'cart');
  });
});
