import type { SettingsReader } from './settingsReader';

/**
 * Why a db or cached_db store read from settings may not be where the sessions are: any
 * `DATABASE_ROUTERS` (or one that cannot be read statically) may send the sessions app to
 * another alias, and routers are code, which is never run here. Undefined without routers.
 * The message is also a settings problem, so it shows wherever the settings' problems do.
 */
export function databaseRoutersCaveat(reader: SettingsReader): string | undefined {
  const routers = reader.value('DATABASE_ROUTERS');
  if (!routers || routers.kind === 'none' || ((routers.kind === 'list' || routers.kind === 'tuple') && routers.items.length === 0)) {
    return undefined;
  }
  const message =
    "DATABASE_ROUTERS may route sessions to another database; the store shown is 'default' — set djangoSessions.store.url / --store if sessions live elsewhere";
  reader.problems.push({ message, location: reader.location('DATABASE_ROUTERS') });
  return message;
}
