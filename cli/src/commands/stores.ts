import { assumedCookieAgeNote, assumedTimeSettingsNote, storeLocation, unloadedEnvNote, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { displayPath, type ResolvedStore } from '../resolveStores';

/**
 * `stores`: the resolved stores, where each came from and where its SECRET_KEY came from (a
 * variable's name or a settings line, never the key), and the problems met reading the settings,
 * which a store that was found can still suffer from.
 */
export async function storesCommand(args: ParsedArgs, stores: ResolvedStore[], out: (text: string) => void): Promise<number> {
  const rows = stores.map((d) => ({
    id: d.id,
    engine: d.engine,
    enginePath: d.enginePath,
    location: storeLocation(d),
    // Only db and cached_db sessions live in a table.
    table: d.database ? d.table : undefined,
    serializer: d.serializer,
    salt: d.salt,
    // A cache keeps the session dict itself, which nothing signs.
    secretKey:
      d.engine === 'cache'
        ? 'not used (cache sessions are not signed)'
        : d.secretKeys.values.length > 0
          ? `known (${d.secretKeys.values.length} key${d.secretKeys.values.length === 1 ? '' : 's'})`
          : `${unreadKey(d.secretKeys.missing)}: ${d.secretKeys.missing ?? 'not set'}`,
    secretKeySource: keySource(d),
    source: d.source ? `${displayPath(d.source.file)}:${d.source.line}` : undefined,
    problems: d.settingsProblems?.length ? d.settingsProblems : undefined,
    useTz: d.useTz,
    timeZone: d.timeZone,
    // DATABASES[alias]['TIME_ZONE'], in which the database holds expire_date (with USE_TZ on MySQL and SQLite).
    dbTimeZone: d.database?.timeZone,
    assumedTimeSettings: assumedTimeSettingsNote(d) ? d.assumedTimeSettings : [],
    unloadedEnv: d.unloadedEnv,
    envNote: d.envNote,
    settingsNote: d.settingsNote,
  }));
  if (args.json) {
    out(toJsonText({ stores: rows }));
  } else {
    rows.forEach((r, i) => {
      const from = r.secretKeySource ? (stores[i]!.secretKeys.values.length > 0 ? ` from ${r.secretKeySource}` : ` (${r.secretKeySource})`) : '';
      out(`${r.id}\t${r.engine}\t${r.location ?? ''}\tsecret key ${r.secretKey}${from}`);
      for (const problem of r.problems ?? []) {
        out(`  settings problem: ${problem}`);
      }
      for (const assumed of [assumedTimeSettingsNote(stores[i]!), assumedCookieAgeNote(stores[i]!)]) {
        if (assumed) {
          out(`  note: ${assumed}`);
        }
      }
      if (r.settingsNote) {
        out(`  note: ${r.settingsNote}`);
      }
      if (stores[i]!.envNote) {
        out(`  note: ${stores[i]!.envNote}`);
      }
      if (stores[i]!.tableOnlyRefusal !== undefined) {
        out(`  note: read from its table only, since the settings' cached_db cache is not known; changes are refused until the URL names it too (?cache=redis://…)`);
      }
      const unloaded = unloadedEnvNote(stores[i]!, displayPath);
      if (unloaded) {
        out(`  note: ${unloaded}`);
      }
    });
  }
  return ExitCode.ok;
}

/**
 * 'missing' for a key Django would not have either (not set, empty, or a variable that is not
 * set), 'unknown' for one the settings compute in a way static reading cannot follow.
 */
function unreadKey(why: string | undefined): 'missing' | 'unknown' {
  return why === undefined || /^(SECRET_KEY is |needs environment variable |set DJANGO_SECRET_KEY)/.test(why) ? 'missing' : 'unknown';
}

/** `$NAME` for a key read from the environment, `file:line` for one read from the settings (also where a key set there cannot be read). */
function keySource(d: StoreDescriptor): string | undefined {
  if (d.secretKeys.values.length === 0 && (!d.secretKeys.missing || /^SECRET_KEY is not set/.test(d.secretKeys.missing))) {
    return undefined;
  }
  if (d.secretKeys.variable) {
    return `$${d.secretKeys.variable}`;
  }
  const unloaded = d.secretKeys.unloadedEnvVariable === undefined ? '' : `, $${d.secretKeys.unloadedEnvVariable} from ${d.unloadedEnv?.files.map(displayPath).join(' or ')}`;
  return d.secretKeys.source ? `${displayPath(d.secretKeys.source.file)}:${d.secretKeys.source.line}${unloaded}` : undefined;
}
