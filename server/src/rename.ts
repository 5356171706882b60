import { ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeSessionKey, installedUsesOf, sameRange, sessionSettingAt, SESSION_SETTING_DOCS, type Position, type PrefixKeys, type PythonParser, type ResolvedUsage, type SessionKeyIndex } from '../../engine/src';
import { fileUri } from './fileUri';
import { keyUsageAt, usagesOfKey } from './keyUsageAt';
import { spellingEdit } from './keySpellingEdit';
import type { StoredUnderKey } from './storedUnderKey';
import type { SettingScope } from './projectModel';

/** Reads a file's current text: the open editor's if there is one, else the file on disk. */
export type TextSource = (file: string) => string | undefined;

const RENAMEABLE = /^[^'"\\\r\n]+$/;

/**
 * The range and text to offer when the user starts renaming the key under the cursor.
 * `installedApps` is the file's INSTALLED_APPS (undefined when unknown): a key an installed
 * third-party app uses by name is not renamed.
 */
export function prepareSessionKeyRename(
  index: SessionKeyIndex,
  text: TextSource,
  file: string,
  line: number,
  character: number,
  installedApps?: readonly string[],
  unsafeToEdit?: UnsafeToEdit,
): { range: Range; placeholder: string } | ResponseError<void> | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  if (!usage || !spelledHere(usage)) {
    return undefined;
  }
  // Writing the key as it is checks every place where it is spelled, whatever the new name.
  const edits = keyEdits(index, text, usage, usage.key, installedApps, unsafeToEdit);
  if (edits instanceof ResponseError) {
    return edits;
  }
  return { range: edits.get(siteId(usage.file, usage.range))?.edit.range ?? usage.range, placeholder: usage.key };
}

/**
 * Whether the key is spelled where the cursor is: a literal, an `update()` keyword, a constant's
 * own literal. A name (a constant, a local holding a key) is Python's to rename, by the Python
 * language server: renaming the stored key from it would change a string while the user meant
 * the identifier.
 */
function spelledHere(usage: ResolvedUsage): boolean {
  const own = usage.spelling?.range ?? (usage.definition?.file === usage.file ? usage.definition.constant.spelling.range : undefined);
  return own !== undefined && sameRange(own, usage.range);
}


/** What a rename needs to know of the editor and the project beyond the key. */
interface RenameContext {
  /** The file's INSTALLED_APPS; undefined when unknown. */
  installedApps?: readonly string[];
  /** Whether the editor asks before applying an edit marked as needing confirmation. */
  confirmsEdits?: boolean;
  unsafeToEdit?: UnsafeToEdit;
  /** The live sessions of the project's stores that hold the key being renamed. */
  stored?: readonly StoredUnderKey[];
}

/** Why the editor could not apply an edit to a file without damaging it (see nonUtf8File), or undefined when it can. */
type UnsafeToEdit = (file: string) => string | undefined;

const CONFIRMED = 'confirmed';

/**
 * Renames a session key everywhere it is spelled: inside each string literal that names it
 * (also the one a local variable holding it was assigned), in update()'s keyword arguments, and
 * in the constant definitions that other accesses go through (the constants keep their names).
 * Refused as a whole when one of those places cannot hold the new name, for a key Django or an
 * installed third-party app uses by name (see prepareSessionKeyRename), and for a new name that
 * is such a key: the session would then hold this key's values under Django's. A new name the
 * project already uses merges two keys, as fixing a misspelt one does: the editor asks first.
 */
export function renameSessionKey(
  index: SessionKeyIndex,
  text: TextSource,
  file: string,
  line: number,
  character: number,
  newKey: string,
  context: RenameContext = {},
): WorkspaceEdit | ResponseError<void> | undefined {
  const usage = keyUsageAt(index, file, { line, character });
  if (!usage || !spelledHere(usage)) {
    return undefined;
  }
  if (!RENAMEABLE.test(newKey)) {
    return new ResponseError(0, 'A session key name cannot contain quotes, backslashes or line breaks.');
  }
  const taken = newKey === usage.key ? undefined : refuseTarget(newKey, context.installedApps, index.prefixKeys(file));
  if (taken) {
    return taken;
  }
  const edits = keyEdits(index, text, usage, newKey, context.installedApps, context.unsafeToEdit);
  if (edits instanceof ResponseError) {
    return edits;
  }
  const merged = newKey === usage.key ? [] : (index.keys(file).get(newKey) ?? []);
  if (merged.length > 0 && !context.confirmsEdits) {
    return new ResponseError(0, `"${newKey}" is already a session key of this project (${count(merged.length, 'place')}): renaming "${usage.key}" to it would make the two one key.`);
  }
  const stored = newKey === usage.key || !context.confirmsEdits ? [] : (context.stored ?? []);
  const warnings = [
    ...(merged.length > 0 ? [{ label: `Merge "${usage.key}" into "${newKey}"`, description: `"${newKey}" is already a session key of this project (${count(merged.length, 'place')}); after the rename both are one key.` }] : []),
    ...(stored.length > 0 ? [storedWarning(usage.key, newKey, stored)] : []),
  ];
  if (warnings.length > 0) {
    return confirmedEdit(edits, warnings.map((w) => w.label).join('; '), warnings.map((w) => w.description).join(' '));
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const { file: target, edit } of edits.values()) {
    (changes[fileUri(target)] ??= []).push(edit);
  }
  return { changes };
}

/** What a rename leaves behind in the stores: values Django no longer finds under the new name. */
function storedWarning(key: string, newKey: string, stored: readonly StoredUnderKey[]): { label: string; description: string } {
  const holding = stored.reduce((sum, s) => sum + s.holding, 0);
  const loss = `After the rename Django looks for "${newKey}" in them and finds nothing, so their users lose that value until it is set again. To keep it, read "${key}" as a fallback for a while, or move the stored values over.`;
  if (holding === 0) {
    const read = stored.map((s) => `${count(s.read, 'session')} of ${s.store}`).join(', ');
    return {
      label: `"${key}" may be in stored sessions`,
      description: `Only part of the stores could be read in the time a rename waits (${read}), and none of those hold "${key}"; the others may. ${loss}`,
    };
  }
  const atLeast = stored.every((s) => s.complete) ? '' : 'at least ';
  const where = stored.filter((s) => s.holding > 0).map((s) => `${s.holding} in ${s.store}`).join(', ');
  return { label: `"${key}" is in ${atLeast}${count(holding, 'stored session')}`, description: `By store: ${atLeast}${where}. ${loss}` };
}

/** The rename as edits the editor applies only once the user confirms what they do besides renaming. */
function confirmedEdit(edits: Map<string, { file: string; edit: TextEdit }>, label: string, description: string): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const { file, edit } of edits.values()) {
    byFile.set(file, [...(byFile.get(file) ?? []), edit]);
  }
  return {
    documentChanges: [...byFile].map(([file, fileEdits]) => ({
      textDocument: { uri: fileUri(file), version: null },
      edits: fileEdits.map((edit) => ({ ...edit, annotationId: CONFIRMED })),
    })),
    changeAnnotations: { [CONFIRMED]: { label, needsConfirmation: true, description } },
  };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Why a key cannot become `newKey`: Django, or an installed third-party app, keeps its own data under that name. */
function refuseTarget(newKey: string, installedApps: readonly string[] | undefined, prefixKeys: PrefixKeys): ResponseError<void> | undefined {
  const known = describeSessionKey(newKey);
  if (known) {
    return new ResponseError(0, `"${newKey}" is Django's own session key (${known.writtenBy}); a key renamed to it would overwrite Django's value.`);
  }
  const app = installedUsesOf(newKey, installedApps, prefixKeys)[0]?.app;
  return app ? new ResponseError(0, `"${newKey}" is used by ${app.package} (${app.modules[0]}) under that name; a key renamed to it would overwrite that app's value.`) : undefined;
}

/** The edits that write `newKey` at each place `key` is spelled, by siteId, or why one cannot be made. */
function keyEdits(
  index: SessionKeyIndex,
  text: TextSource,
  usage: ResolvedUsage,
  newKey: string,
  installedApps: readonly string[] | undefined,
  unsafeToEdit: UnsafeToEdit | undefined,
): Map<string, { file: string; edit: TextEdit }> | ResponseError<void> {
  const key = usage.key;
  const refusal = refuse(key, installedApps, index.prefixKeys(usage.file));
  if (refusal) {
    return refusal;
  }
  const edits = new Map<string, { file: string; edit: TextEdit }>();
  // Each file is checked, read and split into lines once: it can spell the key thousands of times.
  const files = new Map<string, { unsafe?: string; document?: TextDocument }>();
  const fileOf = (file: string) => {
    let checked = files.get(file);
    if (!checked) {
      const unsafe = unsafeToEdit?.(file);
      const source = unsafe === undefined ? text(file) : undefined;
      checked = unsafe !== undefined ? { unsafe } : source !== undefined ? { document: TextDocument.create('', 'python', 0, source) } : {};
      files.set(file, checked);
    }
    return checked;
  };
  for (const u of usagesOfKey(index, usage)) {
    const site = u.definition ? { file: u.definition.file, spelling: u.definition.constant.spelling } : u.spelling ? { file: u.file, spelling: u.spelling } : undefined;
    if (!site) {
      const written = fileOf(u.file).document?.getText(u.range);
      const why = written === undefined ? 'is not written by a literal or constant of the project' : `is written as ${written}, which no single literal or constant spells: a rename cannot rewrite it`;
      return new ResponseError(0, `Cannot rename "${key}": the key at ${place(u.file, u.range)} ${why}.`);
    }
    const id = siteId(site.file, site.spelling.range);
    if (edits.has(id)) {
      continue;
    }
    // Its places are those of its last text that parsed: editing by them could land anywhere now.
    if (index.isHeldBack(site.file)) {
      return new ResponseError(0, `Cannot rename "${key}": ${place(site.file, site.spelling.range)} is in a file with a syntax error; fix it first.`);
    }
    const { unsafe, document } = fileOf(site.file);
    if (unsafe) {
      return new ResponseError(0, `Cannot rename "${key}": ${place(site.file, site.spelling.range)} is in a file ${unsafe}.`);
    }
    const edit = document === undefined ? `${site.file} cannot be read` : spellingEdit(document, site.spelling, newKey, place(site.file, site.spelling.range));
    if (typeof edit === 'string') {
      return new ResponseError(0, `Cannot rename "${key}": ${edit}.`);
    }
    edits.set(id, { file: site.file, edit });
  }
  return edits;
}

/** Identifies the place a key is spelled: many usages share a constant's, or a local variable's, literal. */
function siteId(file: string, range: Range): string {
  return `${file}:${range.start.line}:${range.start.character}`;
}

function refuse(key: string, installedApps: readonly string[] | undefined, prefixKeys: PrefixKeys): ResponseError<void> | undefined {
  const known = describeSessionKey(key);
  if (known) {
    return new ResponseError(0, `"${key}" is read by Django itself (${known.writtenBy}); renaming it would break that.`);
  }
  const app = installedUsesOf(key, installedApps, prefixKeys)[0]?.app;
  return app ? new ResponseError(0, `"${key}" is used by ${app.package} (${app.modules[0]}) under that name; renaming it would break that.`) : undefined;
}

function place(file: string, range: Range): string {
  return `${file}:${range.start.line + 1}`;
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
