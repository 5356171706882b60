import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { SettingValue } from './settingValue';

/**
 * Why a value depends on a condition that cannot be evaluated, with what makes the condition
 * unknown, so the message leads to what to set or change: `depends on a condition that cannot
 * be evaluated statically (TESTING: cannot evaluate "test" in sys.argv statically, line 11)`.
 */
export function undecidedCondition(text: string, value: SettingValue | undefined, here: SourceLocation): string {
  return `depends on a condition that cannot be evaluated statically (${withCause(text, value, here)})`;
}

/** `text`, followed by why `value` is unknown (and where, when that is elsewhere) unless the reason already says it. */
export function withCause(text: string, value: SettingValue | undefined, here: SourceLocation): string {
  if (value?.kind !== 'unknown' || value.reason.includes(text)) {
    return value?.kind === 'unknown' ? value.reason : text;
  }
  return `${text}: ${value.reason}${elsewhere(value.location, here)}`;
}

function elsewhere(location: SourceLocation | undefined, here: SourceLocation): string {
  if (!location || (location.file === here.file && location.line === here.line)) {
    return '';
  }
  return location.file === here.file ? `, line ${location.line}` : `, ${path.basename(location.file)}:${location.line}`;
}
