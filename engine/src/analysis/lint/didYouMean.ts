/** The candidate closest to `word` by edit distance, if close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  return new TypoSuggestions(candidates).suggest(word);
}

/**
 * Cells of edit-distance tables one TypoSuggestions fills at most (about half a second), so a
 * project with many thousands of similar keys cannot stall the lint.
 */
const CELL_BUDGET = 50_000_000;

interface TrieNode {
  children: Map<string, TrieNode>;
  /** The candidates that end here, as given (the trie is of their lower case). */
  words: string[];
}

/**
 * The likely typos of many words among one set of candidates, as didYouMean tells them: the
 * closest candidate by optimal string alignment distance (an adjacent transposition, `crat` →
 * `cart`, costs 1; case is ignored), the first in sort order on a tie, within a third of the
 * word's length (at least 1). The candidates share a trie, and a word walks only the branches
 * that can still end within that distance, so asking for every unwritten key of a project
 * does not compare every pair of keys; each word is answered once. Past CELL_BUDGET cells of
 * work in all, no more words get a suggestion.
 */
export class TypoSuggestions {
  private readonly root: TrieNode = { children: new Map(), words: [] };
  private readonly answers = new Map<string, string | undefined>();
  private cells = 0;

  /** `budget` is the most cells of work, CELL_BUDGET unless a test needs less. */
  constructor(candidates: Iterable<string>, private readonly budget = CELL_BUDGET) {
    for (const candidate of candidates) {
      let node = this.root;
      for (const char of candidate.toLowerCase().split('')) {
        let child = node.children.get(char);
        if (!child) {
          child = { children: new Map(), words: [] };
          node.children.set(char, child);
        }
        node = child;
      }
      node.words.push(candidate);
    }
  }

  /** The candidate `word` is likely a typo of, if any. */
  suggest(word: string): string | undefined {
    if (!this.answers.has(word)) {
      this.answers.set(word, this.search(word));
    }
    return this.answers.get(word);
  }

  private search(word: string): string | undefined {
    const target = word.toLowerCase().split('');
    const allowed = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
    const best = { word: undefined as string | undefined, distance: allowed };
    const first = Array.from({ length: target.length + 1 }, (_, j) => j);
    const complete = this.walk(this.root, target, first, first, '', word, best);
    return complete ? best.word : undefined;
  }

  /**
   * Visits the children of a trie node whose table row (the distances from the path so far to
   * each prefix of the word) is `row`, `before` being the row of its parent. Rows whose least
   * value exceeds the best distance found are not followed: every row below one is at least
   * that least value (a transposition included, which row[j-1] bounds). False once the budget is spent.
   */
  private walk(node: TrieNode, target: string[], before: number[], row: number[], char: string, word: string, best: { word: string | undefined; distance: number }): boolean {
    for (const candidate of node.words) {
      const distance = row[target.length]!;
      if (candidate !== word && (distance < best.distance || (distance === best.distance && (best.word === undefined || candidate < best.word)))) {
        best.word = candidate;
        best.distance = distance;
      }
    }
    for (const [next, child] of node.children) {
      this.cells += target.length + 1;
      if (this.cells > this.budget) {
        return false;
      }
      const below = nextRow(target, before, row, char, next);
      if (least(below) <= best.distance && !this.walk(child, target, row, below, next, word, best)) {
        return false;
      }
    }
    return true;
  }
}

/** The table row after `char` on a path whose last two rows are `before` and `row`, `previous` being the character of `row`. */
function nextRow(target: string[], before: number[], row: number[], previous: string, char: string): number[] {
  const below = [row[0]! + 1];
  for (let j = 1; j <= target.length; j++) {
    const cost = target[j - 1] === char ? 0 : 1;
    let value = Math.min(row[j]! + 1, below[j - 1]! + 1, row[j - 1]! + cost);
    if (j > 1 && previous !== '' && target[j - 1] === previous && target[j - 2] === char) {
      value = Math.min(value, before[j - 2]! + 1);
    }
    below.push(value);
  }
  return below;
}

function least(row: number[]): number {
  let value = Infinity;
  for (const cell of row) {
    value = Math.min(value, cell);
  }
  return value;
}
