import * as path from 'node:path';
import type { DiscoveryOptions, DjangoProject, ResolvedSetting } from '../../project/discoverProjects';
import { installedApps } from '../../project/installedApps';
import { serializerKind } from '../../project/sessionSettingDefaults';
import { sessionMiddlewareEntries } from '../../project/sessionMiddlewareEntries';
import { namedForTests } from '../../project/settingsModuleSource';
import { type SettingsVariant, settingsVariants } from '../../project/settingsVariants';
import { certainStrs, NONE, strItems } from '../../project/settingValue';
import type { SettingsText } from '../../project/settingsEvaluation';
import { indexProjects, type UnreadableFile } from '../indexProjects';
import { loadPythonParser } from '../pythonParser';
import { sessionSettingNameUses } from '../sessionSettingNames';
import { WRITTEN_WITH_SETTINGS } from '../thirdPartySessionKeys';
import { byStart } from '../range';
import type { SessionKeyIndex } from '../sessionKeyIndex';
import { readTextFile } from '../textFile';
import { deploySessionChecks } from './deploySessionChecks';
import type { LintDiagnostic } from './lintDiagnostic';
import { lintSessionKeys, type SessionKeyLintOptions } from './sessionKeyRules';
import { isUnknownSettingName, lintSettings, unknownSettingName } from './settingsRules';
import { noqaLines, withoutSuppressed } from './noqa';
import { listItemLiteralsOnce } from './listItemLiterals';
import { requestSessionWithoutMiddleware, withRequestSessionUses } from './requestSessionWithoutMiddleware';
import { sessionMiddlewareOrder } from './sessionMiddlewareOrder';
import { sessionsAppMissing } from './sessionsAppMissing';

/**
 * The session-key rule options a project's settings imply (JSON and no save-every-request when
 * unknown; INSTALLED_APPS only where the settings give it, see installedApps).
 */
export function sessionKeyLintOptions(project: DjangoProject | undefined): SessionKeyLintOptions {
  const store = project?.stores[0];
  const saveEvery = project?.settings.find((setting) => setting.name === 'SESSION_SAVE_EVERY_REQUEST')?.value;
  const version = project?.djangoVersion?.version;
  const apps = project ? installedApps(project) : undefined;
  const socialFields = strItems(project?.settings.find((setting) => setting.name === 'SOCIAL_AUTH_FIELDS_STORED_IN_SESSION')?.value);
  // Off where the settings read leave it unset or False; one they set but static reading cannot tell may be on.
  const settingsOff = project?.settingsFiles.length
    ? WRITTEN_WITH_SETTINGS.filter((name) => {
        const value = project.settings.find((setting) => setting.name === name)?.value;
        return value === undefined || (value.kind === 'bool' && !value.value);
      })
    : [];
  return {
    serializer: store?.serializer ?? serializerWithoutStore(project),
    saveEveryRequest: saveEvery?.kind === 'bool' && saveEvery.value,
    ...(version ? { djangoVersion: version } : {}),
    ...(apps ? { installedApps: apps } : {}),
    ...(socialFields?.length ? { settingsWrittenKeys: socialFields } : {}),
    ...(settingsOff.length ? { settingsOff } : {}),
    ...(store ? { engine: store.engine } : {}),
  };
}

/**
 * The serializer of a project whose settings give no store (its engine cannot be read, or its
 * settings at all): the one SESSION_SERIALIZER names, Django's JSON where it names none, and
 * 'custom' (which DS103 does not judge) where the settings say nothing that can be read: authentik
 * pickles, and its settings are not found without help.
 */
function serializerWithoutStore(project: DjangoProject | undefined): SessionKeyLintOptions['serializer'] {
  if (!project) {
    return 'json';
  }
  const named = project.settings.find((setting) => setting.name === 'SESSION_SERIALIZER')?.value;
  if (project.settingsFiles.length === 0 || (named !== undefined && named.kind !== 'str')) {
    return 'custom';
  }
  return named === undefined ? 'json' : serializerKind(named.value);
}

const SESSION_NAME = /(?<![\w.])SESSION_[A-Z0-9_]+\b/g;

/**
 * DS201 for the `SESSION_*` names a settings module assigns only in a branch that does not run
 * here (`if not DEBUG: SESSION_COOKIE_DOMIAN = …`): the typo would show only in production.
 */
async function unboundSettingNames(variant: { files: readonly string[]; settings: readonly ResolvedSetting[] }, settingsText?: SettingsText): Promise<LintDiagnostic[]> {
  const bound = new Set(variant.settings.map((setting) => setting.name));
  const found: LintDiagnostic[] = [];
  for (const file of variant.files) {
    const text = settingsText?.(file) ?? readableText(file);
    // Only names DS201 would report are looked up in the tree.
    const names = new Set([...(text ?? '').matchAll(SESSION_NAME)].map((match) => match[0]).filter((name) => !bound.has(name) && isUnknownSettingName(name)));
    if (!text || names.size === 0) {
      continue;
    }
    const python = await loadPythonParser();
    for (const name of names) {
      const assignment = sessionSettingNameUses(python, text, name).find((use) => use.assignment);
      const diagnostic = assignment && unknownSettingName({ name, value: NONE, location: { file, line: assignment.range.start.line + 1, column: assignment.range.start.character } });
      if (diagnostic) {
        found.push(diagnostic);
        bound.add(name);
      }
    }
  }
  return found;
}

/**
 * DS209–DS211 on one settings module: settings under which requests fail for want of a session.
 * DS211 is left out where DS209 reports the missing session middleware already.
 */
async function sessionWiringRules(variant: SettingsVariant, project: DjangoProject, settingsText?: SettingsText): Promise<LintDiagnostic[]> {
  const byName = new Map(variant.settings.map((setting) => [setting.name, setting]));
  const setting = (name: string) => byName.get(name);
  const middleware = listItemLiteralsOnce(variant.files, 'MIDDLEWARE', settingsText);
  const givers = await sessionMiddlewareEntries(certainStrs(setting('MIDDLEWARE')?.value) ?? [], project.root);
  const givesSession = (name: string) => givers.has(name);
  const order = await sessionMiddlewareOrder(setting, middleware, project.djangoVersion, givesSession, project.root);
  const noMiddleware = order.length > 0 ? [] : await requestSessionWithoutMiddleware(setting, middleware, project.root, givesSession);
  return [...order, ...(await sessionsAppMissing(setting, listItemLiteralsOnce(variant.files, 'INSTALLED_APPS', settingsText), givesSession)), ...noMiddleware];
}

/**
 * Every settings diagnostic of one project: the DS2xx rules and Django's W010–W015 on each
 * settings module it can run with (see `settingsVariants`: `prod.py` beside the configured
 * `dev.py`), once per place, so a shared `base.py` is reported once.
 */
export async function lintProjectSettings(project: DjangoProject, opts: DiscoveryOptions = {}): Promise<LintDiagnostic[]> {
  const variants = await settingsVariants(project, opts);
  const diagnostics = variants.length === 0 ? lintSettings(project, opts.settingsText) : [];
  for (const variant of variants) {
    const settingsDiagnostics = [
      ...lintSettings({ ...project, settings: variant.settings, settingsFiles: variant.files }, opts.settingsText),
      ...(await unboundSettingNames(variant, opts.settingsText)),
      ...(await sessionWiringRules(variant, project, opts.settingsText)),
    ];
    // Among several, a test run's or a developer's settings beside the configured ones are not
    // deployed: check --deploy and a per-process cache (one runserver, one test process) are no
    // concern there. The configured module is judged whatever its name (CVAT's manage.py names development).
    // So are settings only a test runner's configuration names (a reusable app's tests/settings.py, found through tox.ini).
    const testRun = variant === variants[0] ? namedForTests(project.settingsVia) : variants.length > 1 && variant.role !== undefined;
    if (testRun) {
      diagnostics.push(...settingsDiagnostics.filter((d) => d.code !== 'DS205'));
    } else {
      diagnostics.push(...settingsDiagnostics, ...deploySessionChecks(variant, project.djangoVersion, opts.settingsText));
    }
  }
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const id = JSON.stringify([d.file, d.range, d.code, d.message]);
    if (seen.has(id)) {
      return false;
    }
    seen.add(id);
    return true;
  });
}

/**
 * Lints a directory: session keys in every Python file, and the settings of each Django
 * project found there. Sorted by file, position and code.
 */
export async function lintProject(dir: string, opts: DiscoveryOptions = {}): Promise<LintDiagnostic[]> {
  return (await lintDirectory(dir, opts)).diagnostics;
}

/** lintProject, with the projects it found and read (for the CLI's note on settings it could not read). */
export async function lintDirectory(dir: string, opts: DiscoveryOptions = {}): Promise<{ diagnostics: LintDiagnostic[]; projects: DjangoProject[]; unreadable: UnreadableFile[] }> {
  const { index, projects, unreadable } = await indexProjects(dir, opts);
  const byDepth = [...projects].sort((a, b) => b.root.length - a.root.length);
  const projectOf = (file: string): DjangoProject | undefined => byDepth.find((project) => file.startsWith(project.root + path.sep)) ?? projects[0];
  const diagnostics = lintSessionKeys(index, (file) => sessionKeyLintOptions(projectOf(file)));
  for (const project of projects) {
    diagnostics.push(...(await lintProjectSettings(project, opts)));
  }
  return { diagnostics: sortDiagnostics(withoutSuppressed(withRequestSessionUses(withoutSettingsTheCodeReads(diagnostics, index), index), noqaOf(index, readableText))), projects, unreadable };
}

/**
 * A file's `# noqa` lines from the index's facts of it, read with its session code; a file the
 * index does not hold (settings outside the folder) is read for them.
 */
export function noqaOf(index: SessionKeyIndex, textOf: (file: string) => string | undefined): (file: string) => [number, string[]][] | undefined {
  return (file) => {
    const analysis = index.analysisOf(file);
    if (analysis) {
      return analysis.noqa;
    }
    const text = textOf(file);
    return text === undefined ? undefined : noqaLines(text);
  };
}

function readableText(file: string): string | undefined {
  try {
    return readTextFile(file);
  } catch {
    return undefined;
  }
}

/**
 * Drops DS201 for a `SESSION_*` name the project's own code reads (`settings.SESSION_IDLE_TIMEOUT`
 * in a middleware, or the bare name in the settings themselves): that is the project's setting,
 * not a typo of Django's, and removing or renaming it would break the code that reads it.
 */
export function withoutSettingsTheCodeReads(diagnostics: LintDiagnostic[], index: SessionKeyIndex): LintDiagnostic[] {
  const read = new Set<string>();
  for (const analysis of index.analyses()) {
    analysis.settingReads?.forEach((r) => read.add(r.name));
    analysis.bareSettingReads?.forEach((name) => read.add(name));
  }
  return diagnostics.filter((d) => d.setting === undefined || !read.has(d.setting));
}

/** Orders diagnostics by file, then position, then code. */
export function sortDiagnostics(diagnostics: LintDiagnostic[]): LintDiagnostic[] {
  return diagnostics.sort((a, b) => a.file.localeCompare(b.file) || byStart(a, b) || a.code.localeCompare(b.code));
}
