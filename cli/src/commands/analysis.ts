import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, enclosingProjectRoot, findPythonFiles, lintDirectory, rangeJson, readTextFile, scanJson, scanProject, skippedPythonFiles, unplacedDeployChecks, type DjangoProject, type LintDiagnostic, type UnreadableFile } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { settingsArgument } from '../resolveStores';
import { CliError, ExitCode } from '../exitCodes';
import { githubAnnotation } from '../lintFormats/githubAnnotations';
import { sarifReport } from '../lintFormats/sarifReport';
import { oneLine, writeError } from '../terminalText';

type Out = (text: string) => void;

/**
 * A 1-based column in characters, as Python and editors count them, of a 0-based UTF-16 one
 * (LSP's and --json's): they differ after a character beyond the BMP (an emoji in a string).
 */
function textColumns(): (file: string, line: number, utf16: number) => number {
  const lines = new Map<string, string[] | undefined>();
  return (file, line, utf16) => {
    if (!lines.has(file)) {
      let text: string | undefined;
      try {
        // As the analysis read it: the positions are in that text.
        text = readTextFile(file);
      } catch {
        text = undefined;
      }
      lines.set(file, text?.split('\n'));
    }
    const before = lines.get(file)?.[line]?.slice(0, utf16);
    return (before === undefined ? utf16 : [...before].length) + 1;
  };
}

/**
 * A path as text, GitHub and SARIF output give it: from the current directory, so a terminal
 * opens it where it was printed (`lint myproject` prints `myproject/shop/views.py`), or whole
 * when it lies outside. JSON keeps paths from DIR.
 */
function fromCwd(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** `scan DIR`: every session-key access found in the code, and the `SESSION_*` settings. */
export async function scanCommand(args: ParsedArgs, out: Out): Promise<number> {
  const { base: dir, root, within } = await analysisScope(args, false);
  const module = await settingsModule(args, root);
  const whole = await scanProject(root, { settingsModule: module });
  const scanned = within ? { ...whole, usages: whole.usages.filter((u) => within(u.file)), unresolved: whole.unresolved.filter((u) => within(u.file)) } : whole;
  const json = scanJson(scanned, dir);
  const found = foundPythonFiles(args, dir) && readSome(args, root, whole.unreadable, within) ? ExitCode.ok : ExitCode.notFound;
  noteUnreadSettings(args, root, found === ExitCode.ok ? scanned.projects : undefined);
  if (args.json) {
    out(JSON.stringify(json));
    return found;
  }
  const column = textColumns();
  const at = (u: { file: string; line: number; column: number }) => {
    const file = path.resolve(dir, u.file);
    return `${fromCwd(file)}:${u.line}:${column(file, u.line - 1, u.column)}`;
  };
  for (const u of json.usages as Array<{ key: string; op: string; file: string; line: number; column: number }>) {
    out(`${at(u)}\t${u.op}\t${oneLine(u.key)}`);
  }
  for (const u of json.unresolved as Array<{ op: string; file: string; line: number; column: number; reason: string }>) {
    out(`${at(u)}\t${u.op}\t(unresolved: ${oneLine(u.reason)})`);
  }
  json.settings.forEach((s, i) => {
    const setting = s as { name: string; file: string; line: number };
    out(`${fromCwd(path.resolve(dir, setting.file))}:${setting.line}\t${setting.name} = ${oneLine(scanned.settings[i]!.text)}`);
  });
  return found;
}

/**
 * `lint PATH...`: diagnostics for session keys and settings, of a directory or of Python files
 * (a pre-commit hook's); exit 1 when any is an error, or when a directory holds no Python file to lint.
 */
export async function lintCommand(args: ParsedArgs, out: Out): Promise<number> {
  const { base: dir, root, within, dirs } = await analysisScope(args, true);
  const module = await settingsModule(args, root);
  const linted = await lintDirectory(root, { settingsModule: module });
  const diagnostics = within ? linted.diagnostics.filter((d) => within(d.file)) : linted.diagnostics;
  const found = dirs.every((d) => foundPythonFiles(args, d)) && readSome(args, root, linted.unreadable, within);
  noteUnreadSettings(args, root, found ? linted.projects : undefined);
  const relative = (file: string) => path.relative(dir, file).split(path.sep).join('/');
  const column = textColumns();
  const format = lintFormat(args);
  if (format === 'json') {
    out(JSON.stringify({ diagnostics: diagnostics.map((d) => diagnosticJson(d, relative)) }));
  } else if (format === 'sarif') {
    // Code scanning resolves paths from the repository's root, where a CI job runs.
    out(JSON.stringify(sarifReport(diagnostics, process.cwd(), fromCwd), null, 2));
  } else if (format === 'github') {
    for (const d of diagnostics) {
      const { start, end } = d.range;
      const at = {
        file: fromCwd(d.file),
        line: start.line + 1,
        column: column(d.file, start.line, start.character),
        endLine: end.line + 1,
        endColumn: column(d.file, end.line, end.character),
      };
      out(githubAnnotation(d, at));
    }
    out(findingsSummary(diagnostics));
  } else {
    for (const d of diagnostics) {
      out(`${fromCwd(d.file)}:${d.range.start.line + 1}:${column(d.file, d.range.start.line, d.range.start.character)}: ${d.severity} ${d.code} ${oneLine(d.message)}`);
    }
    out(findingsSummary(diagnostics));
  }
  return !found || diagnostics.some((d) => d.severity === 'error') ? ExitCode.notFound : ExitCode.ok;
}

const LINT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

/** `--format`, or json for `--json`; both given must agree. */
function lintFormat(args: ParsedArgs): LintFormat {
  const given = args.flags.get('--format');
  if (given === undefined) {
    return args.json ? 'json' : 'text';
  }
  if (!LINT_FORMATS.includes(given as LintFormat)) {
    throw new CliError(ExitCode.usage, `--format must be one of ${LINT_FORMATS.join(', ')}, not ${JSON.stringify(given)}.`);
  }
  if (args.json && given !== 'json') {
    throw new CliError(ExitCode.usage, `--json and --format ${String(given)} ask for two formats; give one.`);
  }
  return given as LintFormat;
}

function findingsSummary(diagnostics: readonly LintDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}`;
}

/**
 * Says on stderr which projects' settings could not be read, or name no session store that can
 * be read: the settings rules then check nothing there, which a clean report would hide (weblate
 * without its settings file). stdout stays as it is, valid JSON with --json, and so does the exit code.
 */
function noteUnreadSettings(args: ParsedArgs, dir: string, projects: readonly DjangoProject[] | undefined): void {
  const command = args.command ?? 'lint';
  if (projects === undefined) {
    return;
  }
  if (projects.length === 0) {
    // A reusable app or a project its own launcher starts (Sentry, Evennia): a clean report would hide that no settings were read.
    const assumed = command === 'lint' ? ' and DS103 took Django\'s default JSONSerializer' : '';
    writeError(
      `django-sessions: ${command}: note: no Django settings found in ${dir} (no Django manage.py within two levels, and no wsgi.py, asgi.py, pytest or tox configuration naming DJANGO_SETTINGS_MODULE), so no settings rule checked anything${assumed}; give them with --settings MODULE.\n`,
    );
  }
  for (const project of projects) {
    const where = path.relative(dir, project.root).split(path.sep).join('/') || '.';
    noteSettingsThatStopDjango(args, dir, where, project);
    // scan judges no rule, so what the rules could not judge is lint's to say.
    if (args.command !== 'scan') {
      noteUnjudgedSettings(args, where, project);
    }
    if (project.settingsFiles.length > 0 && project.stores.length > 0) {
      continue;
    }
    const unread = project.settingsFiles.length === 0;
    const why = (unread ? project.problems[0] : project.problems.find((problem) => problem.message.includes('SESSION_ENGINE')))?.message ?? project.problems[0]?.message ?? 'no session store in them';
    const what = unread ? 'its settings could not be read' : 'its SESSION_ENGINE cannot be read statically';
    const effect = unread ? 'no settings rule checked them; give them with --settings' : 'the rules that depend on the engine checked nothing there';
    writeError(`django-sessions: ${args.command ?? 'lint'}: note: in ${where}, ${what} (${why}); ${effect}.\n`);
  }
}

/**
 * Says where Django could not even import the settings as they read here (a raise at module
 * level, or a syntax error: Pontoon's committed merge-conflict markers): findings then come from
 * the part read, and a clean report would hide that the project cannot start.
 */
function noteSettingsThatStopDjango(args: ParsedArgs, dir: string, where: string, project: DjangoProject): void {
  const fatal = project.problems.find((problem) => problem.raises || problem.message.startsWith('syntax error'));
  if (!fatal) {
    return;
  }
  const at = fatal.location ? ` at ${path.relative(dir, fatal.location.file).split(path.sep).join('/')}:${fatal.location.line}` : '';
  const why = fatal.raises ? fatal.message : `Python cannot import a settings module with a syntax error${at}`;
  writeError(`django-sessions: ${args.command ?? 'lint'}: note: in ${where}, Django cannot start with the settings as they read here (${why}); the settings findings come from what static reading made of them.\n`);
}

/** The cookie flags check --deploy judges (W010–W015), where static reading cannot tell them: those checks said nothing; and a session cache whose backend DS205 could not judge. */
function noteUnjudgedSettings(args: ParsedArgs, where: string, project: DjangoProject): void {
  const store = project.stores[0];
  const valueOf = (name: string) => project.settings.find((setting) => setting.name === name)?.value;
  const caches = valueOf('CACHES');
  const alias = valueOf('SESSION_CACHE_ALIAS') ?? { kind: 'str', value: 'default' };
  // An alias CACHES plainly lacks is DS204's finding, not something left unjudged.
  const aliasMissing = caches?.kind === 'dict' && alias.kind === 'str' && !caches.entries.has(alias.value);
  if (store && (store.engine === 'cache' || store.engine === 'cached_db') && !store.cache && !aliasMissing) {
    const why = project.problems.find((problem) => problem.message.startsWith('CACHES'))?.message ?? 'CACHES cannot be read statically';
    writeError(`django-sessions: ${args.command ?? 'lint'}: note: in ${where}, the session cache cannot be read statically (${why}), so DS204 and DS205 were not judged for it.\n`);
  }
  for (const [name, codes] of [['SESSION_COOKIE_SECURE', 'W010–W012'], ['SESSION_COOKIE_HTTPONLY', 'W013–W015']] as const) {
    const value = project.settings.find((setting) => setting.name === name)?.value;
    // A variable read without a default is None where it is not set, and judged so (see deploySessionChecks).
    if (value?.kind === 'unknown' && !value.unsetIsNone) {
      writeError(`django-sessions: ${args.command ?? 'lint'}: note: in ${where}, ${name} cannot be read statically (${value.reason}), so check --deploy's ${codes} were not judged for it.\n`);
    }
  }
  if (project.settingsFiles.length > 0) {
    for (const { name, codes, why } of unplacedDeployChecks(project.settings, project.djangoVersion)) {
      writeError(`django-sessions: ${args.command ?? 'lint'}: note: in ${where}, ${name} is not True, but ${why}, so which of check --deploy's ${codes} Django gives was not judged.\n`);
    }
  }
}

/** How many unreadable files are named one by one before the rest are counted. */
const UNREADABLE_SHOWN = 5;

/**
 * Says on stderr which files in scope could not be read (permissions, a FIFO): their keys are
 * left out, and a report that looks clean would hide it. False when every Python file in scope
 * was unreadable, which is "nothing read" (exit 1) as a tree without Python files is.
 */
function readSome(args: ParsedArgs, root: string, unreadable: readonly UnreadableFile[], within: ((file: string) => boolean) | undefined): boolean {
  const missed = within ? unreadable.filter((u) => within(u.file)) : unreadable;
  if (missed.length === 0) {
    return true;
  }
  const command = args.command ?? 'lint';
  for (const u of missed.slice(0, UNREADABLE_SHOWN)) {
    writeError(`django-sessions: ${command}: note: cannot read ${fromCwd(u.file)} (${u.reason}); its session keys are left out.\n`);
  }
  if (missed.length > UNREADABLE_SHOWN) {
    writeError(`django-sessions: ${command}: note: ${missed.length - UNREADABLE_SHOWN} more files cannot be read.\n`);
  }
  const unread = new Set(missed.map((u) => u.file));
  return findPythonFiles(root).some((file) => (!within || within(file)) && !unread.has(file));
}

/**
 * Whether DIR holds a Python file that scan and lint read. When it holds none, says so on
 * stderr, with the directories left out as not the project's own code: a tree that is all
 * site-packages or a virtualenv would otherwise pass as clean (exit 1, "not found", so a CI job
 * pointed at the wrong directory fails). The output on stdout stays as it is, valid JSON with --json.
 */
function foundPythonFiles(args: ParsedArgs, dir: string): boolean {
  const skipped = skippedPythonFiles(dir);
  if (skipped === undefined) {
    return true;
  }
  const command = args.command ?? 'lint';
  const given = args.positionals[0] ?? args.project ?? dir;
  if (skipped.length === 0) {
    writeError(`django-sessions: ${command}: no Python files under ${given}; give the directory of the project's code.\n`);
    return false;
  }
  const total = skipped.reduce((sum, s) => sum + s.files, 0);
  const shown = skipped.slice(0, 3).map((s) => `${path.relative(dir, s.dir).split(path.sep).join('/')} (${s.reason}, ${s.files})`);
  const more = skipped.length > shown.length ? ` and ${skipped.length - shown.length} more` : '';
  writeError(
    `django-sessions: ${command}: no Python files to ${command} under ${given}: its ${total} .py files are all in directories left out as not the project's own code, ${shown.join(', ')}${more}; give one of those as DIR to ${command} it.\n`,
  );
  return false;
}

function diagnosticJson(d: LintDiagnostic, relative: (file: string) => string): object {
  return {
    file: relative(d.file),
    ...rangeJson(d.range),
    code: d.code,
    severity: d.severity,
    message: d.message,
    fix: d.fix ? { title: d.fix.title, edits: d.fix.edits.map((e) => ({ file: relative(e.file), ...rangeJson(e.range), new_text: e.newText })) } : undefined,
  };
}

/**
 * The settings module `--settings` names, as discovery takes it. Settings named must be read, as
 * for the store commands: otherwise the settings rules would pass in silence (a CI job green for
 * want of a settings file).
 */
async function settingsModule(args: ParsedArgs, dir: string): Promise<string | undefined> {
  const module = settingsArgument(args.settings, dir);
  if (module === undefined) {
    return undefined;
  }
  const projects = await discoverProjects(dir, { settingsModule: module });
  if (!projects.some((project) => project.settingsFiles.length > 0)) {
    const problems = projects.flatMap((project) => project.problems.map((p) => p.message));
    const why = projects.length === 0 ? `no Django manage.py in ${dir} or two levels below` : problems.join('; ') || 'the settings module was not found';
    throw new CliError(ExitCode.usage, `Cannot read the settings given with --settings ${args.settings}: ${why}.`);
  }
  return module;
}

/** What scan or lint reads, and what it reports on. */
interface AnalysisScope {
  /** What JSON paths are from: DIR, or the current directory when files are given. */
  base: string;
  /** The directory analysed: DIR, or the project that holds the paths given. */
  root: string;
  /** The directories given, whose Python files are reported. */
  dirs: string[];
  /** Whether a file's findings are reported; undefined when all of `root`'s are. */
  within?: (file: string) => boolean;
}

/**
 * The paths to report on (DIR, else --project, not both; lint also takes Python files), which
 * must exist. When they lie in a project without being its directory (`lint shop/`), the whole
 * project is read, so that keys written in its other apps and its settings count, as in the
 * editor, and findings are reported for the paths given only.
 */
async function analysisScope(args: ParsedArgs, files: boolean): Promise<AnalysisScope> {
  if (args.positionals.length > 0 && args.project !== undefined) {
    throw new CliError(ExitCode.usage, `${args.command} reads DIR or --project, not both; give one.`);
  }
  const given = args.positionals.length > 0 ? args.positionals : args.project !== undefined ? [args.project] : [];
  if (given.length === 0) {
    throw new CliError(ExitCode.usage, `${args.command} needs a directory, e.g. django-sessions ${args.command} .`);
  }
  const dirs: string[] = [];
  const pythonFiles: string[] = [];
  for (const name of given) {
    const resolved = path.resolve(name);
    const stat = fs.statSync(resolved, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      dirs.push(resolved);
    } else if (files && stat && resolved.endsWith('.py')) {
      pythonFiles.push(resolved);
    } else {
      const what = !stat ? 'no such directory' : files ? 'is not a directory or a .py file' : 'is a file, not a directory';
      throw new CliError(ExitCode.usage, `${args.command}: ${name}: ${what}; give the project directory, whose Python files it reads, e.g. django-sessions ${args.command} .`);
    }
  }
  const common = commonDirectory([...dirs, ...pythonFiles.map((file) => path.dirname(file))]);
  const base = given.length === 1 && dirs.length === 1 ? common : process.cwd();
  // Discovery runs again for the analysis itself: looked at here only when a project above could take its place.
  const enclosing = args.settings === undefined ? enclosingProjectRoot(common) : undefined;
  const root = enclosing !== undefined && (await discoverProjects(common)).length === 0 ? enclosing : common;
  if (root === common && pythonFiles.length === 0 && dirs.length === 1) {
    return { base, root, dirs };
  }
  if (root !== common) {
    writeError(`django-sessions: ${args.command}: note: reading the project at ${path.relative(process.cwd(), root) || '.'} for its keys and settings; reporting on ${given.join(' ')} only.\n`);
  }
  const within = (file: string) => pythonFiles.includes(file) || dirs.some((dir) => file.startsWith(dir + path.sep));
  return { base, root, dirs, within };
}

/** The deepest directory that holds every one of `dirs`. */
function commonDirectory(dirs: string[]): string {
  return dirs.reduce((common, dir) => {
    let at = common;
    while (dir !== at && !dir.startsWith(at.endsWith(path.sep) ? at : at + path.sep)) {
      at = path.dirname(at);
    }
    return at;
  });
}
