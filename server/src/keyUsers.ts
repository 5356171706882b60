import { describeSessionKey, installedUsesOf, thirdPartyUsesOf, type PrefixKeys } from '../../engine/src';

/** What Django and third-party apps do with a session key, as `keyUsers` tells it. */
export interface KeyUsers {
  /** One sentence per user of the key: Django's own, then each app's. */
  sentences: string[];
  /** Django itself writes the key. */
  django: boolean;
  /** An app that counts (see installedUsesOf) writes it. */
  writtenByApp: boolean;
}

/**
 * What Django or a third-party app uses a key for, with `code` spelling module names (a Markdown
 * code span in a hover, the bare name in a message). `installedApps` is undefined when unknown;
 * `prefixKeys` are the keys an app's prefix stands for where the key is read (see SessionKeyIndex.prefixKeys).
 */
export function keyUsers(key: string, installedApps: readonly string[] | undefined, prefixKeys: PrefixKeys | undefined, code: (text: string) => string): KeyUsers {
  const sentences: string[] = [];
  const known = describeSessionKey(key);
  if (known) {
    sentences.push(`${known.description} Written by ${code(known.writtenBy)}.`);
  }
  // As the lint counts them: with INSTALLED_APPS unknown, a prefix or a common name is no app's.
  const counted = installedUsesOf(key, installedApps, prefixKeys);
  // Any key may start with an app's prefix (formtools' `wizard_`): the app is named only where it counts, installed and not ruled out by the keys its uses in the project spell out.
  const uses = thirdPartyUsesOf(key).filter(({ entry }) => !entry.prefix || counted.some((c) => c.entry === entry));
  for (const { app, entry } of uses) {
    const how = entry.writes && entry.reads ? 'writes and reads' : entry.writes ? 'writes' : 'reads';
    const missing = counted.some((c) => c.app === app && c.entry === entry) ? '' : installedApps === undefined ? ', if in INSTALLED_APPS' : ', not in INSTALLED_APPS';
    sentences.push(`${app.package} (${code(app.modules[0]!)}${missing}) ${how} it: ${entry.description}`);
  }
  return { sentences, django: known !== undefined, writtenByApp: counted.some(({ entry }) => entry.writes) };
}
