import { pathToFileURL } from 'node:url';
import type { Log, Result } from 'sarif';
import { LINT_RULES, type LintDiagnostic, type LintSeverity } from '../../../engine/src';

const LEVEL: Record<LintSeverity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * Lint findings as a SARIF 2.1.0 log, the format code-scanning services take (GitHub's
 * upload-sarif). Paths are relative to `root`, the job's directory, which SARIF names
 * %SRCROOT%; columns count UTF-16 code units from 1, as the log declares.
 */
export function sarifReport(diagnostics: readonly LintDiagnostic[], root: string, relative: (file: string) => string): Log {
  const used = new Set(diagnostics.map((d) => d.code));
  const rules = LINT_RULES.filter((rule) => used.has(rule.code));
  const ruleIndex = new Map(rules.map((rule, i) => [rule.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'django-sessions',
            rules: rules.map((rule) => ({ id: rule.code, shortDescription: { text: rule.summary } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code),
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(relative(d.file)), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: d.range.start.line + 1,
                  startColumn: d.range.start.character + 1,
                  endLine: d.range.end.line + 1,
                  endColumn: d.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
