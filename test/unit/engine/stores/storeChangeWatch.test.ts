import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseStoreUrl, StoreChangeWatch, type StoreDescriptor } from '../../../../engine/src';

const DELAY_MS = 50;
const DEFAULTS = { secretKeys: ['k'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };
/** Long enough for inotify and the gathering delay many times over, on a loaded machine. */
const QUIET_MS = 600;

/** A watch on `descriptor` that counts its reports. */
function counted(descriptor: StoreDescriptor): { watch: StoreChangeWatch; reports: () => number; next: () => Promise<void> } {
  let reports = 0;
  let waiting: (() => void) | undefined;
  const watch = StoreChangeWatch.start(
    descriptor,
    () => {
      reports++;
      waiting?.();
    },
    DELAY_MS,
  );
  assert.ok(watch, 'a store kept in local files is watched');
  return {
    watch,
    reports: () => reports,
    next: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no change was reported within 10 s')), 10_000);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
}

describe('StoreChangeWatch', () => {
  let dir: string;
  let watches: StoreChangeWatch[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-watch-'));
    watches = [];
  });
  afterEach(() => {
    watches.forEach((w) => w.close());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function sqlite(): ReturnType<typeof counted> {
    fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'v1');
    const watched = counted(parseStoreUrl(`sqlite://${path.join(dir, 'db.sqlite3')}`, dir, DEFAULTS));
    watches.push(watched.watch);
    return watched;
  }

  it('reports a write to an SQLite database, and to its WAL, once per gathering', async () => {
    const { reports, next } = sqlite();
    const reported = next();
    fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'v2');
    fs.appendFileSync(path.join(dir, 'db.sqlite3'), 'more');
    await reported;
    await sleep(QUIET_MS);
    assert.equal(reports(), 1, 'two writes close together are one change');
    const walReported = next();
    fs.writeFileSync(path.join(dir, 'db.sqlite3-wal'), 'frames');
    await walReported;
    assert.equal(reports(), 2);
  });

  it("follows an SQLite database behind a symlink to the real file's directory, where its WAL is written", async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.mkdirSync(path.join(dir, 'link'));
    fs.writeFileSync(path.join(dir, 'data', 'real.sqlite3'), 'v1');
    fs.symlinkSync(path.join(dir, 'data', 'real.sqlite3'), path.join(dir, 'link', 'db.sqlite3'));
    const { watch, next } = counted(parseStoreUrl(`sqlite://${path.join(dir, 'link', 'db.sqlite3')}`, dir, DEFAULTS));
    watches.push(watch);
    const reported = next();
    fs.writeFileSync(path.join(dir, 'data', 'real.sqlite3-wal'), 'frames');
    await reported;
  });

  it('ignores other files in the directory, and events that leave the store as it was', async () => {
    const { reports } = sqlite();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'db.sqlite3-shm'), 'x');
    // A change of mode is an event on the database itself, which leaves its sessions as they were.
    fs.chmodSync(path.join(dir, 'db.sqlite3'), 0o600);
    await sleep(QUIET_MS);
    assert.equal(reports(), 0);
  });

  it("does not report this process's own writes, run through during()", async () => {
    const { watch, reports, next } = sqlite();
    const result = await watch.during(async () => {
      fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'ours');
      await sleep(DELAY_MS * 3);
      return 'written';
    });
    assert.equal(result, 'written');
    await sleep(QUIET_MS);
    assert.equal(reports(), 0);
    // The next change by someone else is reported as usual.
    const reported = next();
    fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'theirs');
    await reported;
    assert.equal(reports(), 1);
  });

  it("watches a file engine's directory for session files, created, replaced or deleted", async () => {
    const sessions = path.join(dir, 'sessions');
    fs.mkdirSync(sessions);
    const watched = counted(parseStoreUrl(`file://${sessions}`, dir, DEFAULTS));
    watches.push(watched.watch);
    let reported = watched.next();
    // As Django saves: a temporary file with the cookie name's prefix, renamed over the session's file.
    fs.writeFileSync(path.join(sessions, 'sessionidabc_out_tmp1'), '{}');
    fs.renameSync(path.join(sessions, 'sessionidabc_out_tmp1'), path.join(sessions, 'sessionidabc'));
    await reported;
    reported = watched.next();
    fs.unlinkSync(path.join(sessions, 'sessionidabc'));
    await reported;
    fs.writeFileSync(path.join(sessions, 'README'), 'not a session');
    await sleep(QUIET_MS);
    assert.equal(watched.reports(), 2);
  });

  it('reports nothing once closed', async () => {
    const { watch, reports } = sqlite();
    watch.close();
    fs.writeFileSync(path.join(dir, 'db.sqlite3'), 'v2');
    await sleep(QUIET_MS);
    assert.equal(reports(), 0);
  });

  it('watches no store kept on a server, nor a directory that does not exist', () => {
    for (const url of ['postgres://localhost/app', 'redis://localhost:6379/0', `file://${path.join(dir, 'missing')}`]) {
      assert.equal(StoreChangeWatch.start(parseStoreUrl(url, dir, DEFAULTS), () => undefined), undefined, url);
    }
  });
});
