import type { ResolvedSetting } from '../../project/discoverProjects';
import type { Range } from '../range';

/** The range of a setting's name where it was last assigned (locations are 1-based lines). */
export function settingNameRange(setting: ResolvedSetting): Range {
  const line = setting.location.line - 1;
  return { start: { line, character: setting.location.column }, end: { line, character: setting.location.column + setting.name.length } };
}

/** The range of a setting's assigned value, if it was a plain assignment. */
export function settingValueRange(setting: ResolvedSetting): Range | undefined {
  return setting.valueSpan ? { start: setting.valueSpan.start, end: setting.valueSpan.end } : undefined;
}

/** The first character of a settings file, where findings about missing settings go. */
export const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
