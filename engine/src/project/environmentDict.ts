import type { SourceLocation } from '../stores/storeDescriptor';
import { environmentOf } from './environmentValue';
import type { EvaluationContext } from './evaluationContext';
import type { EvaluationEnvironment } from './evaluationEnvironment';
import { type SettingValue, unknown } from './settingValue';

/** What a dict display unpacks or lists, in order: items, or `**os.environ` (or a copy of it). */
export type DictLayer = Map<string, SettingValue> | SettingValue;

/**
 * A dict display that unpacks `os.environ`, as python-dotenv's README has it
 * (`{**dotenv_values(".env.shared"), **os.environ}`): a copy of the environment, as
 * `dict(os.environ)` is, in which the items before `**os.environ` fill in the names it lacks
 * and those after it replace them, Python's later-wins merge. Only str items can be told apart
 * from the environment's; another makes the dict unknown.
 */
export function environmentDict(layers: DictLayer[], ctx: EvaluationContext, here: SourceLocation): SettingValue {
  let environment: EvaluationEnvironment | undefined;
  let items = new Map<string, string>();
  for (const layer of layers) {
    if (!(layer instanceof Map)) {
      environment ??= environmentOf(layer, ctx).env.clone();
      environment.load(items, false);
      items = new Map();
      continue;
    }
    for (const [key, value] of layer) {
      if (value.kind === 'unknown') {
        return value;
      }
      if (value.kind !== 'str') {
        return unknown(`cannot tell the dict unpacking os.environ: its item '${key}' is not a str, as the environment's values are`, here);
      }
      items.set(key, value.value);
    }
  }
  environment!.load(items, true);
  return { kind: 'ref', name: 'os.environ', environment };
}
