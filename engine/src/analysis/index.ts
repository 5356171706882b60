/**
 * Python source analysis over a real parser (web-tree-sitter + tree-sitter-python):
 *
 * - `SessionKeyIndex`: every `request.session` access in the workspace, incremental per
 *   file (`updateFile` / `removeFile`); `indexDirectory` fills one from disk, parsing on a
 *   worker thread too in a large tree when the bundled `analysisWorker.js` is beside it.
 * - `sessionKeyCompletionContext(index, text, line, character)`: is the cursor typing a
 *   session key, and which range to replace.
 * - `scanProject(dir)` / `scanJson(scan, root)`: the data and JSON of the CLI's `scan`.
 * - `lintProject(dir)`: the diagnostics of the CLI's `lint`; `lintSessionKeys(index, options)`
 *   and `lintProjectSettings(project)` give the same per layer for the language server.
 *
 * Ranges are 0-based lines and 0-based UTF-16 characters, as in LSP.
 */
export { rangeJson, type Position, type Range } from './range';
export { isWriteOp, type SessionKeyUsage, type SessionOp, type UnresolvedSessionKey } from './sessionKeyUsage';
export type { ConstantDefinition } from './keyResolver';
export { SessionKeyIndex, type ResolvedUsage } from './sessionKeyIndex';
export { sessionKeyCompletionContext, type SessionKeyCompletionContext } from './sessionKeyCompletion';
export { loadPythonParser, type PythonParser } from './pythonParser';
export { findPythonFiles } from './pythonFiles';
export { indexDirectory } from './indexDirectory';
export { scanProject, scanJson, type ProjectScan, type ScannedSetting } from './scanProject';
export type { LintDiagnostic, LintFix, LintSeverity, LintTextEdit } from './lint/lintDiagnostic';
export { lintSessionKeys, type SessionKeyLintOptions } from './lint/sessionKeyRules';
export { lintProject, lintProjectSettings, sessionKeyLintOptions, sortDiagnostics } from './lint/lintProject';
