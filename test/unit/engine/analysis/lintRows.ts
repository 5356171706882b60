import * as path from 'node:path';
import type { LintDiagnostic } from '../../../../engine/src/analysis';

type Fix = [title: string, ...edits: [file: string, startLine: number, startChar: number, endLine: number, endChar: number, newText: string][]];
/** A diagnostic as one comparable row: file relative to the fixture, 0-based range, code, severity, message, fix. */
export type LintRow = [file: string, startLine: number, startChar: number, endLine: number, endChar: number, code: string, severity: string, message: string, fix: Fix | null];

/** The row of a diagnostic, with files relative to `root`. */
export function lintRow(root: string, d: LintDiagnostic): LintRow {
  const fix: Fix | null = d.fix
    ? [d.fix.title, ...d.fix.edits.map((e): Fix[1] => [path.relative(root, e.file), e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.newText])]
    : null;
  return [path.relative(root, d.file), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.severity, d.message, fix];
}
