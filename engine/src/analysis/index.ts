/**
 * Python source analysis over a real parser (web-tree-sitter + tree-sitter-python):
 *
 * - `SessionKeyIndex`: every `request.session` access in the workspace, incremental per
 *   file (`updateFile` / `removeFile`), its `settings.NAME` keys read from the settings of the
 *   Django projects it is given (`setProjectSettings`); `indexDirectory` fills one from disk,
 *   parsing on a worker thread too in a large tree when the bundled `analysisWorker.js` is beside it.
 * - `sessionKeyCompletionContext(index, text, line, character)`: is the cursor typing a
 *   session key, and which range to replace (`templateKeyCompletionContext(text, file, line,
 *   character)` in a template); `keyCompletionText` what to write there for a key.
 * - `scanProject(dir)` / `scanJson(scan, root)`: the data and JSON of the CLI's `scan`.
 * - `lintProject(dir)`: the diagnostics of the CLI's `lint` (`lintDirectory(dir)` with the projects read); `lintSessionKeys(index, options)`
 *   and `lintProjectSettings(project)` give the same per layer for the language server, whose
 *   DS211 `withRequestSessionUses(findings, index)` keeps only where the code reads `request.session`
 *   (and DS209 and DS211 only where no code gives requests a session itself).
 * - `thirdPartyUsesOf(key)`: which well-known third-party apps write or read a session key.
 * - `skippedPythonFiles(dir)`: why a directory gives `scan` and `lint` no Python file to read.
 * - Django's `SESSION_*` settings in a settings module: `sessionSettingCompletions` (names and
 *   value choices at the cursor), `sessionSettingAt` (the setting under the cursor, also as
 *   `settings.SESSION_X` in code), `describeSessionSetting` (docs, default, the project's value),
 *   `sessionSettingNameUses` and `sessionSettingReads` (assignments and reads, for navigation).
 *
 * Ranges are 0-based lines and 0-based UTF-16 characters, as in LSP.
 */
export { rangeJson, sameRange, type Position, type Range } from './range';
export { distinctPlaces, isWriteOp, savedWrites, type SessionKeyUsage, type SessionOp, type UnresolvedSessionKey } from './sessionKeyUsage';
export type { ConstantDefinition } from './keyResolver';
export type { KeySpelling } from './keySpelling';
export { SessionKeyIndex, type ResolvedUsage } from './sessionKeyIndex';
export { keyCompletionText, sessionKeyCompletionContext, type SessionKeyCompletionContext } from './sessionKeyCompletion';
export { loadPythonParser, type PythonParser } from './pythonParser';
export { findIndexedFiles, findIndexedFilesBelow, findPythonFiles } from './pythonFiles';
export { isTemplateLookupKey, isTemplatePath, TEMPLATE_GLOB } from './templateSessionReads';
export { templateKeyCompletionContext } from './templateKeyCompletion';
export { skippedPythonFiles, type SkippedPythonDirectory } from './skippedPythonFiles';
export { readTextFile } from './textFile';
export { indexDirectory, type IndexOptions } from './indexDirectory';
export { scanProject, scanJson, type ProjectScan, type ScannedSetting } from './scanProject';
export type { UnreadableFile } from './indexProjects';
export type { LintDiagnostic, LintFix, LintSeverity, LintTextEdit } from './lint/lintDiagnostic';
export { LINT_RULES, type LintRule } from './lint/lintRules';
export { lintSessionKeys, type SessionKeyLintOptions } from './lint/sessionKeyRules';
export { installedAppWrites, installedThirdPartyApps, installedUsesOf, thirdPartyApps, thirdPartyUsesOf, type PrefixKeys, type ThirdPartyApp, type ThirdPartyKey } from './thirdPartySessionKeys';
export { suppressionFix, withoutSuppressed } from './lint/noqa';
export { lintDirectory, lintProject, lintProjectSettings, noqaOf, sessionKeyLintOptions, sortDiagnostics, withoutSettingsTheCodeReads } from './lint/lintProject';
export { unplacedDeployChecks } from './lint/deploySessionChecks';
export { withRequestSessionUses } from './lint/requestSessionWithoutMiddleware';
export { SESSION_SETTING_DOCS, SESSION_SETTING_TYPE_WORDS, sessionSettingChoices, type SessionSettingChoice, type SessionSettingDoc, type SessionSettingType } from './sessionSettingDocs';
export { sessionSettingCompletions, type SettingCompletion } from './settingCompletion';
export { cacheAliasAt, cacheAliasKeyRanges, projectCaches, type CacheAlias } from './cacheAliasSetting';
export { describeSessionSetting, settingValueText, type SessionSettingFacts } from './settingHover';
export {
  isSessionSettingName,
  sessionSettingAt,
  sessionSettingNameUses,
  sessionSettingReads,
  type SessionSettingAt,
  type SessionSettingNameUse,
  type SessionSettingRead,
} from './sessionSettingNames';
