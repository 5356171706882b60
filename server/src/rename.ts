import { pathToFileURL } from 'node:url';
import { ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { describeSessionKey, sessionSettingAt, SESSION_SETTING_DOCS, type Position, type PythonParser, type ResolvedUsage, type SessionKeyIndex } from '../../engine/src';
import { keyUsageAt, usagesOfKey } from './keyUsageAt';
import type { SettingScope } from './projectModel';

/** Reads a file's current text: the open editor's if there is one, else the file on disk. */
export type TextSource = (file: string) => string | undefined;

const RENAMEABLE = /^[^'"\\\r\n]+$/;

/** The range and text to offer when the user starts renaming the key under the cursor. */
export function prepareSessionKeyRename(index: SessionKeyIndex, text: TextSource, file: string, line: number, character: number): { range: Range; placeholder: string } | ResponseError<void> | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  if (!usage) {
    return undefined;
  }
  const refusal = refuse(usage.key);
  if (refusal) {
    return refusal;
  }
  return { range: usage.definition ? usage.range : (innerRange(text, usage) ?? usage.range), placeholder: usage.key };
}

/**
 * Renames a session key everywhere it is spelled: inside each string literal that names it, and
 * in the constant definitions that other accesses go through (the constants keep their names).
 */
export function renameSessionKey(index: SessionKeyIndex, text: TextSource, file: string, line: number, character: number, newKey: string): WorkspaceEdit | ResponseError<void> | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  if (!usage) {
    return undefined;
  }
  const refusal = refuse(usage.key) ?? (RENAMEABLE.test(newKey) ? undefined : new ResponseError(0, 'A session key name cannot contain quotes, backslashes or line breaks.'));
  if (refusal) {
    return refusal;
  }
  const changes: Record<string, TextEdit[]> = {};
  const edited = new Set<string>();
  const add = (target: string, range: Range) => {
    const id = `${target}:${range.start.line}:${range.start.character}`;
    if (!edited.has(id)) {
      edited.add(id);
      (changes[pathToFileURL(target).toString()] ??= []).push({ range, newText: newKey });
    }
  };
  for (const u of usagesOfKey(index, usage)) {
    if (u.definition) {
      const literal = constantValueRange(text, u.definition.file, u.definition.constant.range);
      if (literal) add(u.definition.file, literal);
    } else {
      const literal = innerRange(text, u);
      if (literal) add(u.file, literal);
    }
  }
  return { changes };
}

function refuse(key: string): ResponseError<void> | undefined {
  const known = describeSessionKey(key);
  return known ? new ResponseError(0, `"${key}" is read by Django itself (${known.writtenBy}); renaming it would break that.`) : undefined;
}

/** The string literal assigned to a constant: `NAME = 'value'` or `NAME: str = 'value'`, given NAME's range. */
function constantValueRange(text: TextSource, file: string, name: Range): Range | undefined {
  const line = text(file)?.split(/\r?\n/)[name.end.line];
  const m = line === undefined ? null : /^\s*(?::[^=]*)?=\s*([rRuU]?(?:"[^"\\]*"|'[^'\\]*'))/.exec(line.slice(name.end.character));
  if (!m) {
    return undefined;
  }
  const start = name.end.character + m[0].length - m[1]!.length;
  return innerRange(text, { file, range: { start: { line: name.end.line, character: start }, end: { line: name.end.line, character: start + m[1]!.length } } });
}

/** The characters between the quotes of the string literal at the usage's range. */
function innerRange(text: TextSource, usage: Pick<ResolvedUsage, 'file' | 'range'>): Range | undefined {
  const source = text(usage.file);
  if (source === undefined || usage.range.start.line !== usage.range.end.line) {
    return undefined;
  }
  const line = source.split(/\r?\n/)[usage.range.start.line] ?? '';
  const literal = line.slice(usage.range.start.character, usage.range.end.character);
  const m = /^([rRuUfFbB]{0,2})("""|'''|"|')(.*)\2$/s.exec(literal);
  if (!m) {
    return undefined;
  }
  const start = usage.range.start.character + m[1]!.length + m[2]!.length;
  return { start: { line: usage.range.start.line, character: start }, end: { line: usage.range.start.line, character: start + m[3]!.length } };
}

/**
 * Refuses to rename a `SESSION_*` setting: Django (or the package that reads one) looks it up
 * by its fixed name, so a new name would silently stop it from taking effect. A misspelt
 * setting has its own quick fix (DS201). Undefined when the cursor is on no setting.
 */
export function refuseSessionSettingRename(python: PythonParser, text: string, position: Position, scope: SettingScope): ResponseError<void> | undefined {
  const setting = sessionSettingAt(python, text, position, scope.inSettingsModule);
  if (!setting) {
    return undefined;
  }
  const reader = SESSION_SETTING_DOCS.has(setting.name) ? 'Django reads' : 'Settings are read';
  return new ResponseError(0, `${setting.name} is a setting: ${reader} it by this exact name, so a renamed setting would silently have no effect.`);
}
