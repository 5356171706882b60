import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { UNSEEN_NAMES } from './moduleReflection';
import { forgetBinding } from './namespaceBinding';
import { SESSION_SETTING_DEFAULTS } from './sessionSettingDefaults';
import { evaluateExpression } from './settingsExpression';
import { certainStrs, type SettingValue, unknown, unknownIncluding } from './settingValue';

/**
 * The settings other than `SESSION_*` that discovery (SettingsReader) and the lint rules read.
 * A unit test checks that every setting they read is here or a session default.
 */
const OTHER_READ_SETTINGS = ['CACHES', 'DATABASES', 'DEBUG', 'DEFAULT_HASHING_ALGORITHM', 'INSTALLED_APPS', 'MIDDLEWARE', 'SECRET_KEY', 'SECRET_KEY_FALLBACKS', 'SILENCED_SYSTEM_CHECKS', 'TIME_ZONE', 'USE_TZ'];

/** Every setting this product reads; those not set fall back to Django's defaults. */
export const READ_SETTINGS: readonly string[] = [...SESSION_SETTING_DEFAULTS.keys(), ...OTHER_READ_SETTINGS];

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Calls that hand over the module's namespace: whatever is done with it may set any name. */
const NAMESPACE = new Set(['globals', 'locals', 'vars']);

/**
 * `globals()`, `locals()`, `vars()`; and the module itself, `sys.modules[__name__]`, or its name,
 * through which a callee reaches it (Read the Docs' `Settings.load_settings(__name__)` sets every
 * setting of a settings class on the module).
 */
export function handsOverNamespace(node: Node): boolean {
  if (node.type === 'identifier') {
    return node.text === '__name__';
  }
  if (node.type === 'subscript') {
    return node.childForFieldName('value')?.text === 'sys.modules';
  }
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  return fn?.type === 'identifier' && NAMESPACE.has(fn.text);
}

/**
 * After code that may set any name and cannot be followed (an `include()` whose file cannot be
 * told, `exec(...)`, a call handed `globals()`), every setting is unknown until assigned again:
 * those set so far, and those that would otherwise be Django's defaults. Any other name may be
 * set too, which UNSEEN_NAMES records for getattr() and hasattr() on the module.
 */
export function forgetEverySetting(ctx: EvaluationContext, reason: string, at: Node): void {
  const names = new Set([...[...ctx.namespace.keys()].filter((name) => SETTING_NAME.test(name)), ...READ_SETTINGS, UNSEEN_NAMES]);
  for (const name of names) {
    forgetBinding(name, unknown(reason, locationOf(ctx.file, at)), locationOf(ctx.file, at), ctx);
  }
}

/**
 * A change to `object` (a dict or list of the settings) that cannot be followed: wherever the
 * namespace holds it, as a setting or inside one, it becomes unknown for `reason`, located at
 * `at`. Aliases see it too (`default = CACHES['default']`). With `grows`, a list the change can
 * only add to, it keeps the items it holds for certain (see `includes`). False when it is not a
 * dict or list the namespace holds.
 */
export function forgetObject(object: SettingValue, reason: string, at: Node, ctx: EvaluationContext, grows = false): boolean {
  if (object.kind !== 'dict' && object.kind !== 'list') {
    return false;
  }
  const location = locationOf(ctx.file, at);
  const forgotten = unknown(reason, location);
  const held = grows ? certainStrs(object) : undefined;
  const replacement = held !== undefined && forgotten.kind === 'unknown' ? unknownIncluding(forgotten, held) : forgotten;
  const seen = new Set<SettingValue>();
  /** Replaces `object` inside `value`; whether it was there. */
  const replaceWithin = (value: SettingValue): boolean => {
    if (seen.has(value) || (value.kind !== 'dict' && value.kind !== 'list' && value.kind !== 'tuple')) {
      return false;
    }
    seen.add(value);
    let within = false;
    if (value.kind === 'dict') {
      for (const [key, item] of value.entries) {
        if (item === object) {
          value.entries.set(key, replacement);
        }
        within = item === object || replaceWithin(item) || within;
      }
    } else {
      value.items.forEach((item, i) => {
        if (item === object) {
          value.items[i] = replacement;
        }
        within = item === object || replaceWithin(item) || within;
      });
    }
    return within;
  };
  let found = false;
  for (const binding of ctx.namespace.values()) {
    if (binding.value === object || replaceWithin(binding.value)) {
      if (binding.value === object) {
        binding.value = replacement;
      }
      // The setting was last changed here.
      binding.location = location;
      delete binding.valueSpan;
      found = true;
    }
  }
  return found;
}

/**
 * For `X[a][b] = …` (or `X[a][b].update(…)`) that cannot be applied: forgets the innermost of
 * `X[a][b]`, `X[a]`, `X` that is a dict or list the settings hold, since the change lands
 * somewhere inside it.
 */
export function forgetContainer(node: Node, reason: string, at: Node, ctx: EvaluationContext): void {
  for (let current: Node | null = node; current; current = current.childForFieldName(current.type === 'subscript' ? 'value' : 'object')) {
    if (forgetObject(evaluateExpression(current, ctx), reason, at, ctx) || (current.type !== 'subscript' && current.type !== 'attribute')) {
      return;
    }
  }
}
