import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { openStore, parseStoreUrl, StoreError } from '../../engine/src';
import { POSTGRES, requireService } from './localServices';

const REPO = path.resolve(__dirname, '../..');

describe('a table name PostgreSQL cannot resolve (table=a.b.c)', function () {
  this.timeout(60_000);
  before(async function () {
    await requireService(this, POSTGRES);
  });

  it('is a one-line usage error, and the CLI exits instead of waiting on the open connection', async () => {
    const url = 'postgres://root@127.0.0.1:5432/postgres?table=a.b.c';
    await assert.rejects(openStore(parseStoreUrl(url, '/', { secretKeys: ['k'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 })), (e: unknown) => {
      return e instanceof StoreError && e.code === 'bad-url' && /cannot look up the table a\.b\.c: cross-database references/.test(e.message);
    });
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'cli/src/main.ts'), '--store', url, 'count'], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });
});
