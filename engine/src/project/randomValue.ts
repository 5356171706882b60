import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { type SettingValue, unknown } from './settingValue';

/** Sources of randomness in settings (bakerydemo's ephemeral SECRET_KEY): what they make is new in every process. */
const RANDOM = /\b(?:random\.|secrets\.|SystemRandom\b|os\.urandom\b|uuid\.uuid4\b|get_random_string\b)/;
/** A statement that writes a file: `f.write(…)`, `path.write_text(…)`, `open(…, 'w')`. */
const WRITES_FILE = /\.write(?:_text|_bytes)?\s*\(|\bopen\s*\([^)]*,\s*(?:mode\s*=\s*)?['"][wax]/;

/** The unknown value of an expression that draws at random, said to be one; undefined for any other. */
export function randomValue(node: Node, ctx: EvaluationContext): SettingValue | undefined {
  return RANDOM.test(node.text) ? randomKey(node, ctx, 'a random value') : undefined;
}

/**
 * A random value `what` made at `node`: new in every process, unless the block it is made in
 * goes on to write a file (Mathesar writes the key it makes on the first run into a module it
 * imports on the next), where it is the key that file will hold, which static reading cannot tell.
 */
export function randomKey(node: Node, ctx: EvaluationContext, what: string): SettingValue {
  const here = locationOf(ctx.file, node);
  let statement: Node | null = node;
  while (statement && statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') {
    statement = statement.parent;
  }
  const later = statement?.parent?.namedChildren.filter((sibling) => sibling !== null && sibling.startIndex > statement!.startIndex) ?? [];
  if (later.some((sibling) => WRITES_FILE.test(sibling!.text))) {
    return unknown(`${what}, made where none is kept yet and then written to a file: the key that file holds after the first run cannot be read statically`, here);
  }
  return unknown(`${what}, made anew each time the settings load: a key made so signs sessions no other process, nor the next start, can verify`, here);
}
