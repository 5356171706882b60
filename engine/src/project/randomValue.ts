import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { type SettingValue, unknown } from './settingValue';

/** Sources of randomness in settings (bakerydemo's ephemeral SECRET_KEY): what they make is new in every process. */
const RANDOM = /\b(?:random\.|secrets\.|SystemRandom\b|os\.urandom\b|uuid\.uuid4\b|get_random_string\b)/;

/** The unknown value of an expression that draws at random, said to be one; undefined for any other. */
export function randomValue(node: Node, ctx: EvaluationContext): SettingValue | undefined {
  return RANDOM.test(node.text)
    ? unknown('a random value, made anew each time the settings load: a key made so signs sessions no other process, nor the next start, can verify', locationOf(ctx.file, node))
    : undefined;
}
