import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PyDict } from '../../engine/src/codec';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { runTag, skipOrFail } from './localServices';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { requireDjango, runDjangoScript } from './realDjango';

const PORTS = [7110, 7111, 7112];
const SEED = `127.0.0.1:${PORTS[0]}`;

interface ClusterScript {
  startCluster(ports: number[]): Promise<{ nodes: string[]; started: boolean }>;
  stopCluster(ports: number[]): Promise<boolean>;
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('cache sessions on a local Redis Cluster of three masters', function () {
  let cluster: ClusterScript;
  let store: CacheSessionStore;
  let prefix: string;

  before(async function () {
    requireDjango(this);
    if (!hasRedisServer()) {
      skipOrFail(this, 'redis-server is not installed, so no local Redis Cluster can be started; install Debian\'s redis-server to run the cluster tests');
    }
    cluster = (await import(path.join(__dirname, '../../scripts/redisCluster.mjs'))) as ClusterScript;
    await cluster.startCluster(PORTS);
    prefix = runTag();
    store = await openCacheStore(cacheDescriptor(`redis+cluster://${PORTS.map((p) => `127.0.0.1:${p}`).join(',')}?key_prefix=${prefix}&client=django-redis`));
  });

  after(async () => {
    await store?.close();
    await cluster?.stopCluster(PORTS);
  });

  it('refuses one of its nodes named as a single server, which holds only its own slots, naming the cluster URL', async () => {
    await assert.rejects(openCacheStore(cacheDescriptor(`redis://${SEED}/0?key_prefix=${prefix}&client=django-redis`)), (err: unknown) => {
      assert.ok(err instanceof StoreError && err.code === 'unsupported', String(err));
      assert.match(err.message, /is a node of a Redis Cluster \(cluster_enabled:1\), which holds only the sessions of its own hash slots; name the cluster with a redis\+cluster:\/\/ URL/);
      return true;
    });
  });

  it('lists every session across all masters exactly once, page by page', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(4, '0')}${runTag()}`);
    const ops = keys.map((key, i) => ({ op: 'write', key: `${prefix}:1:django.contrib.sessions.cache${key}`, data: tag(new PyDict([['i', BigInt(i)]])), ttl: 600 }));
    ops.push(...Array.from({ length: 100 }, (_, i) => ({ op: 'write', key: `${prefix}:1:other${i}`, data: tag(new PyDict()), ttl: 600 })));
    runDjangoScript('cache_cluster.py', [SEED], { ops });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 40, cursor });
      for (const s of page.sessions) {
        assert.ok(s.decoded.ok);
        seen.push(s.key);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...keys].sort());
    assert.ok(pages >= 8);
    assert.equal(await store.count(), 300);
  });

  it('reads and writes through the slots, and Python reads what we wrote', async () => {
    const written = Array.from({ length: 20 }, (_, i) => `w${i}${runTag()}abcdefgh`);
    for (const key of written) {
      await store.save(key, new PyDict([['who', key]]), { create: true });
    }
    await store.setExpiry(written[0] as string, { kind: 'seconds', seconds: 200 });
    const read = runDjangoScript<{ data: Tagged; ttl: number }[]>('cache_cluster.py', [SEED], { ops: written.map((key) => ({ op: 'read', key: `${prefix}:1:django.contrib.sessions.cache${key}` })) });
    read.forEach((r, i) => {
      const expected = new PyDict([['who', written[i] as string]]);
      if (i === 0) {
        expected.set('_session_expiry', 200n);
      }
      assert.deepEqual(normalizeTagged(r.data), normalizeTagged(tag(expected)));
    });
    assert.ok((read[0]?.ttl ?? 0) <= 200 && (read[0]?.ttl ?? 0) > 190);
    assert.equal(await store.deleteByUser('nobody'), 0);
    for (const key of written) {
      assert.equal(await store.delete(key), true);
    }
  });
});
