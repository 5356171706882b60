import * as path from 'node:path';
import { discoverProjects, parseStoreUrl, StoreError, storeUrlDefaults, type StoreDescriptor } from '../../engine/src';
import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';

/**
 * The stores a command acts on: each `--store URL`, or else those found in the settings of the
 * project (the current directory unless `--project`). `DJANGO_SECRET_KEY` in the environment
 * fills in a key that the settings do not give statically.
 */
export async function resolveStores(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<StoreDescriptor[]> {
  const root = path.resolve(args.project ?? '.');
  const projects = await discoverProjects(root, { settingsModule: args.settings, env });
  const fromSettings = projects.flatMap((p) => p.stores);
  const envKey = env.DJANGO_SECRET_KEY;
  const withEnvKey = (d: StoreDescriptor): StoreDescriptor =>
    d.secretKeys.values.length === 0 && envKey ? { ...d, secretKeys: { values: [envKey], source: undefined } } : d;
  if (args.stores.length > 0) {
    return args.stores.map((url) => {
      try {
        return withEnvKey(parseStoreUrl(url, root, storeUrlDefaults(fromSettings[0])));
      } catch (err) {
        throw err instanceof StoreError ? new CliError(ExitCode.usage, err.message) : err;
      }
    });
  }
  if (fromSettings.length === 0) {
    const problems = projects.flatMap((p) => p.problems.map((q) => q.message));
    const why = projects.length === 0 ? `no manage.py in ${root} or one level below` : problems.join('; ') || 'no session store in its settings';
    throw new CliError(ExitCode.store, `No session store found: ${why}. Pass --project DIR or --store URL.`);
  }
  return fromSettings.map(withEnvKey);
}
