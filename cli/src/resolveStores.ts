import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, envFileVariablesNote, parseStoreUrl, StoreError, storeUrlDefaults, type DjangoProject, type StoreDescriptor } from '../../engine/src';
import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';
import { DEFAULT_KEY_VARIABLE, keyList, keysFromEnvironment, type EnvironmentKeys } from './secretKeys';
import { writeError } from './terminalText';

/** A store to act on, with the problems met reading the settings it came from. */
export interface ResolvedStore extends StoreDescriptor {
  /**
   * Its project's settings problems as lines ("file:line: message"), e.g. a DATABASES that
   * cannot be read statically: shown by `stores`, and the reason when the store cannot open.
   */
  settingsProblems?: string[];
  /** Where the variables its settings need but are not set here are written down (see envFileVariablesNote). */
  envNote?: string;
  /** Which environment variables manage.py chose the settings module by (see DjangoProject.settingsNote). */
  settingsNote?: string;
}

/**
 * The stores a command acts on, by one predictable rule:
 *
 * - `--store URL`: the URL, with settings defaults (time zone, cookie age, key) only from an
 *   explicit `--project` or `--settings`, never from whatever project the current directory
 *   holds; explicit settings that give no store (not found, not a file) are a usage error;
 * - otherwise the stores in the settings of the project(s) in `--project` (default: here).
 *
 * The key: a variable named by `--secret-key-env`, or DJANGO_SECRET_KEY, when set, is used for
 * URL stores; for settings stores it fills in a key the settings do not give statically (an
 * explicit `--secret-key-env` overrides them). The `--fallback-keys-env` keys follow whichever
 * key is used, from the variable or the settings. When several projects are found, each store id
 * is prefixed with its project's directory, so ids stay unique.
 */
export async function resolveStores(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<ResolvedStore[]> {
  const settingsOwner = args.project === undefined ? settingsFileProject(args.settings) : undefined;
  const root = settingsOwner ?? projectRoot(args);
  const envKeys = keysFromEnvironment(args, env);
  const explicit = args.project !== undefined || args.settings !== undefined;
  const found = args.stores.length === 0 || explicit ? await discoverProjects(root, { settingsModule: settingsArgument(args.settings, args.project !== undefined ? root : undefined), env }) : [];
  // A settings file is its own project's: never the settings of projects beside it (or below it).
  const projects = settingsOwner === undefined ? found : found.filter((project) => project.root === settingsOwner);
  if (args.stores.length > 0) {
    const settingsStore = projects.flatMap((p) => p.stores)[0];
    // Read in part (say, DATABASES from a module not found), the settings still give their
    // defaults and `stores` lists the problems; not read at all, Django's defaults would stand
    // in silently for the settings asked for, so that is a usage error.
    const settingsProblems = projects.flatMap(problemLines);
    if (explicit && !settingsStore) {
      const given = args.settings !== undefined ? `--settings ${args.settings}` : `--project ${args.project}`;
      throw new CliError(ExitCode.usage, `Cannot read the settings given with ${given}: ${noStoreReason(root, projects, 'no session store in them')}.`);
    }
    const ids = uniqueIds();
    const cachedHere = explicit ? [] : await cachedDbStoresHere(root, env);
    return args.stores.map((url) => {
      let descriptor: StoreDescriptor;
      try {
        descriptor = parseStoreUrl(url, root, storeUrlDefaults(settingsStore), { passwords: 'accept' });
      } catch (err) {
        throw err instanceof StoreError ? new CliError(ExitCode.usage, err.message) : err;
      }
      const secretKeys =
        envKeys.key !== undefined
          ? fromVariable(envKeys)
          : settingsStore
            ? { ...settingsStore.secretKeys, values: keyList(envKeys, settingsStore.secretKeys.values) }
            : { values: keyList(envKeys), missing: `set ${DEFAULT_KEY_VARIABLE}, or pass --project DIR to take SECRET_KEY from its settings` };
      warnCachedDbHere(url, root, descriptor, cachedHere);
      return { ...descriptor, id: ids(descriptor.id), secretKeys, ...(settingsProblems.length ? { settingsProblems } : {}) };
    });
  }
  const fromSettings = projects.flatMap((p) => p.stores.map((d) => ({ project: p, descriptor: d })));
  if (fromSettings.length === 0) {
    // --settings naming no settings file is a wrong argument (exit 2); settings that cannot be
    // found, or that give no store statically, are "not found" (exit 1), however the project was named.
    if (args.settings !== undefined && projects.every((project) => project.settingsFiles.length === 0)) {
      throw new CliError(ExitCode.usage, `Cannot read the settings given with --settings ${args.settings}: ${noStoreReason(root, projects, 'no session store in them', false)}.`);
    }
    const where = args.settings !== undefined ? `the settings given with --settings ${args.settings}` : args.project !== undefined ? `the settings of --project ${args.project}` : 'the settings found';
    // Found in the current directory, the way out names --settings with the others, so the reason need not.
    const implicit = args.project === undefined && args.settings === undefined;
    throw new CliError(ExitCode.notFound, `No session store in ${where}: ${noStoreReason(root, projects, 'no session store in them', args.settings === undefined && !implicit)}.${implicit ? ' Pass --project DIR, --settings MODULE or --store URL.' : ''}`);
  }
  // Of several projects, one whose settings give no store is said, not left out in silence.
  for (const project of projects.filter((p) => p.stores.length === 0)) {
    writeError(`django-sessions: note: project ${projectLabel(root, project)} has no session store: ${noStoreReason(root, [project], 'no session store in its settings')}\n`);
  }
  return fromSettings.map(({ project, descriptor }) => {
    const id = projects.length > 1 ? `${projectLabel(root, project)}/${descriptor.id}` : descriptor.id;
    const overrides = envKeys.key !== undefined && (descriptor.secretKeys.values.length === 0 || args.flags.has('--secret-key-env'));
    // Not overriding, the variable's key is not used at all: Django signs with the settings' key.
    const secretKeys = overrides ? fromVariable(envKeys) : { ...descriptor.secretKeys, values: keyList({ ...envKeys, key: undefined }, descriptor.secretKeys.values) };
    const envNote = envFileVariablesNote(project, displayPath);
    return { ...descriptor, id, secretKeys, settingsProblems: problemLines(project), ...(envNote ? { envNote } : {}), ...(project.settingsNote ? { settingsNote: project.settingsNote } : {}) };
  });
}

/**
 * The cached_db stores of a project in the current directory, which `--store` alone does not
 * read: only looked for where a manage.py is, since reading settings is not free.
 */
async function cachedDbStoresHere(root: string, env: NodeJS.ProcessEnv): Promise<StoreDescriptor[]> {
  if (!fs.existsSync(path.join(root, 'manage.py'))) {
    return [];
  }
  const projects = await discoverProjects(root, { env });
  return projects.flatMap((project) => project.stores).filter((store) => store.engine === 'cached_db');
}

/**
 * Warns when a db URL names the table that the project here keeps with cached_db: Django serves
 * those sessions from the cache first, so a flush or logout made on the table alone leaves the
 * user logged in until the cache entry expires.
 */
function warnCachedDbHere(url: string, root: string, descriptor: StoreDescriptor, cachedHere: StoreDescriptor[]): void {
  if (descriptor.engine !== 'db') {
    return;
  }
  const owner = cachedHere.find((store) => parseStoreUrl(url, root, storeUrlDefaults(store), { passwords: 'accept' }).engine === 'cached_db');
  if (owner) {
    writeError(
      `django-sessions: warning: ${descriptor.id} names the table the project here keeps with cached_db (${owner.id}), and --store does not read its settings: Django serves these sessions from the cache first, so a change or logout made on the table alone is not what Django serves. Pass --project ., or name the cache with ?cache=.\n`,
    );
  }
}

/** A `--settings` that names a file: it has a slash or ends in .py; anything else is a dotted module. */
const SETTINGS_PATH = /[\\/]|\.py$/;

/**
 * `--settings`: a dotted module as given; a file path (it has a slash or ends in .py) resolved
 * against the current directory, as `--project` is, or else, when only there, against the
 * project directory (as the editor's settingsModule setting is read): `--project`, or the
 * directory `scan` and `lint` read.
 */
export function settingsArgument(settings: string | undefined, projectDir: string | undefined): string | undefined {
  if (settings === undefined || !SETTINGS_PATH.test(settings)) {
    return settings;
  }
  const fromHere = path.resolve(settings);
  const fromProject = projectDir === undefined ? undefined : path.resolve(projectDir, settings);
  return !fs.existsSync(fromHere) && fromProject !== undefined && fs.existsSync(fromProject) ? fromProject : fromHere;
}

/**
 * Ids for several `--store` URLs: a URL's id names only its scheme (`url:redis`), so a repeat
 * is numbered (`url:redis#2`), the same in text, JSON, progress and `--yes` messages.
 */
function uniqueIds(): (id: string) => string {
  const seen = new Map<string, number>();
  return (id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n > 1 ? `${id}#${n}` : id;
  };
}

/** `--project DIR` (which must be a directory), else the current directory. */
/**
 * For `--settings FILE` without `--project`: the directory of the manage.py nearest above the
 * file, whose project those settings are. Undefined for a dotted module, a file that does not
 * exist, or one no manage.py is above.
 */
function settingsFileProject(settings: string | undefined): string | undefined {
  if (settings === undefined || !SETTINGS_PATH.test(settings)) {
    return undefined;
  }
  const file = path.resolve(settings);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'manage.py'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function projectRoot(args: ParsedArgs): string {
  const root = path.resolve(args.project ?? '.');
  if (args.project !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError(ExitCode.usage, `--project ${args.project}: no such directory; give the directory that holds manage.py.`);
  }
  return root;
}

/** Keys from the environment, named by their variable (settings keys carry their file and line instead). */
function fromVariable(keys: EnvironmentKeys): StoreDescriptor['secretKeys'] {
  return { values: keyList(keys), variable: keys.variable };
}

/** Why the projects under `root` gave no store: none found, their settings problems, else `none`. */
function noStoreReason(root: string, projects: DjangoProject[], none: string, hint = true): string {
  if (projects.length === 0) {
    return `no Django manage.py (one that imports django or sets DJANGO_SETTINGS_MODULE, itself or through modules of the project it imports) in ${root} or two levels below, and no wsgi.py, asgi.py, pytest or tox configuration naming DJANGO_SETTINGS_MODULE${hint ? '; name the settings module with --settings MODULE' : ''}`;
  }
  const problems = projects.flatMap(problemLines);
  // Settings that could not even be found are named with --settings (wger's wsgi.py names a bare directory), unless a problem already says so.
  const unread = hint && projects.some((project) => project.settingsFiles.length === 0) && !problems.some((line) => line.includes('--settings')) ? '; name the settings module with --settings MODULE' : '';
  return `${problems.join('; ') || none}${unread}`;
}

/** A project's directory relative to the one searched, `.` for the root itself. */
function projectLabel(root: string, project: DjangoProject): string {
  return path.relative(root, project.root).split(path.sep).join('/') || '.';
}

function problemLines(project: DjangoProject): string[] {
  return project.problems.map((p) => (p.location ? `${displayPath(p.location.file)}:${p.location.line}: ${p.message}` : p.message));
}

/** A file for messages: relative to the current directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
