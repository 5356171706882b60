import { Client } from 'pg';
import { pgAdmin } from './localServices';

/**
 * Makes the PostgreSQL database `name` holding an empty django_session as Django 3.2's migrate
 * makes it (with its expire_date index), and returns a client connected to it; the caller ends it.
 */
export async function pgSessionDatabase(name: string): Promise<Client> {
  await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const db = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: name });
  await db.connect();
  await db.query('CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data text NOT NULL, expire_date timestamp with time zone NOT NULL)');
  await db.query('CREATE INDEX django_session_expire_date_a5c62663 ON django_session (expire_date)');
  return db;
}
