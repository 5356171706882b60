import type { Range } from '../range';

/** LSP-compatible severities by name. */
export type LintSeverity = 'error' | 'warning' | 'information' | 'hint';

/** One text replacement of a quick fix. */
export interface LintTextEdit {
  file: string;
  range: Range;
  newText: string;
}

/** A suggested fix that the editor can apply as it is. */
export interface LintFix {
  title: string;
  edits: LintTextEdit[];
}

/** One finding of a lint rule. */
export interface LintDiagnostic {
  file: string;
  range: Range;
  /** Stable rule code, e.g. `DS101`, or Django's own check id (`security.W012`). */
  code: string;
  severity: LintSeverity;
  /** Names the problem and the fix. */
  message: string;
  fix?: LintFix;
  /** DS201: the unknown setting's name, so a project that reads it (`settings.NAME`) can keep it. */
  setting?: string;
  /** DS211: the root of the project whose code must read `request.session` for the finding to stand (see withRequestSessionUses). */
  requestSessionIn?: string;
  /** DS211: the root of the project whose own code giving requests a session drops the finding (see withRequestSessionUses). */
  sessionGiverAbsentIn?: string;
  /**
   * DS209 without a session middleware: the files of the project's middleware listed above the
   * one that fails, whose giving requests a session drops the finding (see withRequestSessionUses).
   */
  sessionGiverFiles?: string[];
}
