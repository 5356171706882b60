import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects, openStore, PyDict } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { writeEmptySessionTable } from '../engine/stores/sqliteFixture';

/**
 * A project whose `site/views.py` is `views`, with an SQLite store holding two sessions a wizard
 * app wrote (`wizard_step`), one with a cart, an expired one (`stale`), and one signed with
 * another SECRET_KEY (`forged`), which Django reads as empty. Returns the project's root.
 */
export async function listedSessionsProject(views: string): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-listed-keys-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), 'SECRET_KEY = "k"\nUSE_TZ = True\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
  fs.writeFileSync(path.join(root, 'site', 'views.py'), views);
  await writeEmptySessionTable(path.join(root, 'db.sqlite3'));
  const [found] = await discoverProjects(root);
  const env = { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' };
  const store = await openStore(found!.stores[0]!, { sqliteDriver: 'sqljs', env });
  await store.save('wizard1aaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['wizard_step', 2n]]), { create: true });
  await store.save('wizard2aaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['wizard_step', 1n], ['cart', 1n]]), { create: true });
  await store.save('expiredaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['stale', 1n]]), { create: true });
  await store.setExpiry('expiredaaaaaaaaaaaaaaaaaaaaaaaaa', { kind: 'now' });
  await store.close();
  const stranger = await openStore({ ...found!.stores[0]!, secretKeys: { values: ['another-key'] } }, { sqliteDriver: 'sqljs', env });
  await stranger.save('otherkeyaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['forged', 1n]]), { create: true });
  await stranger.close();
  return root;
}
