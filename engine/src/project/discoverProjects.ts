import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSkippedDirectory } from '../analysis/pythonPaths';
import { loadPythonParser, type PythonParser } from '../analysis/pythonParser';
import type { SourceLocation, StoreDescriptor } from '../stores/storeDescriptor';
import { isDjangoManagePy } from './djangoManagePy';
import { findDjangoVersion, type DjangoVersion } from './djangoVersion';
import { readDotEnvFiles } from './dotEnv';
import type { Binding, ProjectProblem, ValueSpan } from './evaluationContext';
import { moduleFileOnPath } from './moduleFile';
import { entryPointImportRoots, evaluateSettingsFile, type EvaluatedSettings, type SettingsText } from './settingsEvaluation';
import { entryPointSettingsModules, findSettingsModule, type SettingsModuleSource, testConfigSettingsModule } from './settingsModuleSource';
import { importRoots, initialSysPath } from './sysPath';
import { engineSubclass } from './sessionEngineSubclass';
import { givesSession } from './sessionMiddlewareEntries';
import { storeDescriptorsFor } from './storeDescriptors';
import { unpicklingSerializer } from './unpicklingSerializer';
import type { SettingValue } from './settingValue';

/** A setting as the settings module leaves it, with where it was last assigned. */
export interface ResolvedSetting {
  name: string;
  value: SettingValue;
  location: SourceLocation;
  valueSpan?: ValueSpan;
  /** Where the name was last assigned, when an opaque statement after it is `location` (see Binding.nameAt). */
  nameAt?: SourceLocation;
}

/** One Django project found in a workspace, read statically. */
export interface DjangoProject {
  /** The directory that holds manage.py. */
  root: string;
  /** manage.py; for settings named explicitly in a tree without one, where it would be (it may not exist). */
  managePy: string;
  /** Dotted settings module, or the explicit file given. */
  settingsModule?: string;
  /** Where the settings module was named: `manage.py`, the environment, a test runner's configuration (see testConfigSettingsModule)… */
  settingsVia?: SettingsModuleSource['via'];
  /** Which environment variables manage.py chose the settings module by, and their values here (`ENV=prod from .env`). */
  settingsNote?: string;
  /** The settings module file first, then every project module it imports. */
  settingsFiles: string[];
  /**
   * Every environment file discovery read or looked for: the `.env` beside manage.py and above
   * it, and those the settings load; and the files whose existence the settings test. Missing
   * ones are listed too, since creating one changes the settings.
   */
  envFiles: string[];
  /** Every module-level name of the settings, for lint rules and `scan`. */
  settings: ResolvedSetting[];
  djangoVersion?: DjangoVersion;
  /** Where the project's own SESSION_SERIALIZER class unpickles session data (see unpicklingSerializer). */
  unpicklingSerializer?: SourceLocation;
  stores: StoreDescriptor[];
  problems: ProjectProblem[];
}

/** Options for discovery; `env` defaults to `process.env`. */
export interface DiscoveryOptions {
  /** A dotted module or a path to a settings file, overriding manage.py. */
  settingsModule?: string;
  env?: NodeJS.ProcessEnv;
  /** The text of settings modules as an editor has them, unsaved; by default the files on disk. */
  settingsText?: SettingsText;
}

/**
 * Finds Django's manage.py (see isDjangoManagePy) at the workspace root or up to two levels deeper
 * (skipping virtualenvs, node_modules and VCS directories) and reads each project's settings
 * statically: nothing is imported or run. Where there is none, settings named in `opts.settingsModule` are
 * read as a project at the workspace root.
 */
export async function discoverProjects(workspaceRoot: string, opts: DiscoveryOptions = {}): Promise<DjangoProject[]> {
  const found = findManagePys(await loadPythonParser(), workspaceRoot);
  // Settings named explicitly are enough to read, as `DJANGO_SETTINGS_MODULE=… django-admin`
  // runs them: a reusable app's repository has test settings but often no manage.py. Without
  // either, a wsgi.py or asgi.py that names its settings makes a project of the directory above
  // its package, as a server started on it would (Shuup's and Nautobot's own launchers).
  // Last, the settings a test runner's configuration at the root names (a reusable app's tox.ini or pytest config).
  const entryPointRoots = found.length > 0 || opts.settingsModule !== undefined ? [] : findEntryPointRoots(workspaceRoot);
  const testConfigured = entryPointRoots.length === 0 && testConfigSettingsModule(workspaceRoot) !== undefined;
  const managePys =
    found.length > 0
      ? found
      : opts.settingsModule !== undefined || testConfigured
        ? [path.join(workspaceRoot, 'manage.py')]
        : entryPointRoots.map((root) => path.join(root, 'manage.py'));
  const owner = settingsFileOwner(managePys, opts.settingsModule);
  const projects: DjangoProject[] = [];
  for (const managePy of managePys) {
    projects.push(await readProject(managePy, owner && managePy !== owner ? { ...opts, settingsModule: undefined } : opts));
  }
  return projects;
}

/**
 * Of several projects, the one whose directory holds an explicit settings *file*: only it reads
 * that file, the others their own settings (each project read the same file before). Undefined
 * for one project, a dotted module, or a file none of them holds, which every project reads.
 */
function settingsFileOwner(managePys: string[], explicit: string | undefined): string | undefined {
  if (managePys.length < 2 || explicit === undefined || !/[\\/]|\.py$/.test(explicit)) {
    return undefined;
  }
  const file = path.resolve(explicit);
  return managePys.find((managePy) => file.startsWith(path.dirname(managePy) + path.sep));
}

/** How deep below the workspace root manage.py is looked for: `backend/manage.py`, `services/api/manage.py`. */
const MAX_MANAGE_PY_DEPTH = 2;

/**
 * Django's manage.py files of the shallowest level that has any, down to MAX_MANAGE_PY_DEPTH: a
 * project at the root or one level down is the workspace's, and the example projects deeper in
 * its tree are not. Another framework's manage.py (Flask-Script's) is passed over.
 */
function findManagePys(python: PythonParser, workspaceRoot: string): string[] {
  let dirs = [workspaceRoot];
  for (let depth = 0; depth <= MAX_MANAGE_PY_DEPTH && dirs.length > 0; depth++) {
    const found = dirs.map((dir) => path.join(dir, 'manage.py')).filter((file) => fs.existsSync(file) && isDjangoManagePy(python, file));
    if (found.length > 0) {
      return found.sort();
    }
    dirs = dirs.flatMap(subdirectories);
  }
  return [];
}

/** The shallowest directories (down to MAX_MANAGE_PY_DEPTH) with a package whose wsgi.py or asgi.py names settings. */
function findEntryPointRoots(workspaceRoot: string): string[] {
  let dirs = [workspaceRoot];
  for (let depth = 0; depth <= MAX_MANAGE_PY_DEPTH && dirs.length > 0; depth++) {
    const found = dirs.filter((dir) => entryPointSettingsModules(dir, path.join(dir, 'manage.py')).length > 0);
    if (found.length > 0) {
      return found.sort();
    }
    dirs = dirs.flatMap(subdirectories);
  }
  return [];
}

/** The directories a project may sit in, leaving out hidden ones, virtualenvs, node_modules and the like. */
function subdirectories(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !isSkippedDirectory(entry.name)).map((entry) => path.join(dir, entry.name));
}

/**
 * The environment settings are read with: the process environment, and the `.env` files
 * (project, then its parent, both in `dotEnvFiles`) for the names it lacks, unless the
 * settings load them themselves (see `evaluateSettingsFile`).
 */
export function projectEnvironment(root: string, opts: DiscoveryOptions): { dotEnv: Map<string, string>; processEnv: Map<string, string>; dotEnvFiles: string[] } {
  const dotEnvFiles = [path.join(root, '.env'), path.join(path.dirname(root), '.env')];
  const processEnv = new Map(Object.entries(opts.env ?? process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const dotEnv = readDotEnvFiles(dotEnvFiles, processEnv);
  return { dotEnv, processEnv, dotEnvFiles };
}

/** The settings a module leaves, as `ResolvedSetting`s (upper-case names only). */
export function resolvedSettings(values: ReadonlyMap<string, Binding>): ResolvedSetting[] {
  return [...values]
    .filter(([name]) => /^[A-Z][A-Z0-9_]*$/.test(name))
    .map(([name, binding]) => ({
      name,
      value: binding.value,
      location: binding.location,
      ...(binding.valueSpan ? { valueSpan: binding.valueSpan } : {}),
      ...(binding.nameAt ? { nameAt: binding.nameAt } : {}),
    }));
}

/** Levels above manage.py's folder searched for requirement and lock files, when no repository root comes first. */
const VERSION_SEARCH_LEVELS = 3;

/**
 * The Django version the requirement or lock files nearest to manage.py's folder give, up to the
 * repository's root (the folder holding `.git`): a monorepo keeps them at its root, above
 * `backend/api/manage.py`.
 */
function djangoVersionAbove(root: string): DjangoVersion | undefined {
  let dir = root;
  for (let level = 0; level <= VERSION_SEARCH_LEVELS; level++) {
    const found = findDjangoVersion(dir);
    const parent = path.dirname(dir);
    if (found || parent === dir || fs.existsSync(path.join(dir, '.git'))) {
      return found;
    }
    dir = parent;
  }
  return undefined;
}

/** Reads one project given its manage.py. */
export async function readProject(managePy: string, opts: DiscoveryOptions = {}): Promise<DjangoProject> {
  const root = path.dirname(managePy);
  const { dotEnv, processEnv, dotEnvFiles } = projectEnvironment(root, opts);
  const djangoVersion = djangoVersionAbove(root);
  const project: DjangoProject = { root, managePy, settingsFiles: [], envFiles: dotEnvFiles, settings: [], stores: [], problems: [] };
  if (djangoVersion) {
    project.djangoVersion = djangoVersion;
  }
  const python = await loadPythonParser();
  const source = findSettingsModule(python, root, managePy, opts.settingsModule, processEnv, dotEnv, dotEnvFiles);
  if (!source || 'kind' in source) {
    const name = 'name the settings module (--settings in the CLI, djangoSessions.project.settingsModule in VS Code)';
    const message = !source
      ? `no DJANGO_SETTINGS_MODULE found in manage.py, wsgi.py, asgi.py, .env or a pytest or tox configuration; ${name}`
      : `${source.reason}; ${source.candidates.length > 1 ? `pick one of ${source.candidates.join(', ')} with --settings in the CLI or djangoSessions.project.settingsModule in VS Code` : name}`;
    project.problems.push({ message, location: source?.location ?? { file: managePy, line: 1, column: 0 } });
    return project;
  }
  project.settingsModule = source.module;
  project.settingsVia = source.via;
  if (source.note) {
    // The write may be in a module of the project manage.py calls into (mysite/boot.py).
    const where = source.location ? `${path.relative(root, source.location.file).split(path.sep).join('/')}:${source.location.line}` : 'manage.py';
    project.settingsNote = `settings module ${source.module}: ${where} chose it with ${source.note}`;
  }
  const settingsPath = /[\\/]|\.py$/.test(source.module);
  const roots = settingsPath ? [] : [...importRoots(initialSysPath(root), root), path.join(root, 'src')];
  // A dotted module is looked up as the settings import it would be, a src/ layout's included
  // (Sentry's src/sentry/conf), then on sys.path as manage.py leaves it (django-debug-toolbar).
  let settingsFile = settingsPath ? path.resolve(root, source.module) : moduleFileOnPath(roots, undefined, source.module);
  if (!settingsPath && !settingsFile) {
    roots.push(...entryPointImportRoots(python, root, processEnv, dotEnvFiles).filter((dir) => !roots.includes(dir)));
    settingsFile = moduleFileOnPath(roots, undefined, source.module);
  }
  if (!settingsFile || !fs.existsSync(settingsFile)) {
    const from = source.via === 'explicit' ? 'as given' : source.via === 'environment' ? 'from DJANGO_SETTINGS_MODULE' : `from ${source.via}`;
    const problem: ProjectProblem = { message: settingsFile ? `settings file ${settingsFile} (${from}) does not exist` : `settings module '${source.module}' (${from}) is not found in ${roots.join(', ')}` };
    if (source.location) {
      problem.location = source.location;
    }
    project.problems.push(problem);
    return project;
  }
  const evaluated = evaluateSettingsFile(python, settingsFile, root, processEnv, dotEnvFiles, opts.settingsText);
  project.settingsFiles = evaluated.files;
  project.envFiles = [...new Set([...dotEnvFiles, ...evaluated.envFiles])];
  project.settings = resolvedSettings(evaluated.values);
  const { stores, problems } = storeDescriptorsFor(
    evaluated.values,
    settingsFile,
    root,
    djangoVersion,
    (enginePath) => engineSubclass(python, enginePath, root),
    (middleware) => givesSession(python, middleware, root),
  );
  project.stores = stores.map((store) => withUnloadedEnv(store, evaluated));
  const serializer = evaluated.values.get('SESSION_SERIALIZER')?.value;
  const unpickles = serializer?.kind === 'str' && !serializer.value.startsWith('django.') ? unpicklingSerializer(python, serializer.value, root) : undefined;
  if (unpickles) {
    project.unpicklingSerializer = unpickles;
  }
  project.problems.push(...evaluated.problems, ...withSyntaxErrorNoted(problems, evaluated.problems, root));
  return project;
}

/**
 * A setting reported missing where the settings have a syntax error may be on the lines the
 * error swallowed (a `]` left out before `DATABASES = …`): the report says so, so the syntax
 * error is fixed first instead of the setting added.
 */
function withSyntaxErrorNoted(problems: ProjectProblem[], evaluation: readonly ProjectProblem[], root: string): ProjectProblem[] {
  const syntax = evaluation.find((problem) => problem.message.startsWith('syntax error') && problem.location);
  if (!syntax?.location) {
    return problems;
  }
  const at = `${path.relative(root, syntax.location.file).split(path.sep).join('/')}:${syntax.location.line}`;
  return problems.map((problem) => (/ is not set in the settings/.test(problem.message) ? { ...problem, message: `${problem.message} (or it is in what the syntax error at ${at} hides: fix that first)` } : problem));
}

/** Notes on a store the variables its settings took from a `.env` that nothing in them loads, and whether SECRET_KEY is one. */
function withUnloadedEnv(store: StoreDescriptor, evaluated: EvaluatedSettings): StoreDescriptor {
  const unloaded = evaluated.unloadedEnv;
  if (!unloaded) {
    return store;
  }
  const secret = evaluated.values.get('SECRET_KEY')?.value;
  const keyVariable = secret?.kind === 'str' ? secret.envVar : undefined;
  const keyFromUnloaded = keyVariable !== undefined && unloaded.names.includes(keyVariable) && store.secretKeys.values.length > 0;
  return { ...store, unloadedEnv: unloaded, ...(keyFromUnloaded ? { secretKeys: { ...store.secretKeys, unloadedEnvVariable: keyVariable } } : {}) };
}
