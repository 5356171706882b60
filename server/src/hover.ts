import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import {
  cacheAliasAt,
  distinctPlaces,
  describeSessionSetting,
  isWriteOp,
  projectCaches,
  savedWrites,
  sessionSettingAt,
  type Position,
  type PythonParser,
  type ResolvedUsage,
  type SessionKeyIndex,
} from '../../engine/src';
import { keyUsagesAt, unresolvedKeyAt, usagesOfKey } from './keyUsageAt';
import { keyUsers } from './keyUsers';
import type { ListedKeys } from './listedSessionKeys';
import { markdownCode } from './markdownCode';
import type { ProjectModel, SettingScope } from './projectModel';
import type { TextSource } from './rename';
import { showSessionsLink } from './showSessionsLink';

/**
 * A session key's story at a glance: what Django or a third-party app uses it for, and where the
 * project writes and reads it. `installedApps` is the file's INSTALLED_APPS, undefined when unknown.
 * With `sessionsLink` (a store the Sessions view lists is open), a link that lists the sessions holding the key.
 * `listed` are the keys the sessions the Sessions view listed hold: a key no code writes may be among them.
 */
export function hoverSessionKey(
  index: SessionKeyIndex,
  file: string,
  line: number,
  character: number,
  root: string,
  installedApps?: readonly string[],
  sessionsLink = false,
  listed: readonly ListedKeys[] = [],
): Hover | undefined {
  const usages = keyUsagesAt(index, file, { line, character });
  if (usages.length === 0) {
    return undefined;
  }
  // An access that is several keys (a mixin's `self.KEY`, each subclass's own) tells of each.
  const value = usages.map((usage) => keyStory(index, file, usage, root, installedApps, sessionsLink, listed)).join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: usages[0]!.range };
}

function keyStory(
  index: SessionKeyIndex,
  file: string,
  usage: ResolvedUsage,
  root: string,
  installedApps: readonly string[] | undefined,
  sessionsLink: boolean,
  listed: readonly ListedKeys[],
): string {
  const all = distinctPlaces(usagesOfKey(index, usage));
  const writes = savedWrites(all);
  const reads = all.filter((u) => !isWriteOp(u.op));
  const lines = [`**session key** ${markdownCode(usage.key)}`];
  const users = keyUsers(usage.key, installedApps, index.prefixKeys(file), (text) => `\`${text}\``);
  users.sentences.forEach((sentence) => lines.push('', sentence));
  if (usage.definition) {
    lines.push('', `Named by ${markdownCode(usage.definition.name)} in ${markdownCode(relative(root, usage.definition.file))}.`);
  }
  lines.push('', `Written in ${count(writes.length)}, read in ${count(reads.length)}.`);
  lines.push(...placeList(root, writes));
  if (reads.length > 0) {
    lines.push('', 'Read:', ...placeList(root, reads));
  }
  if (writes.length === 0 && !users.django && !users.writtenByApp) {
    lines.push('', neverWritten(root, reads, listed.flatMap(({ store, sessions }) => (sessions.has(usage.key) ? [{ store, count: sessions.get(usage.key)! }] : []))));
  }
  if (sessionsLink) {
    lines.push('', showSessionsLink(usage.key));
  }
  return lines.join('\n');
}

/**
 * An access whose key the code computes: the reason `scan --json` gives for it, and how the key
 * starts where that is known; or one whose key is a literal that is no str (`5`), which is known.
 */
export function hoverUnresolvedKey(index: SessionKeyIndex, file: string, position: Position): Hover | undefined {
  const access = unresolvedKeyAt(index, file, position);
  if (!access) {
    return undefined;
  }
  if (access.nonStr !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: ['**session key** that is not a str', '', `${access.reason}.`].join('\n') }, range: access.range };
  }
  const lines = ['**session key** computed at run time', '', `Which key this is cannot be told from the code: ${access.reason}.`];
  if (access.prefix) {
    lines.push('', `It starts with ${markdownCode(access.prefix)}.`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: access.range };
}

/**
 * What reading a key nothing writes does: `.get()` gives its default, but indexing it, or
 * `pop()` without a default, raises KeyError, which a 500 shows. Only Python indexes that way: a
 * template's lookup gives ''. An access an `in` check of the key plainly guards raises nothing and is
 * not named (see isKeyCheckGuarded). Where listed sessions (`held`, per store) hold the key, something
 * outside the code wrote it: reading it gives the default only in a session without it.
 */
function neverWritten(root: string, reads: ResolvedUsage[], held: readonly { store: string; count: number }[]): string {
  const raising = reads.find((u) => (u.op === 'read' || u.op === 'delete' || u.noDefault) && !u.guarded && u.file.endsWith('.py'));
  const how = raising?.op === 'pop' ? `${markdownCode('pop()')} without a default` : 'indexing it';
  const raisingAt = raising ? `${how} (${where(root, raising)}) raises KeyError unless an ${markdownCode('in')} check guards it` : '';
  if (held.length === 0) {
    return `Nothing in this project writes this key, so reading it always gives the default${raisingAt ? `, and ${raisingAt}` : ''}.`;
  }
  const holders = held.map(({ store, count }) => `${count} listed session${count === 1 ? '' : 's'} of ${markdownCode(store)}`).join(' and ');
  const verb = held.length === 1 && held[0]!.count === 1 ? 'holds' : 'hold';
  const without = raisingAt ? `; in a session without it, ${raisingAt}` : '';
  return `No code of the project writes this key, but ${holders} ${verb} it (an installed app, code outside the workspace or code since removed wrote it)${without}.`;
}

/** How many places of each kind a hover names: enough to go to, few enough to keep it short. */
const LISTED_PLACES = 3;

/** The first places as list items, each with its access, then how many more there are. */
function placeList(root: string, places: readonly ResolvedUsage[]): string[] {
  const items = places.slice(0, LISTED_PLACES).map((u) => `- ${u.op} at ${where(root, u)}`);
  const more = places.length - LISTED_PLACES;
  return more > 0 ? [...items, `- and ${more} more`] : items;
}

function count(n: number): string {
  return `${n} place${n === 1 ? '' : 's'}`;
}

function where(root: string, u: ResolvedUsage): string {
  return markdownCode(`${relative(root, u.file)}:${u.range.start.line + 1}`);
}

function relative(root: string, file: string): string {
  return path.relative(root, file) || path.basename(file);
}

/**
 * A `SESSION_*` setting at a glance: what Django does with it, its type and default, and what
 * this project sets it to, where. Bare names count in a settings module, `settings.SESSION_X` anywhere.
 */
export function hoverSessionSetting(python: PythonParser, text: string, position: Position, scope: SettingScope, root: string): Hover | undefined {
  const setting = sessionSettingAt(python, text, position, scope.inSettingsModule);
  if (!setting) {
    return undefined;
  }
  const facts = describeSessionSetting(setting.name, scope.project);
  const lines = [`**Django setting** \`${facts.name}\``, ''];
  if (facts.django) {
    lines.push(facts.django.summary, '', `Type: ${facts.django.type} · Django's default: \`${facts.django.default}\``);
  } else {
    lines.push("Not one of Django's session settings: Django ignores it, though a third-party package may read it.");
  }
  const others = scope.others ?? [];
  // With other settings modules to run with, each is named: the configured one may not be what is deployed.
  const named = others.length > 0 && scope.project?.settingsFiles[0] ? ` (${markdownCode(relative(root, scope.project.settingsFiles[0]))})` : '';
  if (facts.project) {
    const { file, line } = facts.project.location;
    lines.push('', `This project${named}: ${markdownCode(facts.project.value)}, set in ${markdownCode(`${relative(root, file)}:${line}`)}`);
  } else if (scope.project && facts.django) {
    lines.push('', `This project${named} does not set it, so Django's default applies.`);
  }
  for (const other of others) {
    const value = describeSessionSetting(setting.name, { ...scope.project!, settings: other.settings, settingsFiles: other.files }).project;
    const where = markdownCode(relative(root, other.file));
    lines.push('', value ? `With ${where}: ${markdownCode(value.value)}, set in ${markdownCode(`${relative(root, value.location.file)}:${value.location.line}`)}` : `With ${where}: not set, so Django's default applies.`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: setting.range };
}

/**
 * The cache SESSION_CACHE_ALIAS names, on its value in a settings module: its BACKEND and
 * LOCATION in the project's CACHES (a URL's password masked), or that CACHES has no such key.
 * CACHES is read as the editors have the settings, as the settings findings are.
 */
export async function hoverCacheAlias(python: PythonParser, text: TextSource, file: string, position: Position, model: ProjectModel): Promise<Hover | undefined> {
  const at = (await model.settingScope(file)).inSettingsModule ? cacheAliasAt(python, text(file) ?? '', position) : undefined;
  const project = at && (await model.openProjectOf(file, text));
  if (!at || !project) {
    return undefined;
  }
  const caches = projectCaches(project);
  const cache = caches.find((c) => c.alias === at.alias);
  const lines = [`**cache** ${markdownCode(at.alias)}, where the cache and cached_db engines keep sessions`, ''];
  if (cache) {
    if (cache.djangoDefault) {
      lines.push("The settings set no CACHES, so this is Django's default cache:", '');
    }
    lines.push(`- BACKEND: ${cache.backend === undefined ? 'not set' : markdownCode(cache.backend)}`);
    if (cache.location !== undefined) {
      lines.push(`- LOCATION: ${markdownCode(cache.location)}`);
    }
  } else if (caches.length === 0) {
    lines.push("The settings' CACHES cannot be read statically, so which cache this is cannot be told.");
  } else {
    lines.push(`Not a key of CACHES (${caches.map((c) => markdownCode(c.alias)).join(', ')}): Django's session reads fail with InvalidCacheBackendError.`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: at.range };
}
