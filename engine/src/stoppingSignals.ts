/** The signals that stop a process by default: Ctrl-C, a service manager's stop (a CI timeout, `docker stop`), a closed terminal. */
export const STOPPING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
