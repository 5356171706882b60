import type { LintDiagnostic, LintSeverity } from '../../../engine/src';

/** Where a finding is, as a workflow command gives it: a path from the job's directory, lines and columns from 1 in characters. */
interface AnnotationPlace {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const COMMAND: Record<LintSeverity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A message as a workflow command's data: GitHub ends the command at a newline and decodes %XX. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `,` and `:`, which separate the properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One finding as a GitHub Actions workflow command (`::error file=…,line=…::message`), which
 * the job log turns into an annotation on the pull request's diff.
 */
export function githubAnnotation(d: LintDiagnostic, at: AnnotationPlace): string {
  const properties = [
    `file=${escapeProperty(at.file)}`,
    `line=${at.line}`,
    `endLine=${at.endLine}`,
    // Columns are for a one-line range only: GitHub's annotations take neither on several lines.
    ...(at.endLine === at.line ? [`col=${at.column}`, `endColumn=${at.endColumn}`] : []),
    `title=${escapeProperty(d.code)}`,
  ];
  return `::${COMMAND[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`;
}
