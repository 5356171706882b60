import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { PasswordCipher } from '../../../server/src/passwordCipher';
import { ProjectModel } from '../../../server/src/projectModel';
import { StoreRegistry } from '../../../server/src/storeRegistry';

/** A Django project whose settings name `engine`, in a fresh temporary folder. */
function project(engine: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-registry-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\n`);
  return root;
}

function registry(root: string, log: string[] = [], cipher?: PasswordCipher): StoreRegistry {
  const settings = { storeUrl: '', settingsModule: '' };
  return new StoreRegistry(new ProjectModel(() => [root], () => settings), () => [root], (m) => log.push(m), cipher);
}

describe('StoreRegistry', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('says, for a signed_cookies project, where its sessions are and how to read one from VS Code', async () => {
    const root = project('signed_cookies');
    roots.push(root);
    const stores = registry(root);
    const [store] = await stores.listStores({ storeUrl: '', settingsModule: '' }, false);
    assert.equal(store?.engine, 'signed_cookies');
    await assert.rejects(stores.listSessions({ storeId: store.id, limit: 10, maskKeys: true }), (err: Error) => {
      assert.match(err.message, /in the visitor's browser/);
      assert.match(err.message, /developer tools/);
      assert.match(err.message, /django-sessions decode-cookie VALUE/);
      assert.doesNotMatch(err.message, /sign-cookie/);
      return true;
    });
  });

  it('uses the passwords it can open and logs, without the password, those it cannot', async () => {
    const root = project('db');
    roots.push(root);
    const sealer = new PasswordSealer();
    const log: string[] = [];
    const stores = registry(root, log, PasswordCipher.fromEnvironment(sealer.serverEnvironment()));
    await stores.setPasswords([sealer.seal('PGPASSWORD', 'postgres://app@db/x', 's3cret')]);
    assert.deepEqual(log, []);
    await stores.setPasswords([new PasswordSealer().seal('PGPASSWORD', 'postgres://app@db/x', 's3cret')]);
    assert.equal(log.length, 1);
    assert.match(log[0]!, /\$PGPASSWORD could not be opened/);
    assert.doesNotMatch(log[0]!, /s3cret/);
  });
});
