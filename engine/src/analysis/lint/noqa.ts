import type { LintDiagnostic, LintFix } from './lintDiagnostic';

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
 */
export function noqaLines(text: string, template = false): [number, string[]][] | undefined {
  if (!/noqa/i.test(text)) {
    return undefined;
  }
  const found: [number, string[]][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const codes = noqaCodes(line, template);
    if (codes) {
      found.push([i, [...codes]]);
    }
  });
  return found.length > 0 ? found : undefined;
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
 * The fix that silences a finding on its line: `# noqa: CODE` at the line's end (in a template,
 * `{# noqa: CODE #}`), or the code added to the line's own list.
 */
export function suppressionFix(diagnostic: LintDiagnostic, line: string): LintFix {
  const template = isTemplatePath(diagnostic.file);
  const existing = (template ? TEMPLATE_NOQA : NOQA).exec(line);
  const codes = existing?.indices?.[1];
  // The list ends before the separators and, in a template, the comment's `#}` that follow it.
  const listEnd = codes && existing?.[1] !== undefined ? codes[0] + existing[1].replace(/[\s,]+$/, '').length : undefined;
  const at = listEnd ?? line.replace(/\s+$/, '').length;
  const comment = template ? `{# noqa: ${diagnostic.code} #}` : `# noqa: ${diagnostic.code}`;
  const newText = listEnd !== undefined ? `, ${diagnostic.code}` : `  ${comment}`;
  const position = { line: diagnostic.range.start.line, character: at };
  return { title: `Ignore ${diagnostic.code} on this line (${template ? '{# noqa #}' : '# noqa'})`, edits: [{ file: diagnostic.file, range: { start: position, end: position }, newText }] };
}
