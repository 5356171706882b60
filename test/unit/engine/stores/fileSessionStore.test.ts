import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSessionData, encodeSessionData, isExpired, openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../../../engine/src';
import { skipOrFail } from '../../../interop/localServices';

const K = 'k'.repeat(50);
const AGE = 1209600;

describe('FileSessionStore', () => {
  let dir: string;
  let store: SessionStore;
  const live = 'live0000000000000000000000000001';
  const old = 'old00000000000000000000000000002';

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-files-'));
    const encoded = encodeSessionData(new PyDict([['_auth_user_id', '7']]), { secretKeys: [K] });
    fs.writeFileSync(path.join(dir, `sessionid${live}`), encoded);
    fs.writeFileSync(path.join(dir, `sessionid${old}`), encoded);
    const past = Date.now() / 1000 - AGE - 60;
    fs.utimesSync(path.join(dir, `sessionid${old}`), past, past);
    // Left by a Django that died before renaming it: too old to be a save under way.
    fs.writeFileSync(path.join(dir, `sessionid${live}_out_abc`), 'temp file of a Django write');
    fs.utimesSync(path.join(dir, `sessionid${live}_out_abc`), past, past);
    fs.writeFileSync(path.join(dir, 'sessionidBAD..KEY'), 'junk');
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'junk');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'sessionidsymlinked00000000000000000'));
    store = await openStore(parseStoreUrl(`file://${dir}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: AGE }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('does not bring back, under a new key, a session Django deleted while its key was being cycled (a logout, clearsessions)', async () => {
    // Django's flush lands between the cycle's copy under the new key and its deletion of the old one.
    const cycling = store as unknown as { insertRaw: (key: string, ...rest: unknown[]) => Promise<void> };
    const insert = cycling.insertRaw.bind(store);
    cycling.insertRaw = async (key, ...rest) => {
      await insert(key, ...rest);
      fs.unlinkSync(path.join(dir, `sessionid${live}`));
    };
    await assert.rejects(store.cycleKey(live), (e: unknown) => e instanceof StoreError && e.code === 'conflict');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => /^sessionid[a-z0-9]{32}$/.test(f)), [`sessionid${old}`], 'the deleted session stays deleted, under any key');
  });

  it('lists only session files, skipping temp files, junk and symlinks, with expiry from the mtime', async () => {
    const page = await store.list({ limit: 10 });
    assert.deepEqual(page.sessions.map((s) => s.key).sort(), [live, old]);
    assert.equal(await store.count(), 2);
    assert.equal(await store.count({ state: 'expired' }), 1);
  });

  it('lists the session saved last first, as a database lists the newest expiry first, page by page in either order', async () => {
    const keys = ['zzzz0000000000000000000000000003', 'aaaa0000000000000000000000000004', 'mmmm0000000000000000000000000005'];
    const base = Date.now() / 1000 - 600;
    keys.forEach((key, i) => {
      fs.writeFileSync(path.join(dir, `sessionid${key}`), fs.readFileSync(path.join(dir, `sessionid${live}`)));
      fs.utimesSync(path.join(dir, `sessionid${key}`), base + i, base + i);
    });
    // live was written just now, old over two weeks ago; the three in between, in the order written.
    const newestFirst = [live, keys[2], keys[1], keys[0], old];
    const walk = async (order: 'asc' | 'desc') => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 2, cursor, order });
        seen.push(...page.sessions.map((s) => s.key));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    assert.deepEqual(await walk('desc'), newestFirst);
    assert.deepEqual(await walk('asc'), [...newestFirst].reverse());
    // Django saves keys[0] again (a new file renamed over it): it moves to the top.
    const saved = path.join(dir, `sessionid${keys[0]}`);
    fs.copyFileSync(saved, `${saved}_out_tmp`);
    fs.utimesSync(`${saved}_out_tmp`, Date.now() / 1000 + 5, Date.now() / 1000 + 5);
    fs.renameSync(`${saved}_out_tmp`, saved);
    assert.deepEqual((await store.list({ limit: 2 })).sessions.map((s) => s.key), [keys[0], live]);
    // A cursor of the listing by key, from before: refused, not an empty page.
    await assert.rejects(store.list({ limit: 2, cursor: Buffer.from(JSON.stringify(['', 'live00000000'])).toString('base64url') }), /not from a listing of this file store/);
  });

  it('says a session file that is a symbolic link is skipped on purpose, where Django reads through it, instead of that there is no such session', async () => {
    await assert.rejects(
      store.get('symlinked00000000000000000'),
      (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /^Session syml\S+'s file in \S+ is a symbolic link, which is never followed here .*Replace the link with the file it points to/.test(e.message),
    );
    assert.equal(await store.get('missing00000000000000000000'), undefined);
  });

  it('counts with a decoding filter as list lists, with progress', async () => {
    const progress: number[] = [];
    assert.equal(await store.count({ userId: '7' }, { onProgress: (n) => progress.push(n) }), 2);
    assert.deepEqual(progress, [2]);
    assert.equal(await store.count({ userId: '7', state: 'active' }), 1);
    assert.equal(await store.count({ userId: '8' }), 0);
    assert.equal((await store.list({ limit: 10, filter: { userId: '7', state: 'active' } })).sessions.length, 1);
  });

  it('refuses a cookie name that could reach outside the directory, in the URL and again when opening', async () => {
    const defaults = { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: AGE };
    for (const name of ['../victim', 'a/b', 'a\\b', '..', 'a\u0000b', 'has space']) {
      assert.throws(() => parseStoreUrl(`file://${dir}?cookie_name=${encodeURIComponent(name)}`, '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url', name);
    }
    assert.equal(parseStoreUrl(`file://${dir}?cookie_name=my_session-id.v2`, '/', defaults).cookieName, 'my_session-id.v2');
    const forged = { ...parseStoreUrl(`file://${dir}`, '/', defaults), cookieName: '../victim' };
    await assert.rejects(openStore(forged), (e: unknown) => e instanceof StoreError && e.code === 'bad-url');
  });

  it('reports a missing directory as a store error, not a missing session', async () => {
    const missing = parseStoreUrl(`file://${dir}/nope`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: AGE });
    await assert.rejects(openStore(missing, { urlHint: '--store URL' }), (e: unknown) => e instanceof StoreError && e.code === 'connection' && /--store URL/.test(e.message));
  });

  it("never names a session's file in an error, since its name holds the key", async () => {
    const key = 'k'.repeat(300);
    const leaksNoKey = (e: unknown) => e instanceof StoreError && e.code === 'connection' && /ENAMETOOLONG \((lstat|open|unlink) of a session file\)/.test(e.message) && !e.message.includes('kkkkkkkk');
    await assert.rejects(store.get(key), leaksNoKey);
    await assert.rejects(store.save(key, new PyDict([['a', 1n]]), { create: true }), leaksNoKey);
    await assert.rejects(store.delete(key), leaksNoKey);
  });

  it('refuses keys outside [a-z0-9] before building a path', async () => {
    await assert.rejects(store.delete('../../etc/passwd'), (e: unknown) => e instanceof StoreError && e.code === 'invalid-key');
    assert.equal(await store.get('../sessionid'), undefined);
  });

  it('writes through a temp file and rename with mode 0600, and clears expired files as Django does', async () => {
    const updated = await store.update(live, (d) => void d.set('x', 1n));
    const file = path.join(dir, `sessionid${live}`);
    assert.equal(fs.readFileSync(file, 'latin1'), updated.raw);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(decodeSessionData(updated.raw, { secretKeys: [K] }).data.get('x'), 1n);
    assert.equal(await store.clearExpired(), 1);
    assert.ok(fs.existsSync(path.join(dir, `sessionid${live}_out_abc`)));
    assert.equal(await store.deleteByUser('7'), 1);
    assert.equal(await store.count(), 0);
  });

  it('leaves no empty session file behind when a new key cannot be written (a full disk), which Django would load as {} forever', function () {
    // A file size limit of 0 makes every write fail, as a full disk does, while files can still be created.
    const child = `const { openStore, parseStoreUrl } = require(${JSON.stringify(path.resolve(__dirname, '../../../../engine/src'))});
      openStore(parseStoreUrl('file://${dir}', '/', { secretKeys: ['${K}'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: ${AGE} }))
        .then((store) => store.cycleKey('${live}'))
        .then(() => console.log('written'), (err) => console.log(err.code));`;
    const before = fs.readdirSync(dir).sort();
    const r = spawnSync('bash', ['-c', 'ulimit -f 0 && exec "$0" "$@"', process.execPath, '--import', 'tsx', '-e', child], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'connection', r.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), before);
  });

  it('logs a user out again where a request in flight saved the session back after the delete, as the file engine does', async () => {
    const file = path.join(dir, `sessionid${live}`);
    const saved = fs.readFileSync(file);
    // A Django request that loaded the session before the delete renames its copy back half a second later.
    let wroteBack = false;
    const watcher = setInterval(() => {
      if (!wroteBack && !fs.existsSync(file)) {
        wroteBack = true;
        setTimeout(() => fs.writeFileSync(file, saved), 500);
      }
    }, 5);
    try {
      assert.equal(await store.deleteByUser('7'), 2);
      // However soon the logout returns, the request's write-back has landed by now.
      await new Promise((resolve) => setTimeout(resolve, 700));
    } finally {
      clearInterval(watcher);
    }
    assert.ok(wroteBack, 'the request wrote the session back');
    assert.equal(fs.existsSync(file), false, 'and the logout deleted it again');
  });

  it("keeps a session file's owner and group, so a Django running as another user still reads it", async function () {
    if (process.getuid?.() !== 0) {
      skipOrFail(this, 'only root can give a session file to another user: run the unit tests as root to check that its owner is kept');
    }
    const file = path.join(dir, `sessionid${live}`);
    fs.chownSync(file, 65534, 65534);
    await store.update(live, (d) => void d.set('x', 1n));
    const after = fs.statSync(file);
    assert.deepEqual([after.uid, after.gid, after.mode & 0o777], [65534, 65534, 0o600]);
  });

  it('refuses a change, and keeps Django\'s write, when Django saves the session while the copy is written, or right after the rename', async () => {
    const file = path.join(dir, `sessionid${live}`);
    const djangoWrites = encodeSessionData(new PyDict([['_auth_user_id', '7'], ['cart', 'django']]), { secretKeys: [K] });
    const liveFs = createRequire(__filename)('node:fs') as { openSync: typeof fs.openSync; renameSync: typeof fs.renameSync };
    const { openSync, renameSync } = liveFs;
    // Django's rename lands just before the compare that guards ours opens the file.
    let first = true;
    liveFs.openSync = ((...args: Parameters<typeof fs.openSync>) => {
      if (first && args[0] === file) {
        first = false;
        fs.writeFileSync(file, djangoWrites);
      }
      return openSync(...args);
    }) as typeof fs.openSync;
    try {
      await assert.rejects(store.update(live, (d) => void d.set('x', 1n)), (e: unknown) => e instanceof StoreError && e.code === 'conflict');
    } finally {
      liveFs.openSync = openSync;
    }
    assert.equal(fs.readFileSync(file, 'latin1'), djangoWrites);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith(`sessionid${live}_out_`) && name !== `sessionid${live}_out_abc`), []);
    // Django's rename lands right after ours: its save stands, and the change is reported as not made.
    liveFs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
      renameSync(from, to);
      fs.writeFileSync(file, djangoWrites);
    }) as typeof fs.renameSync;
    try {
      await assert.rejects(store.update(live, (d) => void d.set('x', 2n)), (e: unknown) => e instanceof StoreError && e.code === 'conflict');
    } finally {
      liveFs.renameSync = renameSync;
    }
  });

  it("refuses a change while Django's save of the session is under way (its temp file there), which would land on the change", async () => {
    const temp = path.join(dir, `sessionid${live}_out_k3x_9q2a`);
    fs.writeFileSync(temp, 'Django writing');
    const before = fs.readFileSync(path.join(dir, `sessionid${live}`), 'latin1');
    await assert.rejects(store.update(live, (d) => void d.set('x', 1n)), (e: unknown) => e instanceof StoreError && e.code === 'conflict' && /Django is saving session live/.test(e.message));
    assert.equal(fs.readFileSync(path.join(dir, `sessionid${live}`), 'latin1'), before);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith(`sessionid${live}_out_`)).sort(), [`sessionid${live}_out_abc`, `sessionid${live}_out_k3x_9q2a`]);
    fs.rmSync(temp);
    await store.update(live, (d) => void d.set('x', 1n));
  });

  it('deleteByUser calls onFinished for a cancellation after the last file was checked, never for one before it started', async () => {
    const early = new AbortController();
    early.abort();
    let earlyFinished = false;
    assert.equal(await store.deleteByUser('7', { signal: early.signal, onFinished: () => (earlyFinished = true) }), 0);
    assert.equal(earlyFinished, false);

    const late = new AbortController();
    let lateFinished = false;
    assert.equal(await store.deleteByUser('7', { signal: late.signal, onProgress: () => late.abort(), onFinished: () => (lateFinished = true) }), 2);
    assert.equal(late.signal.aborted, true);
    assert.equal(lateFinished, true);
  });

  it('clearExpired calls onFinished for a cancellation after the last file was checked, never for one before it started', async () => {
    const early = new AbortController();
    early.abort();
    let earlyFinished = false;
    assert.equal(await store.clearExpired({ signal: early.signal, onFinished: () => (earlyFinished = true) }), 0);
    assert.equal(earlyFinished, false);

    const late = new AbortController();
    let lateFinished = false;
    assert.equal(await store.clearExpired({ signal: late.signal, onProgress: () => late.abort(), onFinished: () => (lateFinished = true) }), 1);
    assert.equal(late.signal.aborted, true);
    assert.equal(lateFinished, true);
  });

  it('expires now by backdating the file, dropping an int _session_expiry Django would never expire', async () => {
    await store.setExpiry(live, { kind: 'seconds', seconds: 300 });
    await store.setExpiry(live, { kind: 'now' });
    assert.equal(await store.count({ state: 'expired' }), 2);
  });

  it('keeps, as Django does, a session whose int _session_expiry has passed since its file was written, and says so on the record', async () => {
    await store.setExpiry(live, { kind: 'seconds', seconds: 60 });
    const dayAgo = Date.now() / 1000 - 86_400;
    fs.utimesSync(path.join(dir, `sessionid${live}`), dayAgo, dayAgo);
    const record = await store.get(live);
    assert.ok(record?.expireDate && record.expireDate.getTime() < Date.now(), "its cookie's expiry, a minute after the write, has passed");
    assert.equal(isExpired(record), false, 'yet the file engine never expires it');
    assert.deepEqual((await store.list({ limit: 10, filter: { state: 'active' } })).sessions.map((s) => s.key), [live]);
    assert.equal(await store.clearExpired(), 1, 'only the other, old session goes');
    assert.ok(fs.existsSync(path.join(dir, `sessionid${live}`)));
    // Django still loads it, so it can still be changed, though its cookie's expiry has passed.
    const edited = await store.update(live, (data) => void data.set('kept', 1n));
    assert.equal(edited.decoded.ok && edited.decoded.session.data.get('kept'), 1n);
  });

  it("keeps, as Django does, a session whose _session_expiry is True (1 second, by which the file engine never expires) or text that is no date (which fails Django's load, and so its clearsessions)", async () => {
    const past = Date.now() / 1000 - AGE - 60;
    const odd = [
      ['trueexpiry000000000000000000001', true],
      ['textexpiry000000000000000000001', 'next week'],
    ] as const;
    for (const [key, value] of odd) {
      const file = path.join(dir, `sessionid${key}`);
      fs.writeFileSync(file, encodeSessionData(new PyDict([['_session_expiry', value]]), { secretKeys: [K] }));
      fs.utimesSync(file, past, past);
      assert.equal(isExpired((await store.get(key))!), false, key);
    }
    assert.equal((await store.get('textexpiry000000000000000000001'))?.expireDate, undefined, 'no expiry Django could reach');
    assert.equal(await store.clearExpired(), 1, 'only the old session goes');
    assert.ok(odd.every(([key]) => fs.existsSync(path.join(dir, `sessionid${key}`))));
  });

  it("reads an empty file as an empty session that never expires by its content, as Django's load() does", async () => {
    const empty = 'empty000000000000000000000000003';
    const file = path.join(dir, `sessionid${empty}`);
    fs.writeFileSync(file, '');
    const past = Date.now() / 1000 - AGE - 60;
    fs.utimesSync(file, past, past);
    const record = await store.get(empty);
    assert.ok(record?.decoded.ok && record.decoded.session.data.size === 0);
    assert.equal(record.expireDate, undefined);
    assert.equal(await store.count({ state: 'active' }), 2);
    assert.equal(await store.clearExpired(), 1);
    assert.ok(fs.existsSync(file), 'clearsessions keeps it, and so do we');
    const edited = await store.update(empty, (d) => void d.set('cart', 'x'));
    assert.equal(decodeSessionData(fs.readFileSync(file, 'latin1'), { secretKeys: [K] }).data.get('cart'), 'x');
    assert.equal(edited.decoded.ok && edited.decoded.session.signature, 'valid');
  });
});
