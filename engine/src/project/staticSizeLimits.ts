import type { SourceLocation } from '../stores/storeDescriptor';
import { type SettingValue, unknown } from './settingValue';

/**
 * The longest list or tuple, and the longest str, static reading builds. Settings stay far
 * below them; a loop that doubles a list (`X = X + X`) would otherwise grow it until the
 * language server dies, in any workspace, trusted or not.
 */
export const MAX_STATIC_ITEMS = 100_000;
export const MAX_STATIC_CHARS = 1_000_000;

/** The unknown value that stands for one too large to build, saying so. */
export function tooLarge(what: string, at: SourceLocation): SettingValue {
  return unknown(`${what} would hold more than static reading builds (${MAX_STATIC_ITEMS.toLocaleString('en')} items, ${MAX_STATIC_CHARS.toLocaleString('en')} characters)`, at);
}
