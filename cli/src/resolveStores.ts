import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, parseStoreUrl, StoreError, storeUrlDefaults, type DjangoProject, type StoreDescriptor } from '../../engine/src';
import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';
import { DEFAULT_KEY_VARIABLE, keysFromEnvironment, type EnvironmentKeys } from './secretKeys';

/** A store to act on, with the problems met reading the settings it came from. */
export interface ResolvedStore extends StoreDescriptor {
  /**
   * Its project's settings problems as lines ("file:line: message"), e.g. a DATABASES that
   * cannot be read statically: shown by `stores`, and the reason when the store cannot open.
   */
  settingsProblems?: string[];
}

/**
 * The stores a command acts on, by one predictable rule:
 *
 * - `--store URL`: the URL, with settings defaults (time zone, cookie age, key) only from an
 *   explicit `--project` or `--settings`, never from whatever project the current directory holds;
 * - otherwise the stores in the settings of the project(s) in `--project` (default: here).
 *
 * The key: a variable named by `--secret-key-env`, or DJANGO_SECRET_KEY, when set, is used for
 * URL stores; for settings stores it fills in a key the settings do not give statically (an
 * explicit `--secret-key-env` overrides them). When several projects are found, each store id
 * is prefixed with its project's directory, so ids stay unique.
 */
export async function resolveStores(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<ResolvedStore[]> {
  const root = projectRoot(args);
  const envKeys = keysFromEnvironment(args, env);
  const explicit = args.project !== undefined || args.settings !== undefined;
  const projects = args.stores.length === 0 || explicit ? await discoverProjects(root, { settingsModule: args.settings, env }) : [];
  if (args.stores.length > 0) {
    const settingsStore = projects.flatMap((p) => p.stores)[0];
    return args.stores.map((url) => {
      let descriptor: StoreDescriptor;
      try {
        descriptor = parseStoreUrl(url, root, storeUrlDefaults(settingsStore));
      } catch (err) {
        throw err instanceof StoreError ? new CliError(ExitCode.usage, err.message) : err;
      }
      const secretKeys = envKeys ? fromVariable(envKeys) : (settingsStore?.secretKeys ?? { values: [], missing: `set ${DEFAULT_KEY_VARIABLE}, or pass --project DIR to take SECRET_KEY from its settings` });
      return { ...descriptor, secretKeys };
    });
  }
  const fromSettings = projects.flatMap((p) => p.stores.map((d) => ({ project: p, descriptor: d })));
  if (fromSettings.length === 0) {
    const why = projects.length === 0 ? `no manage.py in ${root} or one level below` : projects.flatMap(problemLines).join('; ') || 'no session store in its settings';
    throw new CliError(ExitCode.store, `No session store found: ${why}. Pass --project DIR or --store URL.`);
  }
  return fromSettings.map(({ project, descriptor }) => {
    const id = projects.length > 1 ? `${projectLabel(root, project)}/${descriptor.id}` : descriptor.id;
    const overrides = envKeys !== undefined && (descriptor.secretKeys.values.length === 0 || args.flags.has('--secret-key-env'));
    return { ...descriptor, id, secretKeys: overrides ? fromVariable(envKeys) : descriptor.secretKeys, settingsProblems: problemLines(project) };
  });
}

/** `--project DIR` (which must be a directory), else the current directory. */
function projectRoot(args: ParsedArgs): string {
  const root = path.resolve(args.project ?? '.');
  if (args.project !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError(ExitCode.usage, `--project ${args.project}: no such directory; give the directory that holds manage.py.`);
  }
  return root;
}

/** Keys from the environment, named by their variable (settings keys carry their file and line instead). */
function fromVariable(keys: EnvironmentKeys): StoreDescriptor['secretKeys'] {
  return { values: keys.values, variable: keys.variable };
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
