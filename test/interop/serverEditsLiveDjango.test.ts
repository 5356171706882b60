import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeSqlite } from '../../engine/src/stores/sqlite/nodeSqliteDriver';
import { ProjectModel } from '../../server/src/projectModel';
import type { SessionEdit } from '../../server/src/protocol';
import { StoreRegistry } from '../../server/src/storeRegistry';
import { tempProject } from '../unit/engine/project/tempProject';
import { startDjangoWriter } from './djangoWriter';
import { passesInNode22 } from './node22Rerun';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'server-edits-live-django-key-0123456789-abcdefghijkl';
const SETTINGS = { storeUrl: '', settingsModules: {} };
const WRITER_SECONDS = 5;
/** What a refused action may say: Django wrote first, or the database was locked; anything else fails the test. */
const REFUSED = new Set(['conflict', 'busy', 'write-refused']);

interface WriterResult {
  created: string[];
  last: Record<string, number>;
  saves: Record<string, number>;
  errors: string[];
}

/**
 * The Sessions view's actions, sent to the server's registry as the client sends them, while a
 * real Django process increments a counter in the same sessions: each action works from what the
 * view showed at the start of its round (a listing Django has moved on from since), so every write
 * of ours that Django's would be lost under must be refused. Afterwards Django's last counter is
 * in every session, counting every save Django made (one replaced would have set it back), and each
 * action either happened or was refused.
 */
describe('server actions racing a live Django on SQLite', function () {
  this.timeout(120_000);

  describe('on node:sqlite', function () {
    if (!nodeSqlite()) {
      passesInNode22(__filename, 'server actions', /1 passing/);
      return;
    }

    it('keeps every counter Django saved while the view edits, removes, sets expiry and saves documents from stale reads', async function () {
      requireDjango(this);
      const root = tempProject(
        {
          'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
          'proj/__init__.py': '',
          'proj/settings.py': `SECRET_KEY = "${SECRET}"\nUSE_TZ = True\nTIME_ZONE = "UTC"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n`,
        },
        'djs-server-race-',
      );
      const file = path.join(root, 'db.sqlite3');
      const config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
      const django = <T extends unknown[]>(ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);
      const registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
      try {
        const [, shared] = django<[null, Array<{ key: string }>]>([{ op: 'migrate' }, { op: 'create', specs: Array.from({ length: 6 }, (_, i) => ({ data: `{"shared":${i},"ours":0}`, expiry: null })) }]);
        const sharedKeys = shared.map((s) => s.key);
        const [store] = await registry.listStores(SETTINGS, true);
        const storeId = store!.id;
        const writer = await startDjangoWriter<WriterResult>('stores_writer.py', [file, SECRET, String(WRITER_SECONDS), JSON.stringify(sharedKeys)]);

        const outcomes = { done: 0, refused: 0 };
        const attempt = async (action: () => Promise<unknown>) => {
          try {
            await action();
            outcomes.done++;
          } catch (err) {
            const code = (err as { code?: string }).code;
            assert.ok(code !== undefined && REFUSED.has(code), `an action failed other than as a refusal: ${(err as Error).message}`);
            outcomes.refused++;
          }
        };
        const started = Date.now();
        for (let round = 0; Date.now() - started < (WRITER_SECONDS - 2) * 1000; round++) {
          const listed = (await registry.listSessions({ storeId, limit: 1000, maskKeys: true })).sessions;
          for (const row of listed) {
            const session = { storeId, ref: row.ref };
            // What the view shows of the session and its document, read once and acted on after Django has saved again.
            const shown = (await registry.getSession({ ...session, maskKeys: true })).session;
            const counter = shown?.data.find((node) => node.key === 'django_counter')?.json;
            const ours = shown?.data.find((node) => node.key === 'ours')?.json;
            if (!shown || counter === undefined || ours === undefined) {
              continue;
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
            const edits: SessionEdit[] = [
              // Writing back the counter as shown loses Django's increments, unless refused.
              { kind: 'setValue', key: 'django_counter', json: counter, expected: counter },
              { kind: 'setValue', key: 'ours', json: String(round), expected: ours },
              { kind: 'deleteValue', key: 'ours', expected: String(round) },
              { kind: 'setValue', key: 'ours', json: String(round) },
              { kind: 'setExpiry', expiry: { kind: 'seconds', seconds: 3600 + round } },
            ];
            for (const edit of edits) {
              await attempt(() => registry.editSession({ ...session, edit }));
            }
            // The document as read, with the counter it showed: saved twice at once and once more after, each must be refused once Django wrote.
            const document = (await registry.sessionDocument({ ...session, maskKeys: true }, SETTINGS)).text;
            if (document === undefined) {
              continue;
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
            const body = document.split('\n').filter((line) => !line.startsWith('//')).join('\n');
            const edited = (n: number) => `${document.split('\n').filter((line) => line.startsWith('//')).join('\n')}\n${body.replace(/"ours": [^,\n]+/, `"ours": ${n}`)}`;
            await Promise.all([attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 1) }, SETTINGS)), attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 2) }, SETTINGS))]);
            await attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 3) }, SETTINGS));
          }
        }
        const result = await writer.finished();
        assert.ok(result.created.length > 0 && Object.keys(result.last).length === sharedKeys.length, 'Django saved every shared session during the test');
        assert.ok(outcomes.done > 0 && outcomes.refused > 0, `actions both went through and were refused (${outcomes.done} done, ${outcomes.refused} refused)`);
        const [loaded] = django<[Array<{ key: string; exists: boolean; json: string }>]>([{ op: 'load', keys: sharedKeys }]);
        for (const session of loaded) {
          assert.ok(session.exists, 'Django still loads the session');
          assert.equal(JSON.parse(session.json).django_counter, result.last[session.key], 'the last counter Django saved is what is stored');
          // A write of ours from a stale read that went through would set the counter back, and Django would count from there.
          assert.equal(result.last[session.key], result.saves[session.key], "Django's counter counts each of its saves: no write of ours replaced one");
        }
      } finally {
        await registry.dispose();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
