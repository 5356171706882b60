import * as fs from 'node:fs';

/** Whether another process holds a file open; `unknown` says why it cannot be told. */
export type OpenElsewhere = { state: 'open' | 'not-open' } | { state: 'unknown'; reason: string };

/** The little of Linux's /proc the check reads; each call throws (with an errno `code`) when it cannot read. */
export interface ProcReader {
  /** The entries of a /proc directory. */
  list(dir: string): string[];
  /** Where a /proc/<pid>/fd/<n> link points. */
  link(path: string): string;
  /** A small /proc text file, such as /proc/<pid>/cmdline. */
  read(path: string): string;
}

const liveProc: ProcReader = { list: (dir) => fs.readdirSync(dir), link: (p) => fs.readlinkSync(p), read: (p) => fs.readFileSync(p, 'latin1') };

/**
 * What a command line of a process that may hold a Django project's SQLite connection mentions:
 * Django itself, its entry points, and the servers and workers that run it, also as the titles
 * they give themselves (`gunicorn: worker [shop.wsgi]`, `[celeryd: ...]`). Other Python
 * programs of other users (a distribution's root daemons) are not counted, or they would stop
 * every write on a desktop.
 */
const DJANGO_HOSTS = /\b(manage\.py|django\w*|wsgi|asgi|runserver|uwsgi|gunicorn|daphne|uvicorn|hypercorn|celeryd?|granian|waitress-serve|mod_wsgi\S*|apache2|httpd)\b/i;
/** Options of a /proc mount that hide other users' processes from the listing itself. */
const HIDDEN_PROCESSES = /[\s,]hidepid=(?!0\b|off\b)\w+/;

/** A process that exited, or closed the file, while it was being looked at. */
const GONE = new Set(['ENOENT', 'ESRCH']);

/**
 * Whether another process holds the file open, from Linux's /proc. A process with an open SQLite
 * connection keeps writing to the old inode after a snapshot driver renames a new file over it,
 * losing those writes, so anything short of "not open" must stop such a write: a process that
 * runs Django but whose open files cannot be read (another user's), a /proc that hides other
 * users' processes, or a platform without /proc is `unknown`. Processes in another PID
 * namespace (another container) are out of sight altogether. `proc` is null where there is no /proc.
 */
export function openByOtherProcess(file: string, proc: ProcReader | null = process.platform === 'linux' ? liveProc : null, ownPid = process.pid): OpenElsewhere {
  if (!proc) {
    return { state: 'unknown', reason: `${process.platform} has no /proc to list other processes' open files` };
  }
  let target: string;
  let pids: string[];
  try {
    target = fs.realpathSync(file);
  } catch (err) {
    return { state: 'unknown', reason: `the file cannot be resolved (${(err as Error).message})` };
  }
  try {
    pids = proc.list('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== ownPid);
  } catch (err) {
    return { state: 'unknown', reason: `the process list cannot be read (${(err as Error).message})` };
  }
  const hiding = hiddenProcesses(proc);
  if (hiding) {
    return { state: 'unknown', reason: hiding };
  }
  let hidden: string | undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = proc.list(`/proc/${pid}/fd`);
    } catch (err) {
      hidden ??= unreadable(proc, pid, err);
      continue;
    }
    for (const fd of fds) {
      try {
        if (proc.link(`/proc/${pid}/fd/${fd}`) === target) {
          return { state: 'open' };
        }
      } catch (err) {
        hidden ??= unreadable(proc, pid, err);
      }
    }
  }
  return hidden ? { state: 'unknown', reason: hidden } : { state: 'not-open' };
}

/** Why the process list may be incomplete: /proc mounted with `hidepid` lists only our own processes. */
function hiddenProcesses(proc: ProcReader): string | undefined {
  let mounts: string;
  try {
    mounts = proc.read('/proc/self/mountinfo');
  } catch {
    return undefined;
  }
  const procMount = mounts.split('\n').find((line) => line.split(' ')[4] === '/proc');
  return procMount && HIDDEN_PROCESSES.test(procMount) ? "/proc is mounted with hidepid, which hides other users' processes" : undefined;
}

/**
 * Why a process's open files could not be checked, or undefined when that does not matter: it
 * went away, or its command line (readable where its files are not) shows no Django host.
 * Without that, init and every other user's daemon would stop all writes on Linux.
 */
function unreadable(proc: ProcReader, pid: string, err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && GONE.has(code)) {
    return undefined;
  }
  let command: string;
  try {
    command = proc.read(`/proc/${pid}/cmdline`);
  } catch {
    return `neither the open files nor the command line of process ${pid} can be read (${code ?? (err as Error).message})`;
  }
  // Kernel threads have an empty command line.
  const words = command.split('\0').filter(Boolean).join(' ');
  if (!DJANGO_HOSTS.test(words)) {
    return undefined;
  }
  return `the open files of process ${pid} (${words.slice(0, 80)}) cannot be read (${code ?? (err as Error).message}), as for another user's Django`;
}

/**
 * Set to `1` by a user who knows that no process this check cannot see (another user's, or any
 * on a platform without /proc) has the database open; processes it can see still count.
 */
export const TRUST_UNSEEN_VARIABLE = 'DJANGO_SESSIONS_TRUST_UNSEEN_PROCESSES';

/** The check a snapshot driver makes before it replaces the file, with the user's override applied. */
export function openElsewhereCheck(env: NodeJS.ProcessEnv): (file: string) => OpenElsewhere {
  if (env[TRUST_UNSEEN_VARIABLE] !== '1') {
    return (file) => openByOtherProcess(file);
  }
  return (file) => {
    const seen = openByOtherProcess(file);
    return seen.state === 'unknown' ? { state: 'not-open' } : seen;
  };
}
