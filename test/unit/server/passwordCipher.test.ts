import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { PasswordCipher } from '../../../server/src/passwordCipher';
import { ProjectModel } from '../../../server/src/projectModel';
import { PASSWORD_KEY_VARIABLE, type StorePasswordsParams } from '../../../server/src/protocol';

const LOCATION = 'postgres://app@db.example.com:5432/shop';
const SECRET = 'correct horse battery staple';

describe('store passwords across the protocol', () => {
  it('opens on the server what the client sealed, with the key from the spawn environment', () => {
    const sealer = new PasswordSealer();
    const cipher = PasswordCipher.fromEnvironment(sealer.serverEnvironment());
    assert.deepEqual(cipher.open(sealer.seal('PGPASSWORD', LOCATION, SECRET)), { variable: 'PGPASSWORD', location: LOCATION, value: SECRET });
    assert.equal(cipher.open(sealer.seal('PGPASSWORD', LOCATION, ''))?.value, '');
    assert.equal(cipher.open(sealer.seal('PGPASSWORD', LOCATION, 'pässwörd ✓'))?.value, 'pässwörd ✓');
  });

  it('never puts the password, or the key, in the notification a trace would log', () => {
    const sealer = new PasswordSealer();
    const params: StorePasswordsParams = { passwords: [sealer.seal('PGPASSWORD', LOCATION, SECRET)] };
    const traced = JSON.stringify(params);
    assert.ok(!traced.includes(SECRET));
    assert.ok(!traced.includes(Buffer.from(SECRET).toString('base64')));
    assert.ok(!traced.includes(sealer.serverEnvironment()[PASSWORD_KEY_VARIABLE]!));
    assert.notEqual(sealer.seal('PGPASSWORD', LOCATION, SECRET).sealed, params.passwords[0]!.sealed, 'a fresh IV each time');
  });

  it('opens nothing under another key, for another store or once tampered with', () => {
    const sealer = new PasswordSealer();
    const sealed = sealer.seal('PGPASSWORD', LOCATION, SECRET);
    const cipher = PasswordCipher.fromEnvironment(sealer.serverEnvironment());
    assert.equal(PasswordCipher.fromEnvironment(new PasswordSealer().serverEnvironment()).open(sealed), undefined);
    assert.equal(cipher.open({ ...sealed, location: 'postgres://app@evil.example.com:5432/shop' }), undefined);
    assert.equal(cipher.open({ ...sealed, variable: 'REDISCLI_AUTH' }), undefined);
    const bytes = Buffer.from(sealed.sealed, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    assert.equal(cipher.open({ ...sealed, sealed: bytes.toString('base64url') }), undefined);
    assert.equal(cipher.open({ ...sealed, sealed: 'short' }), undefined);
  });

  it('opens nothing in a server the extension did not start (no key in its environment)', () => {
    const sealed = new PasswordSealer().seal('PGPASSWORD', LOCATION, SECRET);
    assert.equal(PasswordCipher.fromEnvironment({}).open(sealed), undefined);
    assert.equal(PasswordCipher.fromEnvironment({ [PASSWORD_KEY_VARIABLE]: 'dG9vIHNob3J0' }).open(sealed), undefined);
  });

  it('takes the key out of the environment at start, so settings evaluation never sees it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-key-'));
    const saved = process.env[PASSWORD_KEY_VARIABLE];
    try {
      fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n');
      fs.writeFileSync(path.join(root, 'settings.py'), 'import os\nSECRET_KEY = "k"\nSESSION_COOKIE_NAME = os.environ.get("DJANGO_SESSIONS_PASSWORD_KEY", "absent")\n');
      const sealer = new PasswordSealer();
      Object.assign(process.env, sealer.serverEnvironment());
      const cipher = PasswordCipher.fromEnvironment();
      assert.equal(process.env[PASSWORD_KEY_VARIABLE], undefined);
      assert.equal(cipher.open(sealer.seal('PGPASSWORD', LOCATION, SECRET))?.value, SECRET);
      // Even put back (by anything), discovery reads the settings without it.
      Object.assign(process.env, sealer.serverEnvironment());
      const [project] = await new ProjectModel(() => [root], () => ({ storeUrl: '', settingsModules: {} })).projects();
      assert.deepEqual(project!.settings.find((s) => s.name === 'SESSION_COOKIE_NAME')?.value, { kind: 'str', value: 'absent', defaultFor: 'DJANGO_SESSIONS_PASSWORD_KEY' });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      if (saved === undefined) {
        delete process.env[PASSWORD_KEY_VARIABLE];
      } else {
        process.env[PASSWORD_KEY_VARIABLE] = saved;
      }
    }
  });
});
