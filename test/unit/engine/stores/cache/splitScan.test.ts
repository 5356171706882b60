import * as assert from 'node:assert/strict';
import { bucketOrderCursors } from '../../../../../engine/src/stores/cache/redis/splitScan';

describe('which servers have Redis bucket-order SCAN cursors', () => {
  it('takes a Redis server process, and no server that names a version of its own or hides its executable', () => {
    const redis = '# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\ngcc_version:12.2.0\r\nexecutable:/usr/bin/redis-server\r\n';
    assert.equal(bucketOrderCursors(redis), true);
    assert.equal(bucketOrderCursors(redis.replace('executable:/usr/bin/redis-server', 'executable:')), false, 'a proxy in front of shards');
    assert.equal(bucketOrderCursors(redis.replace('redis_mode:standalone', 'redis_mode:cluster')), false);
    assert.equal(bucketOrderCursors('# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.1.0\r\n'), false);
    assert.equal(bucketOrderCursors('# Server\r\nredis_version:7.4.0\r\ndragonfly_version:df-v1.25.0\r\n'), false);
    assert.equal(bucketOrderCursors('# Server\r\nredis_version:4.0.0\r\nkvrocks_version:2.10.0\r\n'), false);
    assert.equal(bucketOrderCursors(''), false, 'INFO refused or empty');
  });

});
