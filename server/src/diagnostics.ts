import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import { lintProjectSettings, lintSessionKeys, sessionKeyLintOptions, noqaOf, suppressionFix, withoutSettingsTheCodeReads, withoutSuppressed, withRequestSessionUses, type DjangoProject, type LintDiagnostic, type LintFix, type LintSeverity } from '../../engine/src';
import { fileUri } from './fileUri';
import type { KeyIndexService } from './keyIndexService';
import type { ProjectModel } from './projectModel';

const SEVERITY: Record<LintSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Typing fires many changes; linting waits for a pause so the editor stays responsive. */
const DEBOUNCE_MS = 250;

/**
 * Publishes the engine's lint findings as LSP diagnostics and offers their fixes as quick fixes.
 * Session-key rules span files (a key read here may be written there), so every run lints the
 * whole index; settings rules are re-run only when discovery is invalidated.
 */
export class DiagnosticsPublisher {
  private timer: NodeJS.Timeout | undefined;
  /** The run under way: runs take turns, so the last one sent is of the newest text. */
  private publishing: Promise<void> = Promise.resolve();
  private published = new Map<string, LintDiagnostic[]>();
  /**
   * What was last sent for each file that has findings, with the document version: a file whose
   * findings and version are the same is not sent again. An open file edited since gets its findings
   * anew, since VS Code has moved the last ones along with the edits, maybe not where the new ones are.
   */
  private sentSignatures = new Map<string, string>();
  /** The version of each open document the published findings are of. */
  private lintedVersions: ReadonlyMap<string, number> = new Map();
  private settingsFindings: Promise<LintDiagnostic[]> | undefined;
  /**
   * The settings findings, with the text of each file they or their fixes touch as it was on disk
   * when they were read: settings are read from disk, so their places hold only for that text.
   */
  private settingsRead = new WeakMap<LintDiagnostic, Map<string, string | undefined>>();
  /** The projects the settings findings are of: as on disk, or as the editors have their settings while one is edited. */
  private linted: readonly DjangoProject[] = [];

  /**
   * `text` gives a file's text as the editor has it, for the `# noqa` comments that silence
   * findings; `openVersions` the version of each open document, by path.
   */
  constructor(
    private readonly connection: Connection,
    private readonly service: Promise<KeyIndexService>,
    private readonly model: ProjectModel,
    private readonly text: (file: string) => string | undefined,
    private readonly openVersions: () => ReadonlyMap<string, number>,
  ) {}

  /** Lints again after a short pause; `settingsChanged` (a settings file saved, or edited in its editor) also re-reads the settings rules. */
  schedule(settingsChanged = false): void {
    if (settingsChanged) {
      this.settingsFindings = undefined;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.publish(), DEBOUNCE_MS);
  }

  /** Lints now (after a run under way) and publishes per file, clearing files that no longer have findings. */
  publish(): Promise<void> {
    // This run lints every edit made before it starts: the one waiting for a pause is not needed.
    clearTimeout(this.timer);
    const run = this.publishing.then(() => this.lintAndSend());
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private async lintAndSend(): Promise<void> {
    const service = await this.service;
    await this.model.projects();
    this.settingsFindings ??= this.lintSettings();
    const settingsFindings = await this.settingsFindings;
    // From here to the sending, nothing waits: the findings are of the documents' versions taken with them.
    const index = service.index;
    const versions = this.openVersions();
    // SESSION_SAVE_EVERY_REQUEST typed in a settings editor already decides DS104, as its findings there do.
    const keyFindings = lintSessionKeys(index, (file) => sessionKeyLintOptions(this.model.projectOf(file, this.linted)));
    const findings = withoutSuppressed(withRequestSessionUses(withoutSettingsTheCodeReads([...keyFindings, ...settingsFindings], index), index), noqaOf(index, this.text));
    const byFile = new Map<string, LintDiagnostic[]>();
    for (const finding of findings) {
      const list = byFile.get(finding.file) ?? [];
      list.push(finding);
      byFile.set(finding.file, list);
    }
    // A file whose editor text does not parse is linted by its older text, whose places are not the editor's:
    // it keeps what it was last sent, which VS Code has moved along with the edits since.
    const heldBack = (file: string) => index.isHeldBack(file);
    const linted = [...byFile].filter(([file]) => !heldBack(file));
    for (const file of this.published.keys()) {
      if (heldBack(file)) {
        byFile.set(file, this.published.get(file)!);
      } else if (!byFile.has(file)) {
        linted.push([file, []]);
      }
    }
    this.published = byFile;
    this.lintedVersions = versions;
    // Every run lints the whole project, but an edit changes the findings of a few files: only theirs are sent.
    const sent = new Map<string, string>();
    for (const [file, list] of linted) {
      const params = { uri: fileUri(file), version: versions.get(file), diagnostics: list.map(toDiagnostic) };
      const signature = JSON.stringify(params);
      if (this.sentSignatures.get(file) !== signature) {
        await this.connection.sendDiagnostics(params);
      }
      if (list.length > 0) {
        sent.set(file, signature);
      }
    }
    for (const file of [...byFile.keys()].filter(heldBack)) {
      const signature = this.sentSignatures.get(file);
      if (signature !== undefined) {
        sent.set(file, signature);
      }
    }
    this.sentSignatures = sent;
  }

  /**
   * Quick fixes for the findings in a file that touch the range: each one's own fix, then
   * silencing it with a `# noqa` comment where one can go. Asked right after an edit, the file is
   * linted again first: the findings published are of the older text, whose places the fixes
   * would edit. None while the file's text does not parse (their places are older), or was edited
   * again during the lint.
   */
  async codeActions(file: string, range: Range): Promise<CodeAction[]> {
    const service = await this.service;
    if (this.openVersions().get(file) !== this.lintedVersions.get(file)) {
      await this.publish();
    }
    if (this.openVersions().get(file) !== this.lintedVersions.get(file) || service.index.isHeldBack(file)) {
      return [];
    }
    const text = this.text(file) ?? '';
    const action = (d: LintDiagnostic, fix: LintFix, isPreferred: boolean): CodeAction => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toDiagnostic(d)],
      isPreferred,
      edit: { changes: groupEdits(fix.edits) },
    });
    return (this.published.get(file) ?? [])
      .filter((d) => overlaps(d.range, range) && this.placesHold(d))
      // Django's checks are silenced by SILENCED_SYSTEM_CHECKS, which the message does not need a comment for.
      .flatMap((d) => {
        const silence = d.code.startsWith('security.') ? undefined : suppressionFix(d, text);
        return [...(d.fix ? [action(d, d.fix, true)] : []), ...(silence ? [action(d, silence, false)] : [])];
      });
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  /**
   * Whether a finding's places are those of the text its files have in the editor now. A settings
   * finding was read from the files on disk: once a file is edited and not saved (or saved and
   * not yet linted again), its fix would land on other lines, so it offers none.
   */
  private placesHold(d: LintDiagnostic): boolean {
    const read = this.settingsRead.get(d);
    return read === undefined || [...read].every(([file, text]) => this.text(file) === text);
  }

  /**
   * The settings findings, of the settings as the editors have them: read again with their
   * unsaved text while one is edited (the stores meanwhile follow the files on disk).
   */
  private async lintSettings(): Promise<LintDiagnostic[]> {
    const projects = await this.model.asOpen(this.text);
    const findings = (await Promise.all(projects.map((p) => lintProjectSettings(p, { settingsText: this.text })))).flat();
    this.linted = projects;
    const texts = new Map<string, string | undefined>();
    const readText = (file: string) => {
      if (!texts.has(file)) {
        texts.set(file, this.text(file));
      }
      return texts.get(file);
    };
    for (const finding of findings) {
      const files = new Set([finding.file, ...(finding.fix?.edits.map((edit) => edit.file) ?? [])]);
      this.settingsRead.set(finding, new Map([...files].map((file) => [file, readText(file)])));
    }
    return findings;
  }
}

function toDiagnostic(d: LintDiagnostic): Diagnostic {
  return { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: 'django-sessions', message: d.message };
}

function groupEdits(edits: NonNullable<LintDiagnostic['fix']>['edits']): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) {
    (changes[fileUri(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  }
  return changes;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}
