import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, Result } from 'sarif';
import { LINT_RULES, type LintDiagnostic, type LintSeverity } from '../../../engine/src';

const LEVEL: Record<LintSeverity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * Where a file is, as SARIF's artifactLocation gives it: a relative reference from %SRCROOT%,
 * each segment %-encoded whole, since `#`, `?` or a `:` in a first segment (`q#1/views.py`,
 * `ab:c/views.py`) would otherwise read as a fragment, a query or a scheme; a file outside it
 * as its file: URI.
 */
function artifactLocation(file: string): ArtifactLocation {
  if (path.isAbsolute(file)) {
    return { uri: pathToFileURL(file).href };
  }
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * Lint findings as a SARIF 2.1.0 log, the format code-scanning services take (GitHub's
 * upload-sarif). Paths are relative to `root`, the job's directory, which SARIF names
 * %SRCROOT% (`relative` gives them so, or whole for a file outside it); columns count UTF-16
 * code units from 1, as the log declares.
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
                artifactLocation: artifactLocation(relative(d.file)),
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
