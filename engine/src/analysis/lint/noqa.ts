import type { LintDiagnostic, LintFix } from './lintDiagnostic';

/** flake8's `# noqa: DS101, security.W012` comments, which Python developers already write. */
const NOQA = /#\s*noqa\b(?::\s*((?:[A-Za-z][\w.]*[\s,]*)+))?/i;

/**
 * The codes a line's `# noqa: …` comment lists, upper-cased; undefined without one. A bare
 * `# noqa` is left to flake8: split settings start `from .base import *  # noqa`, and that
 * line is where a settings module's deploy warnings point.
 */
export function noqaCodes(line: string): Set<string> | undefined {
  const listed = NOQA.exec(line)?.[1]?.split(/[\s,]+/).filter(Boolean);
  return listed && listed.length > 0 ? new Set(listed.map((code) => code.toUpperCase())) : undefined;
}

/**
 * Drops the findings whose first line carries a `# noqa` that covers their code. `textOf`
 * gives a file's text (an editor's, or the file's); each file is read once.
 */
export function withoutSuppressed(diagnostics: LintDiagnostic[], textOf: (file: string) => string | undefined): LintDiagnostic[] {
  const lines = new Map<string, string[]>();
  return diagnostics.filter((d) => {
    let fileLines = lines.get(d.file);
    if (!fileLines) {
      fileLines = (textOf(d.file) ?? '').split(/\r?\n/);
      lines.set(d.file, fileLines);
    }
    return !noqaCodes(fileLines[d.range.start.line] ?? '')?.has(d.code.toUpperCase());
  });
}

/** The fix that silences a finding on its line: `# noqa: CODE` at the line's end, or the code added to the line's own list. */
export function suppressionFix(diagnostic: LintDiagnostic, line: string): LintFix {
  const existing = NOQA.exec(line);
  const end = line.replace(/\s+$/, '').length;
  const at = existing?.[1] !== undefined ? existing.index + existing[0].replace(/[\s,]+$/, '').length : end;
  const newText = existing?.[1] !== undefined ? `, ${diagnostic.code}` : `  # noqa: ${diagnostic.code}`;
  const position = { line: diagnostic.range.start.line, character: at };
  return { title: `Ignore ${diagnostic.code} on this line (# noqa)`, edits: [{ file: diagnostic.file, range: { start: position, end: position }, newText }] };
}
