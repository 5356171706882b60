import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PythonParser } from '../analysis/pythonParser';
import type { SourceLocation } from '../stores/storeDescriptor';
import { readTextFile } from '../analysis/textFile';
import { type ManagePySettings, managePySettingsModule } from './managePySettingsModule';

/** Which settings module a project uses and where that was read. */
export interface SettingsModuleSource {
  /** Dotted module, or an explicit file path. */
  module: string;
  via: 'explicit' | 'environment' | '.env' | 'manage.py' | 'wsgi.py' | 'asgi.py' | TestConfigFile;
  location?: SourceLocation;
  /** The environment variables manage.py computed the module from, and their values here (see managePySettingsModule). */
  note?: string;
}

/** manage.py sets a module static reading cannot tell, or one of several: why, and which it may be. */
type UndecidedSettingsModule = Extract<ManagePySettings, { kind: 'undecided' }>;

const SETDEFAULT = /environ\s*\.\s*setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/g;
const ASSIGNMENT = /environ\s*\[\s*['"]DJANGO_SETTINGS_MODULE['"]\s*\]\s*=\s*['"]([\w.]+)['"]/g;
/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)` with a name bound to the module (weblate's manage.py). */
const SETDEFAULT_NAME = /environ\s*\.\s*setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*([A-Za-z_]\w*)\s*\)/g;

/** Where a test runner's configuration names the settings, in the order they are looked at: pytest's own files first, as pytest takes them (pytest.toml since pytest 9). */
const TEST_CONFIG_FILES = ['pytest.toml', '.pytest.toml', 'pytest.ini', '.pytest.ini', 'pyproject.toml', 'setup.cfg', 'tox.ini', 'Makefile'] as const;
type TestConfigFile = (typeof TEST_CONFIG_FILES)[number];
/** pytest-django's `--ds=tests.settings` or `--ds tests.settings`, as `addopts` in any of them or a command line gives it (a TOML list's `"--ds", "tests.settings"` too). */
const PYTEST_DS_OPTION = /(?<![\w-])--ds(?:[ \t]*=[ \t]*|[ \t]+|["'][ \t]*,[ \t]*)["']?([\w.]+)/;
/**
 * pytest-django's `DJANGO_SETTINGS_MODULE = tests.settings` (pytest.ini, pytest.toml, `[tool:pytest]`,
 * `[tool.pytest.ini_options]`, `[tool.pytest]`), a tox `setenv` line (also on setenv's own line, or for some factors:
 * `py312: DJANGO_SETTINGS_MODULE = …`), a Makefile's `export DJANGO_SETTINGS_MODULE=…`, or
 * pytest-env's `"DJANGO_SETTINGS_MODULE=tests.settings"` in a TOML list.
 */
const TEST_CONFIG_SETTING =
  /^[ \t]*(?:export[ \t]+|setenv[ \t]*=[ \t]*|[\w{},.-]+:[ \t]*)?DJANGO_SETTINGS_MODULE[ \t]*[:?]?[=:][ \t]*["']?([\w.]+)["']?[ \t]*$|["']DJANGO_SETTINGS_MODULE=([\w.]+)["']/m;

/**
 * The settings a test runner's configuration at the project root names: what a reusable app's
 * repository, with no manage.py, runs its tests with (mozilla-django-oidc's tox.ini,
 * django-hijack's pyproject.toml, django-formtools' Makefile).
 */
export function testConfigSettingsModule(projectRoot: string): SettingsModuleSource | undefined {
  for (const name of TEST_CONFIG_FILES) {
    const file = path.join(projectRoot, name);
    let text: string;
    try {
      text = readTextFile(file);
    } catch {
      continue;
    }
    // pytest-django takes `--ds` (addopts puts it on every command line) over the ini option.
    const match = PYTEST_DS_OPTION.exec(text) ?? TEST_CONFIG_SETTING.exec(text);
    if (match) {
      const before = text.slice(0, match.index + match[0].search(/--ds|DJANGO_SETTINGS_MODULE/));
      return { module: (match[1] ?? match[2])!, via: name, location: { file, line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') - 1 } };
    }
  }
  return undefined;
}

/** Whether settings were named only by a test runner's configuration: a test run's, not a deployment's. */
export function namedForTests(via: SettingsModuleSource['via'] | undefined): boolean {
  return (TEST_CONFIG_FILES as readonly string[]).includes(via ?? '');
}

/**
 * Finds the settings module, first match wins: an explicit choice; what manage.py leaves in
 * `DJANGO_SETTINGS_MODULE` for a normal run, set by an assignment (which replaces whatever the
 * environment holds), by an env file it loads, or by a `setdefault` that takes because neither
 * the process environment nor a `.env` sets it (see managePySettingsModule); else
 * `DJANGO_SETTINGS_MODULE` in the process environment, then in a `.env` file (which, loaded with
 * python-dotenv's or django-environ's defaults, never overrides the process); else wsgi.py's or
 * asgi.py's, where they name one module between them; then the one a test runner's configuration
 * names (see testConfigSettingsModule). Where manage.py's choice cannot be told, or the entry
 * points name several, that is the answer: no one of them is guessed.
 */
export function findSettingsModule(
  python: PythonParser,
  projectRoot: string,
  managePy: string,
  explicit: string | undefined,
  env: ReadonlyMap<string, string>,
  dotEnv: ReadonlyMap<string, string>,
  dotEnvFiles: readonly string[],
): SettingsModuleSource | UndecidedSettingsModule | undefined {
  if (explicit) {
    return { module: explicit, via: 'explicit' };
  }
  const fromManagePy = managePySettingsModule(python, projectRoot, env, dotEnvFiles);
  if (fromManagePy?.kind === 'undecided') {
    return fromManagePy;
  }
  if (fromManagePy) {
    return { module: fromManagePy.module, via: 'manage.py', location: fromManagePy.location, ...(fromManagePy.note ? { note: fromManagePy.note } : {}) };
  }
  const fromProcess = env.get('DJANGO_SETTINGS_MODULE');
  if (fromProcess) {
    return { module: fromProcess, via: 'environment' };
  }
  const fromDotEnv = dotEnv.get('DJANGO_SETTINGS_MODULE');
  if (fromDotEnv) {
    return { module: fromDotEnv, via: '.env' };
  }
  const entryPoints = entryPointSettingsModules(projectRoot, managePy).filter((source) => source.via !== 'manage.py');
  if (entryPoints.length > 1) {
    // A server may be started on either (gunicorn on wsgi.py, uvicorn on asgi.py): taking one would be a guess.
    const named = entryPoints.map(({ module, location }) => `${module} (${path.relative(projectRoot, location.file).split(path.sep).join('/')}:${location.line})`);
    const reason = `DJANGO_SETTINGS_MODULE is set by neither manage.py, the environment nor a .env, and wsgi.py and asgi.py name ${named.length} different settings modules: ${named.join(', ')}`;
    return { kind: 'undecided', reason, location: entryPoints[0]!.location, candidates: entryPoints.map(({ module }) => module) };
  }
  return entryPoints[0] ?? testConfigSettingsModule(projectRoot);
}

/**
 * Every settings module manage.py, `*\/wsgi.py` and `*\/asgi.py` name as their default, in
 * that order and each once: a deployment may run wsgi.py with other settings than manage.py.
 */
export function entryPointSettingsModules(projectRoot: string, managePy: string): (SettingsModuleSource & { location: SourceLocation })[] {
  const candidates: [string, SettingsModuleSource['via']][] = [[managePy, 'manage.py']];
  for (const entry of safeReaddir(projectRoot)) {
    for (const name of ['wsgi.py', 'asgi.py'] as const) {
      candidates.push([path.join(projectRoot, entry, name), name]);
    }
  }
  const found = new Map<string, SettingsModuleSource & { location: SourceLocation }>();
  for (const [file, via] of candidates) {
    for (const { module, location } of settingsDefaultsIn(file)) {
      if (!found.has(module)) {
        found.set(module, { module, via, location });
      }
    }
  }
  return [...found.values()];
}

/** The modules a file sets DJANGO_SETTINGS_MODULE to, outside comments, first assignment form first. */
function settingsDefaultsIn(file: string): { module: string; location: SourceLocation }[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return [];
  }
  const found: { module: string; location: SourceLocation }[] = [];
  for (const pattern of [SETDEFAULT, ASSIGNMENT, SETDEFAULT_NAME]) {
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
      const lineStart = before.lastIndexOf('\n') + 1;
      const module = pattern === SETDEFAULT_NAME ? boundModule(before.split('\n'), match[1]!) : match[1];
      if (module !== undefined && !/^\s*#/.test(text.slice(lineStart, match.index + 1))) {
        found.push({ module, location: { file, line: before.split('\n').length, column: match.index - lineStart } });
      }
    }
  }
  return found;
}

/**
 * The module name a variable holds where the last line of `lines` uses it: the nearest earlier
 * `name = "dotted.module"` indented no deeper than that line, so one in a branch that may not
 * run (weblate's `default = "weblate.settings_test"` under `if sys.argv[1] == "test"`) is passed over.
 */
function boundModule(lines: string[], name: string): string | undefined {
  const indent = /^\s*/.exec(lines.at(-1)!)![0].length;
  const assignment = new RegExp(`^(\\s*)${name}\\s*=\\s*['"]([\\w.]+)['"]\\s*(#.*)?$`);
  for (let i = lines.length - 2; i >= 0; i--) {
    const match = assignment.exec(lines[i]!);
    if (match && match[1]!.length <= indent) {
      return match[2];
    }
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
