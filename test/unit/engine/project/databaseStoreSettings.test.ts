import * as assert from 'node:assert/strict';
import type { Binding } from '../../../../engine/src/project/evaluationContext';
import type { SettingValue } from '../../../../engine/src/project/settingValue';
import { storeDescriptorsFor } from '../../../../engine/src/project/storeDescriptors';

const FILE = '/project/settings.py';
const str = (value: string): SettingValue => ({ kind: 'str', value });
const dict = (entries: Record<string, SettingValue>): SettingValue => ({ kind: 'dict', entries: new Map(Object.entries(entries)) });
const at = (line: number) => ({ file: FILE, line, column: 0 });

/** The db store of settings with a PostgreSQL DATABASES['default'] (plus `extra`) and any other settings. */
function dbStore(extra: Record<string, SettingValue>, settings: Record<string, SettingValue> = {}) {
  const values = new Map<string, Binding>([
    ['SESSION_ENGINE', { value: str('django.contrib.sessions.backends.db'), location: at(2) }],
    ['DATABASES', { value: dict({ default: dict({ ENGINE: str('django.db.backends.postgresql'), NAME: str('shop'), ...extra }) }), location: at(10) }],
    ...Object.entries(settings).map(([name, value]): [string, Binding] => [name, { value, location: at(20) }]),
  ]);
  const { stores, problems } = storeDescriptorsFor(values, FILE, '/project', undefined);
  return { descriptor: stores[0]!, problems: problems.map((p) => p.message) };
}

describe('DATABASES OPTIONS options and DATABASE_ROUTERS from the settings', () => {
  it("passes psycopg's OPTIONS['options'] on, and opens no database when it cannot be read", () => {
    const { descriptor } = dbStore({ OPTIONS: dict({ options: str('-c search_path=appx') }) });
    assert.equal(descriptor.database?.vendor === 'postgresql' && descriptor.database.options, '-c search_path=appx');
    const unread = dbStore({ OPTIONS: dict({ options: { kind: 'unknown', reason: 'needs environment variable PG_OPTIONS' } }) });
    assert.equal(unread.descriptor.database, undefined);
    assert.match(unread.problems.join('\n'), /\['options'\] cannot be read statically \(needs environment variable PG_OPTIONS\).*search_path/);
  });

  it('marks the store when DATABASE_ROUTERS is set or unreadable, not when it is empty', () => {
    assert.equal(dbStore({}, { DATABASE_ROUTERS: { kind: 'list', items: [] } }).descriptor.routersCaveat, undefined);
    assert.equal(dbStore({}).descriptor.routersCaveat, undefined);
    for (const routers of [{ kind: 'list', items: [str('app.routers.Router')] }, { kind: 'unknown', reason: 'not readable' }] as SettingValue[]) {
      const { descriptor, problems } = dbStore({}, { DATABASE_ROUTERS: routers });
      assert.match(descriptor.routersCaveat ?? '', /^DATABASE_ROUTERS may route sessions to another database; the store shown is 'default'/);
      assert.deepEqual(problems, [descriptor.routersCaveat]);
    }
  });
});
