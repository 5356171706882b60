import { TRUST_UNSEEN_VARIABLE } from '../../../../engine/src/stores/sqlite/openByOthers';

/**
 * The environment for tests that write through sql.js: on a shared machine a Python process of
 * another user (another test run's Django, say) cannot be inspected, which the guard rightly treats
 * as "maybe open". These tests' temp files are theirs alone, so they vouch for that; processes the
 * guard can see still count.
 */
export const TRUSTING_ENV: NodeJS.ProcessEnv = { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' };
