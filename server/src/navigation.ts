import type { Location } from 'vscode-languageserver/node';
import { cacheAliasAt, cacheAliasKeyRanges, distinctPlaces, isWriteOp, sameRange, sessionSettingAt, sessionSettingNameUses, sessionSettingReads, type Position, type PythonParser, type Range, type ResolvedUsage, type SessionKeyIndex } from '../../engine/src';
import { fileUri } from './fileUri';
import { constantLiteralsOf, keyUsagesAt, usagesOfKey } from './keyUsageAt';
import type { SettingScope } from './projectModel';
import type { TextSource } from './rename';

/**
 * Go to definition: the constant that names the key when there is one, else every place the
 * project writes the key (a session key has no single declaration); for each key where the
 * access is several (a mixin's `self.KEY`).
 */
export function sessionKeyDefinition(index: SessionKeyIndex, file: string, line: number, character: number): Location[] | undefined {
  const usages = keyUsagesAt(index, file, { line, character });
  if (usages.length === 0) {
    return undefined;
  }
  const found = usages.flatMap((usage) =>
    usage.definition ? [location(usage.definition.file, usage.definition.constant.range)] : usagesOfKey(index, usage).filter((u) => isWriteOp(u.op)).map(toLocation),
  );
  // The write a mixin's method makes is each subclass's key's: one place.
  return found.filter((l, i) => found.findIndex((other) => other.uri === l.uri && sameRange(other.range, l.range)) === i);
}

/**
 * Find references: every access to the key under the cursor (to each, where the access is
 * several), and with `includeDeclaration` the literals of the constants that name it (`CART_KEY = "cart"`).
 */
export function sessionKeyReferences(index: SessionKeyIndex, file: string, line: number, character: number, includeDeclaration = true): Location[] | undefined {
  const usages = keyUsagesAt(index, file, { line, character });
  if (usages.length === 0) {
    return undefined;
  }
  return referencesOf(usages.flatMap((usage) => usagesOfKey(index, usage)), includeDeclaration);
}

/**
 * Every access to `key` in every workspace folder, with the literals of the constants that name
 * it, as Find References gives them from any of its accesses: what the Sessions view's Find Key
 * in Code shows for a session's key.
 */
export function sessionKeyReferencesOf(index: SessionKeyIndex, key: string): Location[] {
  return referencesOf(index.keys().get(key) ?? [], true);
}

function referencesOf(usages: readonly ResolvedUsage[], includeDeclaration: boolean): Location[] {
  const declarations = includeDeclaration ? constantLiteralsOf(usages).map((literal) => location(literal.file, literal.range)) : [];
  return [...declarations, ...distinctPlaces(usages).map(toLocation)];
}

function toLocation(u: ResolvedUsage): Location {
  return location(u.file, u.range);
}

/**
 * Go to definition on a `SESSION_*` setting: its module-level assignments in the project's
 * settings modules (a split settings package may assign it in several). Undefined when the
 * cursor is on no setting or the file belongs to no project.
 */
export function sessionSettingDefinition(index: SessionKeyIndex, text: TextSource, file: string, position: Position, scope: SettingScope): Location[] | undefined {
  return settingUses(index, text, file, position, scope)
    ?.uses.filter((u) => u.assignment)
    .map((u) => location(u.file, u.range));
}

/**
 * Find references on a `SESSION_*` setting: every use of its name in the project's settings
 * modules, file by file, then every `settings.SESSION_X` read the index has seen.
 */
export function sessionSettingReferences(index: SessionKeyIndex, text: TextSource, file: string, position: Position, scope: SettingScope): Location[] | undefined {
  const found = settingUses(index, text, file, position, scope);
  return found && [...found.uses, ...sessionSettingReads(index, found.name)].map((u) => location(u.file, u.range));
}

/**
 * Go to definition on the value of SESSION_CACHE_ALIAS in a settings module: the alias's key in
 * CACHES, in the project's settings modules. Undefined when the cursor is on no such value.
 */
export function cacheAliasDefinition(python: PythonParser, text: TextSource, file: string, position: Position, scope: SettingScope): Location[] | undefined {
  const at = scope.inSettingsModule && scope.project ? cacheAliasAt(python, text(file) ?? '', position) : undefined;
  return at && scope.project!.settingsFiles.flatMap((settingsFile) => cacheAliasKeyRanges(python, text(settingsFile) ?? '', at.alias).map((range) => location(settingsFile, range)));
}

/** The bare uses of the setting under the cursor in the settings modules of the file's project. */
function settingUses(index: SessionKeyIndex, text: TextSource, file: string, position: Position, scope: SettingScope): { name: string; uses: { file: string; range: Range; assignment: boolean }[] } | undefined {
  const setting = sessionSettingAt(index.python, text(file) ?? '', position, scope.inSettingsModule);
  if (!setting || !scope.project) {
    return undefined;
  }
  // The modules the project can also run with count for code outside them, after its configured ones, each file once.
  const files = [...new Set([...scope.project.settingsFiles, ...(scope.others ?? []).flatMap((other) => other.files)])];
  const uses = files.flatMap((settingsFile) => sessionSettingNameUses(index.python, text(settingsFile) ?? '', setting.name).map((use) => ({ file: settingsFile, ...use })));
  return { name: setting.name, uses };
}

function location(file: string, range: Range): Location {
  return { uri: fileUri(file), range };
}
