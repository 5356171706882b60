import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonParser } from '../analysis/pythonParser';
import { stringLiteralValue } from '../analysis/stringLiteral';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type EnvironmentWrite, sourceSnippet } from './evaluationContext';
import { NORMAL_RUNS } from './normalRuns';
import { managePyEnvironment } from './settingsEvaluation';

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';

/** What manage.py sets DJANGO_SETTINGS_MODULE to before Django imports the settings. */
export type ManagePySettings =
  /**
   * What the run leaves in the variable, with where that was set: already over the process
   * environment and the project's `.env` files, as a `setdefault` takes only where neither sets it.
   */
  | { kind: 'set'; module: string; location: SourceLocation; note?: string }
  /** Which module it sets static reading cannot tell: why, and the modules it may set. */
  | { kind: 'undecided'; reason: string; location: SourceLocation; candidates: string[] };

/** One write of DJANGO_SETTINGS_MODULE as it ran. */
interface SettingsWrite {
  module?: string;
  /** Why the value is not known, where it is not. */
  unknownBecause?: string;
  /** The function that cannot be run that makes the write (see EnvironmentWrite). */
  unreadFunction?: string;
  expression: string;
  how: EnvironmentWrite['how'];
  /** Whether it changes the variable: a `setdefault` of one already set does not. */
  takes: boolean;
  location: SourceLocation;
  note?: string;
}

/**
 * The settings module manage.py sets for a normal run (`runserver`, `shell`), read by running
 * it statically as Python would, with the process environment and the project's `.env` files:
 * a branch on `sys.argv` for `test` is the test run's and not taken, `os.getenv(…)` and
 * f-strings are evaluated as in settings, and a condition that cannot be told leaves the module
 * undecided rather than guessed. Undefined when manage.py sets none.
 */
export function managePySettingsModule(
  python: PythonParser,
  projectRoot: string,
  processEnv: ReadonlyMap<string, string>,
  guessedEnvFiles: readonly string[],
): ManagePySettings | undefined {
  const [first, ...others] = NORMAL_RUNS.map((argv) => settingsOfRun(python, projectRoot, processEnv, guessedEnvFiles, argv));
  const differing = others.findIndex((other) => JSON.stringify(other) !== JSON.stringify(first));
  if (differing === -1 || first?.kind === 'undecided') {
    return first;
  }
  if (others[differing]?.kind === 'undecided') {
    return others[differing];
  }
  const commands = [first, ...others].map((run, i) => `${run?.kind === 'set' ? run.module : 'nothing'} for ${NORMAL_RUNS[i]!.slice(1).join(' ')}`);
  const location = (first ?? others[differing])!.location;
  const candidates = [first, ...others].flatMap((run) => (run?.kind === 'set' ? [run.module] : []));
  return { kind: 'undecided', reason: `manage.py sets DJANGO_SETTINGS_MODULE to ${commands.join(' and ')}`, location, candidates: [...new Set(candidates)] };
}

function settingsOfRun(
  python: PythonParser,
  projectRoot: string,
  processEnv: ReadonlyMap<string, string>,
  guessedEnvFiles: readonly string[],
  argv: readonly string[],
): ManagePySettings | undefined {
  const run = (envFiles: readonly string[]) => {
    const writes: SettingsWrite[] = [];
    const onEnvironmentWrite = (write: EnvironmentWrite) => {
      if (write.name === SETTINGS_VARIABLE) {
        writes.push(settingsWrite(write, processEnv));
      }
    };
    return { writes, ...managePyEnvironment(python, projectRoot, processEnv, envFiles, { argv, onEnvironmentWrite }) };
  };
  // As for the settings, a .env that manage.py loads itself applies where it loads it, not over a setdefault made before.
  const first = run(guessedEnvFiles);
  const { writes, env } = guessedEnvFiles.some((file) => first.envFilesLoaded.has(file)) ? run(guessedEnvFiles.filter((file) => !first.envFilesLoaded.has(file))) : first;
  const candidates = [...new Set(writes.flatMap((write) => write.module ?? []))];
  const unread = writes.find((write) => write.module === undefined && write.takes);
  if (unread) {
    const reason = unread.unreadFunction
      ? `manage.py's DJANGO_SETTINGS_MODULE is chosen in ${unread.unreadFunction}`
      : `manage.py sets DJANGO_SETTINGS_MODULE from an expression static reading cannot tell (${unread.expression}${unread.unknownBecause ? `: ${unread.unknownBecause}` : ''})`;
    return { kind: 'undecided', reason, location: unread.location, candidates };
  }
  const undecided = env.undecidedRead(SETTINGS_VARIABLE, true);
  if (undecided !== undefined) {
    const location = writes[0]?.location ?? { file: path.join(projectRoot, 'manage.py'), line: 1, column: 0 };
    // The environment's join says a load may or may not have set it; here the writes are known.
    const why = undecided.replace(/^environment variable \w+ may be set by .*? or not: /, '');
    const reason = candidates.length > 1 ? `manage.py sets DJANGO_SETTINGS_MODULE to ${candidates.join(' or ')}, and which one ${why}` : `manage.py may set DJANGO_SETTINGS_MODULE${candidates[0] ? ` to ${candidates[0]}` : ''} or not: ${why}`;
    return { kind: 'undecided', reason, location, candidates };
  }
  const module = env.get(SETTINGS_VARIABLE);
  const write = [...writes].reverse().find((found) => found.takes && found.module === module);
  if (module === undefined) {
    return undefined;
  }
  if (write) {
    return { kind: 'set', module, location: write.location, ...(write.note ? { note: write.note } : {}) };
  }
  // Set by an env file manage.py loads (load_dotenv(BASE_DIR / "config" / ".env")), not by a file only guessed to be loaded.
  const load = env.loadOf(SETTINGS_VARIABLE);
  return load && { kind: 'set', module, location: load.location, note: `${SETTINGS_VARIABLE}=${module} in ${load.file.split(path.sep).join('/')}` };
}

function settingsWrite(write: EnvironmentWrite, processEnv: ReadonlyMap<string, string>): SettingsWrite {
  const { value } = write;
  const found: SettingsWrite = {
    expression: sourceSnippet(write.valueNode),
    how: write.how,
    takes: write.how === 'assignment' || !write.ctx.env.has(write.name),
    location: write.location,
  };
  if (value.kind === 'str') {
    found.module = value.value;
  } else if (value.kind === 'unknown') {
    found.unknownBecause = value.reason;
  }
  if (write.unreadFunction) {
    found.unreadFunction = write.unreadFunction;
  }
  const note = environmentNote(write, processEnv);
  return note ? { ...found, note } : found;
}

/** Which environment variables the value was computed from and what they were here (`ENV=prod (from .env)`, `(from config/app.env)` where manage.py loads that file, `ENV not set (its default taken)`). */
function environmentNote(write: EnvironmentWrite, processEnv: ReadonlyMap<string, string>): string | undefined {
  const parts = environmentReads(write.valueNode).map(({ name, withDefault }) => {
    const value = write.ctx.env.get(name);
    if (value === undefined) {
      return withDefault ? `${name} not set (its default taken)` : `${name} not set`;
    }
    const load = write.ctx.env.loadOf(name);
    const from = processEnv.get(name) === value ? 'the environment' : load ? load.file.split(path.sep).join('/') : '.env';
    return `${name}=${value} (from ${from})`;
  });
  return parts.length > 0 ? [...new Set(parts)].join(', ') : undefined;
}

/**
 * The environment variables an expression reads (`os.getenv("X", d)`, `os.environ.get`,
 * `os.environ["X"]`, `"X" in os.environ`, django-environ's `env("X")`), also through the names it uses, each read from its
 * last assignment before the expression (Azure's `settings_module = … if "WEBSITE_HOSTNAME" in os.environ else …`).
 */
function environmentReads(expression: Node): { name: string; withDefault: boolean }[] {
  const reads: { name: string; withDefault: boolean }[] = [];
  const followed = new Set<number>();
  const visit = (node: Node): void => {
    const read = environmentRead(node);
    if (read) {
      reads.push(read);
    }
    if (node.type === 'identifier') {
      const assigned = lastAssignmentBefore(node);
      if (assigned && !followed.has(assigned.id)) {
        followed.add(assigned.id);
        visit(assigned);
      }
    }
    node.namedChildren.forEach((child) => child && visit(child));
  };
  visit(expression);
  return reads;
}

function environmentRead(node: Node): { name: string; withDefault: boolean } | undefined {
  const literal = (child: Node | null | undefined) => (child?.type === 'string' ? stringLiteralValue(child) : undefined);
  if (node.type === 'call' && /(?:^|\.)(?:getenv|environ\.get)$/.test(node.childForFieldName('function')?.text.replace(/\s/g, '') ?? '')) {
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    const name = literal(args[0]);
    return name === undefined ? undefined : { name, withDefault: args.length > 1 };
  }
  const environRead = environEnvRead(node);
  if (environRead) {
    const args = node.childForFieldName('arguments')?.namedChildren.filter((arg) => arg !== null) ?? [];
    const name = literal(args[0]);
    const positional = args.filter((arg) => arg.type !== 'keyword_argument').length;
    const keywordDefault = args.some((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'default');
    return name === undefined ? undefined : { name, withDefault: keywordDefault || positional > environRead.defaultAt };
  }
  if (node.type === 'subscript' && /(?:^|\.)environ$/.test(node.childForFieldName('value')?.text ?? '')) {
    const name = literal(node.childForFieldName('subscript'));
    return name === undefined ? undefined : { name, withDefault: false };
  }
  if (node.type === 'comparison_operator' && node.namedChildren.length === 2 && /(?:^|\.)environ$/.test(node.namedChildren[1]?.text ?? '')) {
    const name = literal(node.namedChildren[0]);
    return name === undefined ? undefined : { name, withDefault: false };
  }
  return undefined;
}

/**
 * Where a call reads a variable through django-environ (`env("X", str, default)`,
 * `env.str("X", default)`, `env.get_value(…)`, `env` bound to `environ.Env(…)` before it): the
 * position of its positional default.
 */
function environEnvRead(node: Node): { defaultAt: number } | undefined {
  const callee = node.type === 'call' ? node.childForFieldName('function') : null;
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : callee;
  if (object?.type !== 'identifier' || (method !== undefined && method !== 'str' && method !== 'get_value')) {
    return undefined;
  }
  const bound = lastAssignmentBefore(object);
  if (bound?.type !== 'call' || !/(?:^|\.)Env$/.test(bound.childForFieldName('function')?.text ?? '')) {
    return undefined;
  }
  return { defaultAt: method === 'str' ? 1 : 2 };
}

/** The value last assigned to the name `identifier` before it, in the file. */
function lastAssignmentBefore(identifier: Node): Node | undefined {
  let last: Node | undefined;
  const visit = (node: Node): void => {
    if (node.startIndex >= identifier.startIndex) {
      return;
    }
    const left = node.type === 'assignment' ? node.childForFieldName('left') : undefined;
    const right = left ? node.childForFieldName('right') : undefined;
    if (left?.type === 'identifier' && left.text === identifier.text && right) {
      last = right;
    }
    node.namedChildren.forEach((child) => child && visit(child));
  };
  visit(identifier.tree.rootNode);
  return last;
}
