import { Redis } from 'ioredis';
import { REDIS, requireService } from './localServices';
import { django52ForCases, requireDjango } from './realDjango';

/**
 * For a suite comparing with real Django over Redis: Django and Redis required (started when
 * down), Redis database `db` opened raw, and Django 5.2's directory when it could be installed
 * (one loud line when not, and its cases skip; under DJS_REQUIRE_SERVICES=1 the suite fails).
 */
export async function redisDjangoSuite(suite: Mocha.Context, db: number): Promise<{ raw: Redis; dir52?: string }> {
  requireDjango(suite);
  await requireService(suite, REDIS);
  const raw = new Redis({ host: '127.0.0.1', port: 6379, db, lazyConnect: true });
  await raw.connect();
  return { raw, dir52: django52ForCases() };
}
