import * as assert from 'node:assert/strict';
import { lintSettings } from '../../../../engine/src/analysis/lint/settingsRules';
import { projectWithSettings } from '../project/settingsProject';

const PICKLE = 'SECRET_KEY = "k"\nSESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"\n';

async function ds206(settings: string, requirements?: string): Promise<string> {
  const project = await projectWithSettings(`${PICKLE}${settings}`, requirements ? { 'requirements.txt': requirements } : {});
  const found = lintSettings(project).find((d) => d.code === 'DS206');
  return found!.message.slice(found!.message.indexOf('use JSONSerializer'));
}

describe('DS206: what switching to JSONSerializer does to the sessions stored as pickles', () => {
  it('says they read as empty on Django 4.0+ and before 3.1, and with signed_cookies on any', async () => {
    const empty = 'use JSONSerializer (Django then reads the sessions stored as pickles as empty, so their users sign in again).';
    assert.equal(await ds206('', 'Django==4.2.1\n'), empty);
    assert.equal(await ds206('', 'Django==2.2.28\n'), empty);
    assert.equal(await ds206('SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n', 'Django==3.2.25\n'), empty);
  });

  it('warns of binascii.Error on Django 3.1 and 3.2, and where the version is unknown', async () => {
    assert.equal(await ds206('', 'Django==3.1.14\n'), 'use JSONSerializer (Django 3.1.14 raises binascii.Error for many sessions stored as pickles, a server error for their users: delete the stored sessions when you switch).');
    assert.equal(
      await ds206(''),
      'use JSONSerializer (Django then reads the sessions stored as pickles as empty, so their users sign in again, but Django 3.1 and 3.2 raise binascii.Error for many sessions stored as pickles, a server error for their users: delete the stored sessions when you switch).',
    );
  });

  it('says nothing of them with the cache engine, which stores the dict itself', async () => {
    assert.equal(await ds206('SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'), 'use JSONSerializer.');
  });
});
