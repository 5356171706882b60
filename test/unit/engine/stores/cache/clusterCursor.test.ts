import * as assert from 'node:assert/strict';
import { encodeClusterCursor, nodeTag, resolveClusterCursor } from '../../../../../engine/src/stores/cache/redis/clusterCursor';
import { StoreError } from '../../../../../engine/src/stores/storeError';

const MASTERS = ['127.0.0.1:07000', '127.0.0.1:07001', '127.0.0.1:07002'];
const isBadCursor = (err: unknown) => err instanceof StoreError && err.code === 'bad-cursor';

describe('Redis Cluster cursors', () => {
  it('start at the first master and resume on the master they name', () => {
    assert.deepEqual(resolveClusterCursor(undefined, MASTERS), { index: 0, nodeCursor: '0' });
    assert.deepEqual(resolveClusterCursor(encodeClusterCursor('127.0.0.1:07001', '1234'), MASTERS), { index: 1, nodeCursor: '1234' });
  });

  it('follow their master when another one joins before it in the walking order', () => {
    const cursor = encodeClusterCursor('127.0.0.1:07001', '88');
    assert.deepEqual(resolveClusterCursor(cursor, ['127.0.0.1:06999', ...MASTERS]), { index: 2, nodeCursor: '88' });
  });

  it('are refused once their master is gone (a failover), instead of scanning another node from its cursor', () => {
    const cursor = encodeClusterCursor('127.0.0.1:07001', '88');
    assert.throws(() => resolveClusterCursor(cursor, ['127.0.0.1:07000', '127.0.0.1:07003', '127.0.0.1:07002']), isBadCursor);
  });

  it('refuse cursors of the old "index:cursor" form and anything not made here', () => {
    for (const cursor of ['1:0', '', 'abc', `${nodeTag(MASTERS[0]!)}:x`, `${nodeTag(MASTERS[0]!)}:${'9'.repeat(21)}`]) {
      assert.throws(() => resolveClusterCursor(cursor, MASTERS), isBadCursor, cursor);
    }
  });

  it('tell the masters apart by a short tag that carries no address', () => {
    const tags = MASTERS.map(nodeTag);
    assert.equal(new Set(tags).size, MASTERS.length);
    assert.ok(tags.every((tag) => /^[A-Za-z0-9_-]{8}$/.test(tag) && !tag.includes('7000')));
  });
});
