import type { LintDiagnostic, LintFix } from './lintDiagnostic';

import { logicalLines } from '../logicalLines';
import { isTemplatePath } from '../templateSessionReads';

/** flake8's `# noqa: DS101, security.W012` comments, which Python developers already write. */
const NOQA = /#\s*noqa\b(?::\s*((?:[A-Za-z][\w.]*[\s,]*)+))?/id;
/** The same list in a template comment, `{# noqa: DS101 #}`, which renders as nothing. */
const TEMPLATE_NOQA = /\{#\s*noqa\b(?::\s*((?:[A-Za-z][\w.]*[\s,]*)+))?\s*#\}/id;

/**
 * The codes a line's `# noqa: …` comment lists, upper-cased; undefined without one. A bare
 * `# noqa` is left to flake8: split settings start `from .base import *  # noqa`, and that
 * line is where a settings module's deploy warnings point.
 */
export function noqaCodes(line: string, template = false): Set<string> | undefined {
  const listed = (template ? TEMPLATE_NOQA : NOQA).exec(line)?.[1]?.split(/[\s,]+/).filter(Boolean);
  return listed && listed.length > 0 ? new Set(listed.map((code) => code.toUpperCase())) : undefined;
}

/**
 * The 0-based lines of a text that carry a `# noqa: …` list, with their codes; undefined for the
 * many files that have none. Read with the rest of a file's facts, so linting reads no file again.
 * In Python only a comment counts, not a string that reads like one; one after the last line of a
 * statement that goes on over several lines (a backslash, a string over lines, brackets) covers
 * all of its lines, as flake8 takes it, since no comment can follow a line that ends inside a string.
 */
export function noqaLines(text: string, template = false): [number, string[]][] | undefined {
  if (!/noqa/i.test(text)) {
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  const found = new Map<number, Set<string>>();
  const add = (line: number, codes: Set<string>) => found.set(line, new Set([...(found.get(line) ?? []), ...codes]));
  if (template) {
    lines.forEach((line, i) => {
      const codes = noqaCodes(line, true);
      if (codes) {
        add(i, codes);
      }
    });
  } else {
    const { comments, logicalEnd } = logicalLines(text);
    comments.forEach((at, i) => {
      const codes = at === undefined ? undefined : noqaCodes(lines[i]!.slice(at));
      for (let line = i; codes && line >= 0 && (line === i || logicalEnd[line] === i); line--) {
        add(line, codes);
      }
    });
  }
  return found.size > 0 ? [...found].sort(([a], [b]) => a - b).map(([line, codes]) => [line, [...codes]]) : undefined;
}

/**
 * Drops the findings whose first line carries a `# noqa` that covers their code, by the lines
 * `noqaOf` gives for a file: the index's facts of it, or (for a file the index does not hold,
 * such as settings outside the folder) `noqaLines` of its text.
 */
export function withoutSuppressed(diagnostics: LintDiagnostic[], noqaOf: (file: string) => [number, string[]][] | undefined): LintDiagnostic[] {
  const byFile = new Map<string, Map<number, string[]>>();
  return diagnostics.filter((d) => {
    let lines = byFile.get(d.file);
    if (!lines) {
      lines = new Map(noqaOf(d.file));
      byFile.set(d.file, lines);
    }
    return !lines.get(d.range.start.line)?.includes(d.code.toUpperCase());
  });
}

/**
 * The fix that silences a finding: `# noqa: CODE` at the end of its line (in a template,
 * `{# noqa: CODE #}`), or the code added to the line's own list. Where the line ends inside a
 * string or with a backslash, the comment goes after the statement's last line, which noqaLines
 * reads as covering it; undefined where the file gives no such place (a string left open).
 */
export function suppressionFix(diagnostic: LintDiagnostic, text: string): LintFix | undefined {
  const template = isTemplatePath(diagnostic.file);
  const lines = text.split(/\r?\n/);
  let at = diagnostic.range.start.line;
  let commentAt: number | undefined = 0;
  if (!template) {
    const python = logicalLines(text);
    if (python.openEnded[at]) {
      at = python.logicalEnd[at]!;
    }
    if (python.openEnded[at]) {
      return undefined;
    }
    commentAt = python.comments[at];
  }
  const line = lines[at] ?? '';
  const comment = commentAt === undefined ? '' : line.slice(commentAt);
  const existing = (template ? TEMPLATE_NOQA : NOQA).exec(comment);
  const codes = existing?.indices?.[1];
  // The list ends before the separators and, in a template, the comment's `#}` that follow it.
  const listEnd = codes && existing?.[1] !== undefined ? commentAt! + codes[0] + existing[1].replace(/[\s,]+$/, '').length : undefined;
  const newText = listEnd !== undefined ? `, ${diagnostic.code}` : `  ${template ? `{# noqa: ${diagnostic.code} #}` : `# noqa: ${diagnostic.code}`}`;
  const position = { line: at, character: listEnd ?? line.replace(/\s+$/, '').length };
  const title = at === diagnostic.range.start.line ? `Ignore ${diagnostic.code} on this line (${template ? '{# noqa #}' : '# noqa'})` : `Ignore ${diagnostic.code} in this statement (# noqa on line ${at + 1})`;
  return { title, edits: [{ file: diagnostic.file, range: { start: position, end: position }, newText }] };
}
