import * as path from 'node:path';
import { TRUST_UNSEEN_VARIABLE } from '../../engine/src/stores/sqlite/openByOthers';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, type LocalService } from './localServices';

/** A database real Django and the store both use: made per run, dropped afterwards. */
interface DjangoDatabase {
  title: string;
  /** The service it needs running; none for SQLite. */
  service?: LocalService;
  /** Makes the database; returns Django's DATABASES['default'], the store URL and how to remove it. */
  setup(name: string, dir: string): Promise<{ database: object; url: string; drop: () => Promise<void> }>;
}

/** SQLite (a file in `dir`), MariaDB and PostgreSQL on loopback, each in a database named `name`. */
export const DJANGO_DATABASES: DjangoDatabase[] = [
  {
    title: 'SQLite',
    async setup(name, dir) {
      const file = path.join(dir, `${name}.sqlite3`);
      return { database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, url: `sqlite://${file}`, drop: async () => undefined };
    },
  },
  {
    title: 'MariaDB',
    service: MARIADB,
    async setup(name) {
      await mysqlAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      return {
        database: { ENGINE: 'django.db.backends.mysql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 3306 },
        url: `mysql://root@127.0.0.1:3306/${name}`,
        drop: () => mysqlAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name}`))),
      };
    },
  },
  {
    title: 'PostgreSQL',
    service: POSTGRES,
    async setup(name) {
      await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      return {
        database: { ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432 },
        url: `postgres://root@127.0.0.1:5432/${name}`,
        drop: () => pgAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
      };
    },
  },
];

/**
 * Lets the CLI write the test's own SQLite files through sql.js (Node without node:sqlite), whose
 * guard cannot inspect every process here; the test vouches for its files, as a user would.
 * Returns what puts the variable back.
 */
export function trustSqlJsWrites(): () => void {
  const trusted = process.env[TRUST_UNSEEN_VARIABLE];
  process.env[TRUST_UNSEEN_VARIABLE] = '1';
  return () => {
    if (trusted === undefined) {
      delete process.env[TRUST_UNSEEN_VARIABLE];
    } else {
      process.env[TRUST_UNSEEN_VARIABLE] = trusted;
    }
  };
}
