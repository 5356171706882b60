import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { once } from 'node:events';
import { openByOtherProcess, openElsewhereCheck, TRUST_UNSEEN_VARIABLE, type ProcReader } from '../../../../engine/src/stores/sqlite/openByOthers';
import { sqliteFromFixture } from './sqliteFixture';

/**
 * A /proc with these processes: pid -> fd -> link target, or an errno code for an unreadable fd
 * directory; `commands` holds command lines (NUL-separated), a missing one being unreadable.
 */
function fakeProc(processes: Record<string, Record<string, string> | string>, commands: Record<string, string> = {}, mountinfo = '22 1 0:21 / /proc rw,nosuid - proc proc rw\n'): ProcReader {
  const fail = (code: string) => Object.assign(new Error(`${code}: fake`), { code });
  return {
    list(dir) {
      if (dir === '/proc') {
        return [...Object.keys(processes), 'self', 'meminfo'];
      }
      const entry = processes[/^\/proc\/(\d+)\/fd$/.exec(dir)?.[1] ?? ''];
      if (entry === undefined) {
        throw fail('ENOENT');
      }
      if (typeof entry === 'string') {
        throw fail(entry);
      }
      return Object.keys(entry);
    },
    link(p) {
      const [, pid, fd] = /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(p)!;
      const entry = processes[pid!];
      const target = typeof entry === 'object' ? entry[fd!] : undefined;
      if (target === undefined) {
        throw fail('ENOENT');
      }
      return target;
    },
    read(p) {
      if (p === '/proc/self/mountinfo') {
        return mountinfo;
      }
      const command = commands[/^\/proc\/(\d+)\/cmdline$/.exec(p)?.[1] ?? ''];
      if (command === undefined) {
        throw fail('EACCES');
      }
      return command;
    },
  };
}

describe('whether another process has a SQLite file open (the sql.js write guard)', () => {
  let file: string;
  before(async () => {
    file = fs.realpathSync(await sqliteFromFixture('sessions.sql'));
  });

  it('is "open" when a visible process holds the file, even if others cannot be read', () => {
    const proc = fakeProc({ '10': 'EACCES', '11': { '0': '/dev/null', '3': file } });
    assert.deepEqual(openByOtherProcess(file, proc, 99), { state: 'open' });
  });

  it('is "not-open" only when every process was read, ignoring our own and those that exited meanwhile', () => {
    const proc = fakeProc({ '10': { '0': '/dev/null' }, '11': 'ENOENT', '99': { '3': file } });
    assert.deepEqual(openByOtherProcess(file, proc, 99), { state: 'not-open' });
  });

  it('is "unknown", with the reason, when the files of a process running Django cannot be read (another user\'s)', () => {
    const commands = [
      '/usr/bin/python3\0manage.py\0runserver\0',
      '/usr/bin/env\0python3.11\0manage.py\0',
      'gunicorn\0shop.wsgi\0',
      'gunicorn: worker [shop.wsgi:application]',
      '[celeryd: celery@web:MainProcess] -active- (worker)',
      '/srv/venv/bin/python\0-m\0uvicorn\0shop.asgi:application\0',
      '/usr/sbin/apache2\0-k\0start\0',
    ];
    for (const command of commands) {
      const result = openByOtherProcess(file, fakeProc({ '10': { '0': '/dev/null' }, '12': 'EACCES' }, { '12': command }), 99);
      assert.equal(result.state, 'unknown', command);
      assert.match(result.state === 'unknown' ? result.reason : '', /process 12 .*EACCES/);
    }
  });

  it('is "unknown" when /proc hides other users\' processes (hidepid)', () => {
    const result = openByOtherProcess(file, fakeProc({ '10': { '0': '/dev/null' } }, {}, '22 1 0:21 / /proc rw,nosuid - proc proc rw,hidepid=invisible\n'), 99);
    assert.equal(result.state, 'unknown');
    assert.match(result.state === 'unknown' ? result.reason : '', /hidepid/);
    assert.equal(openByOtherProcess(file, fakeProc({ '10': { '0': '/dev/null' } }, {}, '22 1 0:21 / /proc rw - proc proc rw,hidepid=0\n'), 99).state, 'not-open');
  });

  it('is "unknown" when neither the files nor the command line of a process can be read', () => {
    const result = openByOtherProcess(file, fakeProc({ '12': 'EACCES' }), 99);
    assert.equal(result.state, 'unknown');
    assert.match(result.state === 'unknown' ? result.reason : '', /command line of process 12/);
  });

  it('ignores unreadable processes that run no Django (init, other users\' daemons, Python ones too, kernel threads)', () => {
    const proc = fakeProc(
      { '1': 'EACCES', '2': 'EACCES', '30': 'EACCES', '31': 'EACCES', '32': 'EACCES' },
      { '1': '/sbin/init\0', '2': '', '30': '/usr/sbin/sshd\0-D\0', '31': '/usr/bin/vim\0python3.md\0', '32': '/usr/bin/python3\0/usr/bin/networkd-dispatcher\0--run-startup-triggers\0' },
    );
    assert.deepEqual(openByOtherProcess(file, proc, 99), { state: 'not-open' });
  });

  it('is "unknown" where there is no /proc', () => {
    const result = openByOtherProcess(file, null);
    assert.equal(result.state, 'unknown');
    assert.match(result.state === 'unknown' ? result.reason : '', /no \/proc/);
  });

  it('lets the user vouch for the processes it cannot see, never for those it can', async () => {
    assert.equal(openElsewhereCheck({ [TRUST_UNSEEN_VARIABLE]: '1' })(file).state, 'not-open');
    const holder = spawn('/usr/bin/python3', ['-c', 'import sys; f = open(sys.argv[1], "r+b"); print("ready", flush=True); sys.stdin.read()', file]);
    try {
      await once(holder.stdout, 'data');
      assert.equal(openElsewhereCheck({ [TRUST_UNSEEN_VARIABLE]: '1' })(file).state, 'open');
    } finally {
      holder.kill();
    }
  });
});
