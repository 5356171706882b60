import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, unknown } from './settingValue';

/** Looks a variable up in the process environment and `.env` files, else the default (see defaultOfUnset). */
export function environmentValue(name: string, fallback: SettingValue | undefined, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const undecided = ctx.env.undecidedRead(name, fallback !== undefined);
  if (undecided !== undefined) {
    return unknown(undecided, here);
  }
  const value = ctx.env.get(name);
  if (value !== undefined) {
    return { kind: 'str', value, envVar: name };
  }
  return fallback === undefined ? unknown(`needs environment variable ${name}`, here) : defaultOfUnset(name, fallback);
}

/** A variable's default where it is not set: a None or str default remembers the variable, so a message can name it. */
export function defaultOfUnset(name: string, fallback: SettingValue): SettingValue {
  return fallback.kind === 'none' ? { kind: 'none', unsetVar: name } : fallback.kind === 'str' && fallback.envVar === undefined ? { ...fallback, defaultFor: name } : fallback;
}

/** The context to read `os.environ`, or a copy of it (see the `environment` of a ref), in. */
export function environmentOf(value: SettingValue, ctx: EvaluationContext): EvaluationContext {
  return value.kind === 'ref' && value.environment ? { ...ctx, env: value.environment } : ctx;
}
