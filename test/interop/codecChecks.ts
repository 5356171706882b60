import * as assert from 'node:assert/strict';
import { pyRepr, type PyDict } from '../../engine/src/codec';
import { normalizeTagged, tag, type Tagged } from './codecTagged';

/** Django's answer to one case of python/codec_django.py. */
export interface DjangoResult {
  error?: string;
  hex?: string;
  encoded?: string;
  decoded?: Tagged;
  expiry_age?: number;
  /** get_expiry_age raised TypeError (a naive and an aware datetime met). */
  expiry_age_error?: string;
  expiry_date?: number;
  browser_close?: boolean;
  key_index?: number | null;
}

/** One check: the case for Django, and what to do with Django's answer. */
export interface Check<C = Record<string, unknown>> {
  group: string;
  case: C;
  verify(result: DjangoResult): void;
}

/** Asserts that our dict and Django's tagged value are the same Python value. */
export function same(ours: PyDict, theirs: Tagged | undefined, what: string): void {
  assert.deepEqual(normalizeTagged(tag(ours)), normalizeTagged(theirs ?? null), `${what}: ${pyRepr(ours).slice(0, 300)}`);
}

/** The result, or a failure naming what Django raised. */
export function theirsOk(r: DjangoResult): DjangoResult {
  if (r.error) assert.fail(`Django raised ${r.error}`);
  return r;
}

/** Verifies every check of `group` against its result, failing once with the first five failures and the count. */
export function verifyGroup(checks: readonly Check<unknown>[], results: readonly DjangoResult[], group: string): void {
  const failures: string[] = [];
  let count = 0;
  checks.forEach((check, i) => {
    if (check.group !== group) return;
    count++;
    try {
      check.verify(results[i]);
    } catch (err) {
      failures.push(`#${i}: ${(err as Error).message}`);
    }
  });
  assert.ok(count > 0, `no checks in group ${group}`);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${count} failed`);
}
