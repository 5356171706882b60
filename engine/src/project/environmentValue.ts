import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, unknown } from './settingValue';

/** Looks a variable up in the process environment and `.env` files, else the default. */
export function environmentValue(name: string, fallback: SettingValue | undefined, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const undecided = ctx.env.undecidedRead(name, fallback !== undefined);
  if (undecided !== undefined) {
    return unknown(undecided, here);
  }
  const value = ctx.env.get(name);
  if (value !== undefined) {
    return { kind: 'str', value, envVar: name };
  }
  return fallback ?? unknown(`needs environment variable ${name}`, here);
}
