import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { runTag } from './localServices';
import { runDjangoScript } from './realDjango';
import { redisDjangoSuite } from './redisDjangoSuite';

const DB_INDEX = 13;

const CASES = [
  { name: "Django 5.2's RedisCache: timezone.localtime() is a zoneinfo.ZoneInfo datetime", django52: true, backend: 'django.core.cache.backends.redis.RedisCache', zone: /tzinfo=zoneinfo\.ZoneInfo\(key='Europe\/Paris'\)/ },
  { name: 'Django 3.2 with django-redis: timezone.localtime() is a pytz datetime', django52: false, backend: 'django_redis.cache.RedisCache', zone: /tzinfo=<DstTzInfo 'Europe\/Paris' CES?T\+[12]:00:00 (DST|STD)>/ },
];

describe('cache sessions holding a datetime in a named time zone (TIME_ZONE = Europe/Paris)', function () {
  let raw: Redis;
  let dir52: string | undefined;

  before(async function () {
    ({ raw, dir52 } = await redisDjangoSuite(this, DB_INDEX));
  });
  after(() => raw?.disconnect());

  for (const c of CASES) {
    it(`${c.name}: shown, counted by user, and edited so that Django reads the same datetime back`, async function () {
      if (c.django52 && !dir52) {
        this.skip();
      }
      const prefix = runTag();
      const cache = { BACKEND: c.backend, LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix };
      const django = <T>(ops: object[]) =>
        runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', use_tz: true, time_zone: 'Europe/Paris', cache }, ops }, c.django52 ? dir52 : undefined);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-named-zones-'));
      fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
      fs.mkdirSync(path.join(dir, 'conf'));
      fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
      fs.writeFileSync(path.join(dir, 'conf', 'settings.py'), `SECRET_KEY = '${TEST_SECRET}'\nUSE_TZ = True\nTIME_ZONE = 'Europe/Paris'\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${JSON.stringify({ default: cache })}\n`);
      try {
        const [created] = django<{ key: string }>([{ op: 'create_localtime', user: '5' }]);
        const key = created!.key;
        const [before] = django<{ repr: string }>([{ op: 'load_repr', key }]);
        assert.match(before!.repr, c.zone);
        const shown = await cli(['--project', dir, 'show', key]);
        assert.equal(shown.code, 0, shown.err);
        assert.match(shown.out, c.zone);
        assert.equal((await cli(['--project', dir, 'count', '--user', '5'])).out.trim(), '1');
        const set = await cli(['--project', dir, 'set', key, 'cart', '"x"']);
        assert.equal(set.code, 0, set.err);
        const [after] = django<{ repr: string }>([{ op: 'load_repr', key }]);
        assert.equal(after!.repr, `${before!.repr.slice(0, -1)}, 'cart': 'x'}`, 'Django reads the same datetime, in the same zone, with the edit');
      } finally {
        const keys = await raw.keys(`${prefix}*`);
        if (keys.length > 0) {
          await raw.del(...keys);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
