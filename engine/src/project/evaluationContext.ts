import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from '../analysis/stringLiteral';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationEnvironment } from './evaluationEnvironment';
import type { ImportFailure } from './importFailure';
import type { SettingValue } from './settingValue';
import type { SysPath } from './sysPath';

/** An evaluated module of the project. */
export type ModuleValue = Extract<SettingValue, { kind: 'module' }>;

/** The source span of an assigned value: 0-based lines and UTF-16 characters, for quick fixes. */
export interface ValueSpan {
  file: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
  /** Set where the value is written as a literal (`False`, `0`, `'x'`), which a quick fix may replace: not `env('X', default=False)`. */
  literal?: true;
}

/** A name bound at module level, with where it was last assigned. */
export interface Binding {
  value: SettingValue;
  location: SourceLocation;
  /** Where the value of the last plain assignment is written. */
  valueSpan?: ValueSpan;
  /** Where the name was last assigned, when a statement that may change it (an opaque call) has since moved `location` to itself. */
  nameAt?: SourceLocation;
}

/** A problem found while reading a project, with its place when there is one. */
export interface ProjectProblem {
  message: string;
  location?: SourceLocation;
  /** Set on the exception the settings raise at module level, which stops Django's import of them. */
  raises?: true;
}

/** One write of an environment variable, before it takes effect: `ctx.env` is the environment it meets. */
export interface EnvironmentWrite {
  name: string;
  value: SettingValue;
  /** `setdefault` leaves a variable already set alone; an assignment replaces it. */
  how: 'setdefault' | 'assignment';
  valueNode: Node;
  location: SourceLocation;
  ctx: EvaluationContext;
  /** Made in a function that cannot be run, as `run() (proj/boot.py:6), which cannot be read statically: why`. */
  unreadFunction?: string;
}

/** What evaluating one settings module needs; shared by the statements and expressions. */
export interface EvaluationContext {
  file: string;
  /** The directory manage.py is in: relative SQLite names and `Path('x')` resolve against it. */
  projectRoot: string;
  /** The process environment over the `.env` files; `read_env()` / `load_dotenv()` add to it. */
  env: EvaluationEnvironment;
  /**
   * Every environment file the evaluation read or looked for, found or not, and every file whose
   * existence it tested (`Path.exists()`, an optional `include()`): creating one changes the
   * settings. Shared by every module it imports.
   */
  envFiles: Set<string>;
  /** Every environment file a load call of the settings names, whether the call runs or not; shared like `envFiles`. */
  envFilesLoaded: Set<string>;
  /** `sys.path`, which the settings may extend (`sys.path.append(...)`) to import modules from another directory; shared like `envFiles`. */
  sysPath: SysPath;
  /** The first import each module of the project makes outside a `try` that fails or may fail, by file (see noteImportFailure); shared like `envFiles`. */
  importFailures: Map<string, ImportFailure>;
  /** The site-packages of the project's virtualenvs (see virtualenvSitePackages), searched after `sys.path`. */
  sitePackages: readonly string[];
  namespace: Map<string, Binding>;
  problems: ProjectProblem[];
  /** Set while a loop is run item by item: then `break` and `continue` are followed (see `jump`). */
  followsJumps?: boolean;
  /**
   * Set by `break` or `continue` where jumps are followed, and by `return` or `raise` in a function
   * being called (see functionCall): the rest of the body is skipped.
   */
  jump?: 'break' | 'continue' | 'return' | 'raise';
  /** What `return` gave, or why the function raised (an unknown value), with `jump`. */
  returned?: SettingValue;
  /** Set, with why, where ways evaluation may have gone jump differently: the loop or the call cannot be followed. */
  jumpUndecided?: string;
  /** Set while a function of the project is called: `return` and `raise` end it, and how deep calls are. */
  callDepth?: number;
  /**
   * Set while a function of the project is called: why running a statement it reaches would
   * change what outlives the call in a way not followed (see functionCall), which ends the call.
   */
  outsideEffect?: (statement: Node) => string | undefined;
  /** Set while the body of a `try` runs: a call that raises for certain then jumps to its handler. */
  tryDepth?: number;
  /** `sys.argv` of the run being read: each normal run's for manage.py, `runserver`'s for settings (see normalRuns); unset where the command line is not known. */
  argv?: readonly string[];
  /**
   * Set while manage.py runs up to where Django imports the settings (see runEntryPoint), whose
   * point is the environment it leaves: a function of the project it calls that writes the
   * environment (`from mysite.boot import run; run(sys.argv)`) runs on the caller's environment
   * (see callFunction), which elsewhere a call's writes would not reach.
   */
  followsEnvironmentWrites?: true;
  /** Told of each `os.environ.setdefault(…)` and `os.environ[…] = …` as it runs, in every way evaluation may go (see managePySettingsModule). */
  onEnvironmentWrite?: (write: EnvironmentWrite) => void;
  /**
   * Evaluates another module of the project (cached), for imports; undefined if not found. An
   * absolute module is looked up in `sitePackages` too only when `installed` is set (star
   * imports), so the libraries whose calls are read by name (django-environ, decouple…) stay names.
   */
  importModule(fromFile: string, moduleText: string, installed?: boolean): ModuleValue | undefined;
  /** Runs a file's statements in `into`'s namespace, as `exec()` does (django-split-settings' `include()`); false when it cannot be read. */
  execFile(file: string, into: EvaluationContext): boolean;
}

const LITERALS = new Set(['true', 'false', 'none', 'integer', 'float']);

/** The span of a node as a ValueSpan. */
export function spanOf(file: string, node: Node): ValueSpan {
  const span: ValueSpan = {
    file,
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
  const type = node.type;
  if (LITERALS.has(type) || (type === 'string' && stringLiteralValue(node) !== undefined)) {
    span.literal = true;
  }
  return span;
}

/** The 1-based line, 0-based column location of a node. */
export function locationOf(file: string, node: Node): SourceLocation {
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column };
}

const SNIPPET_LENGTH = 80;

/** A node's source for a message: on one line, and cut short (`[os.getenv("X"), "../app.conf", …`) when long. */
export function sourceSnippet(node: Node): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH).trimEnd()}…` : text;
}
