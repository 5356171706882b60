import * as assert from 'node:assert/strict';
import { PyDict } from '../../engine/src/codec';
import type { CachedDbSessionStore } from '../../engine/src/stores/cachedDb/cachedDbSessionStore';
import type { SessionStore } from '../../engine/src/stores/sessionStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cachedDbRedis, type CachedDbRedis } from './cachedDbRedis';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { POSTGRES, REDIS, requireService, runTag } from './localServices';
import { requireDjango } from './realDjango';

const DB_INDEX = 8;

/**
 * The table of a cached_db store whose writes are applied and then lose their reply, as when
 * PostgreSQL commits and the connection drops before the answer comes; a logout everywhere loses
 * it after its first deletion is reported, or with `unreported`, the reply of that deletion
 * itself. `losing` turns that on.
 */
function replyLosingTable(table: SessionStore): { table: SessionStore; losing: { on: boolean; unreported?: boolean } } {
  const losing: { on: boolean; unreported?: boolean } = { on: false };
  const connectionLost = () => new StoreError('connection', 'The connection to PostgreSQL was lost (Connection terminated unexpectedly); the next action connects again. Refresh to see what the store holds now.');
  const lost = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    if (losing.on) {
      throw connectionLost();
    }
    return result;
  };
  const writes: Partial<SessionStore> = {
    update: (...args) => lost(table.update(...args)),
    delete: (key) => lost(table.delete(key)),
    deleteByUser: (userId, options) =>
      table.deleteByUser(userId, {
        ...options,
        onDeleted: async (key) => {
          if (!(losing.on && losing.unreported)) {
            await options?.onDeleted?.(key);
          }
          if (losing.on) {
            throw connectionLost();
          }
        },
      }),
  };
  const wrapped = new Proxy(table, {
    get(target, prop) {
      const value: unknown = (prop in writes ? writes : target)[prop as keyof SessionStore];
      return typeof value === 'function' && !(prop in writes) ? value.bind(target) : value;
    },
  });
  return { table: wrapped, losing };
}

describe('cached_db when the connection to the table is lost during our write, against real Django 3.2', function () {
  let name: string;
  let stores: CachedDbRedis;
  let store: CachedDbSessionStore;
  let losing: { on: boolean; unreported?: boolean };

  const django = <T = Record<string, unknown>>(ops: object[]): T[] => stores.django<T>(ops);

  /** Django's session `key` after a request that read its row before our write refilled the cache once that write had lost its connection. */
  async function servedAfterLostReply(key: string, write: () => Promise<unknown>): Promise<{ exists: boolean; data: Tagged }> {
    django([{ op: 'cache_delete', key }]);
    const load = stores.slowLoad(key, 1);
    await load.rowRead;
    losing.on = true;
    try {
      await assert.rejects(write(), (err: unknown) => err instanceof StoreError && err.code === 'connection' && /connection to PostgreSQL was lost/.test(err.message));
    } finally {
      losing.on = false;
    }
    await load.done;
    const [cached] = django<{ value: Tagged | null }>([{ op: 'cache_get', key }]);
    assert.notEqual(cached?.value, null, 'Django refilled the cache from the row it read before our write');
    await store.settled();
    const [served] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
    return served!;
  }

  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
    await requireService(this, POSTGRES);
    name = `djs_lost_reply_${runTag().slice(3)}`;
    stores = cachedDbRedis(name, DB_INDEX);
    await stores.create();
    store = await stores.open((table) => {
      const losingTable = replyLosingTable(table);
      losing = losingTable.losing;
      return losingTable.table;
    });
  });

  after(async () => {
    await store?.close();
    if (name) {
      await stores.remove();
    }
  });

  it("undoes the stale refill after an edit whose reply was lost, so Django serves the row it wrote", async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.update(made!.key as string, (d) => d.set('v', 2n)));
    assert.deepEqual(normalizeTagged(served.data), normalizeTagged(tag(new PyDict([['v', 2n]]))));
  });

  it('undoes the stale refill after a flush whose reply was lost, so Django no longer serves the session', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '9']])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.delete(made!.key as string));
    assert.equal(served.exists, false);
  });

  it('undoes the stale refill after a logout everywhere that lost its connection part way, so Django no longer serves the session deleted', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '11']])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.deleteByUser('11'));
    assert.equal(served.exists, false);
  });

  it('undoes the stale refill after a logout everywhere whose deletion of the rows lost its reply, so Django no longer serves the session deleted', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '12']])) }]);
    losing.unreported = true;
    try {
      const served = await servedAfterLostReply(made!.key as string, () => store.deleteByUser('12'));
      assert.equal(served.exists, false);
    } finally {
      losing.unreported = false;
    }
  });
});
