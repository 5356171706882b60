/** The commands a developer runs the project with (`python manage.py runserver`, `shell`): their settings hold its sessions. */
export const NORMAL_RUNS: readonly (readonly string[])[] = [
  ['manage.py', 'runserver'],
  ['manage.py', 'shell'],
];

/**
 * `sys.argv` as settings see it: the first normal run's, so a `TESTING = "test" in sys.argv`
 * switch is read as `runserver` reads it, not left undecided.
 */
export const SETTINGS_ARGV: readonly string[] = NORMAL_RUNS[0]!;
