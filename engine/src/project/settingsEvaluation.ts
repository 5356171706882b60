import * as path from 'node:path';
import type { PythonParser } from '../analysis/pythonParser';
import type { Tree } from 'web-tree-sitter';
import { readDotEnvOrigins } from './dotEnv';
import type { Binding, EvaluationContext, ProjectProblem } from './evaluationContext';
import { EvaluationEnvironment } from './evaluationEnvironment';
import type { ImportFailure } from './importFailure';
import { moduleFileOnPath, namespacePackageDirOnPath } from './moduleFile';
import { SETTINGS_ARGV } from './normalRuns';
import { CONFIGURATION_VARIABLE, configurationSettings } from './configurationClass';
import { runStatements } from './settingsStatements';
import { unknown } from './settingValue';
import { importRoots, initialSysPath } from './sysPath';
import { virtualenvSitePackages } from './virtualenvSitePackages';
import { readTextFile } from '../analysis/textFile';

/** A settings module read statically: the final value of every module-level name. */
export interface EvaluatedSettings {
  file: string;
  values: Map<string, Binding>;
  problems: ProjectProblem[];
  /** Every project file read, the settings module first. */
  files: string[];
  /**
   * The environment files the settings load (`read_env`, `load_dotenv`) or look for
   * (`find_dotenv`), whether they exist or not, and the files whose existence they test.
   */
  envFiles: string[];
  /**
   * The environment variables the settings read whose values came only from a project `.env`
   * that nothing in the settings loads (docker-compose, direnv, pipenv or an editor may), with
   * that file; absent when none.
   */
  unloadedEnv?: UnloadedEnv;
}

/** Variables read from `.env` files the settings do not load themselves. */
interface UnloadedEnv {
  names: string[];
  files: string[];
}

const MAX_IMPORT_DEPTH = 16;

/**
 * Evaluates a settings file and the project modules it imports, without running Python.
 * `processEnv` always wins over the environment files.
 *
 * `guessedEnvFiles` are the project's `.env` files (beside manage.py and above it), which
 * something outside Python may load before Django starts: docker-compose, direnv, pipenv, an
 * editor's run configuration. They fill in what the process environment lacks, except a file
 * the settings load themselves (`read_env(ROOT / ".env")`, `load_dotenv()`), whether that call
 * runs or not: such a file applies only where and if the settings load it, as for
 * cookiecutter-django's `if READ_DOT_ENV_FILE: env.read_env(...)`.
 *
 * `textOf` gives a module's text where it is not the file's on disk (an editor's unsaved text).
 */
export function evaluateSettingsFile(
  python: PythonParser,
  file: string,
  projectRoot: string,
  processEnv: ReadonlyMap<string, string>,
  guessedEnvFiles: readonly string[] = [],
  textOf?: SettingsText,
): EvaluatedSettings {
  const sitePackages = virtualenvSitePackages(projectRoot);
  const first = evaluateWith(python, file, projectRoot, sitePackages, processEnv, guessedEnvFiles, textOf);
  if (!guessedEnvFiles.some((envFile) => first.envFilesLoaded.has(envFile))) {
    return first.result!;
  }
  return evaluateWith(
    python,
    file,
    projectRoot,
    sitePackages,
    processEnv,
    guessedEnvFiles.filter((envFile) => !first.envFilesLoaded.has(envFile)),
    textOf,
  ).result!;
}

/**
 * The directories absolute imports are looked up in once manage.py has run as `python manage.py`
 * runs it, before Django imports the settings: django-debug-toolbar's `example/manage.py` puts the
 * repository root first, where its `example.settings` is found.
 */
export function entryPointImportRoots(python: PythonParser, projectRoot: string, processEnv: ReadonlyMap<string, string>, guessedEnvFiles: readonly string[] = []): string[] {
  return evaluateWith(python, undefined, projectRoot, virtualenvSitePackages(projectRoot), processEnv, guessedEnvFiles).entryRoots;
}

/**
 * The environment manage.py leaves when run as `python manage.py ${argv.slice(1)}` runs it, up to
 * where Django imports the settings, each `os.environ` write it makes told to `onEnvironmentWrite`
 * as it runs: what DJANGO_SETTINGS_MODULE is for that command (see managePySettingsModule); and
 * the environment files it loads.
 */
export function managePyEnvironment(
  python: PythonParser,
  projectRoot: string,
  processEnv: ReadonlyMap<string, string>,
  guessedEnvFiles: readonly string[],
  run: ManagePyRun,
): { env: EvaluationEnvironment; envFilesLoaded: ReadonlySet<string> } {
  const { env, envFilesLoaded } = evaluateWith(python, undefined, projectRoot, virtualenvSitePackages(projectRoot), processEnv, guessedEnvFiles, undefined, run);
  return { env, envFilesLoaded };
}

/** A command manage.py is run with (`sys.argv`), and who is told of the environment writes it makes. */
interface ManagePyRun {
  argv: readonly string[];
  onEnvironmentWrite: NonNullable<EvaluationContext['onEnvironmentWrite']>;
}

/** A module's text where it is not the file's on disk; undefined to read the file. */
export type SettingsText = (file: string) => string | undefined;

/** Runs manage.py's entry point and then, when given, the settings `file`; `entryRoots` are the import roots between the two. */
function evaluateWith(
  python: PythonParser,
  file: string | undefined,
  projectRoot: string,
  sitePackages: readonly string[],
  processEnv: ReadonlyMap<string, string>,
  guessedEnvFiles: readonly string[],
  textOf?: SettingsText,
  entryRun?: ManagePyRun,
): { result?: EvaluatedSettings; envFilesLoaded: Set<string>; entryRoots: string[]; env: EvaluationEnvironment } {
  const env = new EvaluationEnvironment(processEnv, readDotEnvOrigins([...guessedEnvFiles], processEnv));
  const problems: ProjectProblem[] = [];
  const files: string[] = [];
  const envFiles = new Set<string>();
  const envFilesLoaded = new Set<string>();
  const importFailures = new Map<string, ImportFailure>();
  // A module is cached from the moment it starts loading: as in Python, one that imports it back gets it as far as it has run.
  const cache = new Map<string, Map<string, Binding>>();
  const sysPath = initialSysPath(projectRoot);
  // Kept until the end: a function of one module may be called from another once that one has run.
  const trees: Tree[] = [];
  /** Each file's tree and text as run, for what reads the settings module again (see runConfigurationClass). */
  const parsed = new Map<string, { tree: Tree; text: string }>();

  /** Parses a file and runs it in `ctx`; false when it cannot be read. */
  function run(target: string, ctx: EvaluationContext): boolean {
    files.push(target);
    let text: string;
    try {
      text = textOf?.(target) ?? readTextFile(target);
    } catch (error) {
      problems.push({ message: `cannot read settings file ${target}: ${(error as Error).message}` });
      return false;
    }
    const tree = python.parser.parse(text);
    if (tree) {
      trees.push(tree);
      parsed.set(target, { tree, text });
      runStatements(tree.rootNode, ctx);
    }
    return true;
  }

  function evaluate(target: string, depth: number): Map<string, Binding> | undefined {
    const cached = cache.get(target);
    if (cached) {
      return cached;
    }
    if (depth > MAX_IMPORT_DEPTH) {
      problems.push({ message: `settings imports nested more than ${MAX_IMPORT_DEPTH} modules deep, at ${target}`, location: { file: target, line: 1, column: 0 } });
      return undefined;
    }
    const namespace = new Map<string, Binding>();
    cache.set(target, namespace);
    if (!run(target, contextFor(target, namespace, depth))) {
      cache.delete(target);
      return undefined;
    }
    return namespace;
  }

  /** The context a module runs in, whose imports are evaluated `depth + 1` deep. */
  function contextFor(target: string, namespace: Map<string, Binding>, depth: number): EvaluationContext {
    return {
      file: target,
      projectRoot,
      env,
      envFiles,
      envFilesLoaded,
      importFailures,
      sysPath,
      sitePackages,
      namespace,
      problems,
      argv: SETTINGS_ARGV,
      importModule: (fromFile, moduleText, installed = false) => {
        const roots = [...importRoots(sysPath, projectRoot), ...(installed ? sitePackages : [])];
        const imported = moduleFileOnPath(roots, fromFile, moduleText);
        const namespace = imported && evaluate(imported, depth + 1);
        if (imported) {
          return namespace ? { kind: 'module', file: imported, namespace } : undefined;
        }
        // A namespace package has no names of its own; its submodules are found from its directory.
        const dir = namespacePackageDirOnPath(roots, fromFile, moduleText);
        return dir ? { kind: 'module', file: path.join(dir, '__init__.py'), namespace: new Map() } : undefined;
      },
      execFile: (included, into) => run(included, { ...into, file: included }),
    };
  }

  /**
   * manage.py as `python manage.py` runs it, before Django imports the settings: what it does to
   * the environment and `sys.path` (Pontoon's `dotenv.read_dotenv(…)` of `DOTENV_PATH` or
   * `.env/.env`), in its `if __name__ == "__main__":` block or the `main()` Django's template
   * puts there. Its own problems are no problems of the settings.
   */
  function runEntryPoint(entry: string): void {
    let text: string;
    try {
      text = readTextFile(entry);
    } catch {
      return;
    }
    const tree = python.parser.parse(text);
    if (!tree) {
      return;
    }
    trees.push(tree);
    const namespace = new Map<string, Binding>([['__name__', { value: { kind: 'str', value: '__main__' }, location: { file: entry, line: 1, column: 0 } }]]);
    const ctx: EvaluationContext = { ...contextFor(entry, namespace, 0), problems: [], ...entryRun, followsEnvironmentWrites: true };
    runStatements(tree.rootNode, ctx);
    const main = tree.rootNode.namedChildren.find((child) => child?.type === 'function_definition' && child.childForFieldName('name')?.text === 'main');
    const body = main?.childForFieldName('body');
    if (body) {
      runStatements(body, ctx);
    }
  }

  /** django-configurations' class settings over the module's (see configurationSettings), in a module that names Configuration or where DJANGO_CONFIGURATION is set. */
  function runConfigurationClass(settingsFile: string, values: Map<string, Binding>): void {
    const module = parsed.get(settingsFile);
    if (module && (module.text.includes('Configuration') || env.get(CONFIGURATION_VARIABLE) !== undefined)) {
      configurationSettings(module.tree.rootNode, contextFor(settingsFile, values, 0));
    }
  }

  try {
    runEntryPoint(path.join(projectRoot, 'manage.py'));
    const entryRoots = importRoots(sysPath, projectRoot);
    if (file === undefined) {
      return { envFilesLoaded, entryRoots, env };
    }
    const values = evaluate(file, 0) ?? new Map<string, Binding>();
    runConfigurationClass(file, values);
    // manage.py may import other modules of the project before Django imports the settings (Review Board's `from reviewboard import settings`).
    const settingsFirst = [file, ...files.filter((read) => read !== file)];
    const result: EvaluatedSettings = { file, values: settingsData(values), problems, files: settingsFirst, envFiles: [...envFiles] };
    if (env.guessedReads.size > 0) {
      result.unloadedEnv = { names: [...env.guessedReads.keys()].sort(), files: [...new Set(env.guessedReads.values())] };
    }
    return { result, envFilesLoaded, entryRoots, env };
  } finally {
    trees.forEach((tree) => tree.delete());
  }
}

/**
 * A setting holds data. One still bound to a module, class or function from outside the
 * project (`X = some_package.CONSTANT`) has a value static reading cannot know: it becomes
 * unresolved at its assignment, so no rule mistakes the name for a wrong value.
 */
function settingsData(values: Map<string, Binding>): Map<string, Binding> {
  for (const [name, binding] of values) {
    const { value } = binding;
    // The definition holds nodes of trees deleted once evaluation ends, and the module's context.
    if (value.kind === 'ref' && value.definition) {
      values.set(name, { ...binding, value: { kind: 'ref', name: value.name } });
      continue;
    }
    if (/^[A-Z][A-Z0-9_]*$/.test(name) && ((value.kind === 'ref' && !value.name.startsWith('<local>.')) || value.kind === 'module')) {
      const reason = value.kind === 'ref' ? `the value of ${value.name} is not known statically: it is defined outside the project` : `${name} is the module ${value.file}, not a value`;
      values.set(name, { ...binding, value: unknown(reason, binding.location) });
    }
  }
  return values;
}
