import * as assert from 'node:assert/strict';
import { logoutQuestion } from '../../../client/src/logoutQuestion';

describe('what Log User Out Everywhere asks before it deletes', () => {
  it('says how many sessions the user has, as the server counted them', () => {
    assert.deepEqual(logoutQuestion({ sessions: 3 }, 'db · SQLite', '7'), { ask: { message: 'Log user 7 out everywhere?', detail: 'This deletes the 3 sessions user 7 has in db · SQLite.' } });
    assert.deepEqual(logoutQuestion({ sessions: 1 }, 'db · SQLite', '7'), { ask: { message: 'Log user 7 out everywhere?', detail: 'This deletes the only session user 7 has in db · SQLite.' } });
  });

  it("says how many of the user's sessions have expired, which it deletes too though they log no one in", () => {
    const detail = (counted: { sessions: number; expired: number }) => (logoutQuestion(counted, 'db · SQLite', '2') as { ask: { detail: string } }).ask.detail;
    assert.equal(detail({ sessions: 3, expired: 1 }), 'This deletes the 3 sessions user 2 has (1 of them expired) in db · SQLite.');
    assert.equal(detail({ sessions: 2, expired: 2 }), 'This deletes the 2 sessions user 2 has (all of them expired) in db · SQLite.');
    assert.equal(detail({ sessions: 1, expired: 1 }), 'This deletes the only session user 2 has (expired) in db · SQLite.');
    assert.equal(
      (logoutQuestion({ sessions: 3, expired: 2, undecodable: 1 }, 'db · SQLite', '2') as { ask: { detail: string } }).ask.detail,
      'This deletes the 3 sessions user 2 has (2 of them expired) in db · SQLite. 1 session could not be decoded to check whose it is, and is left: the user may stay logged in there.',
    );
  });

  it('says what it leaves: sessions it could not check', () => {
    assert.equal(
      (logoutQuestion({ sessions: 2, undecodable: 1 }, 'db · SQLite', '7') as { ask: { detail: string } }).ask.detail,
      'This deletes the 2 sessions user 7 has in db · SQLite. 1 session could not be decoded to check whose it is, and is left: the user may stay logged in there.',
    );
  });

  it('asks about all of them, uncounted, where the server could not read the store in a moment, rather than guess', () => {
    assert.deepEqual(logoutQuestion({}, 'cache · Redis', '7'), {
      ask: { message: 'Log user 7 out everywhere?', detail: 'This deletes every session of user 7 in cache · Redis, expired ones too (not counted first: reading every session there takes too long).' },
    });
  });

  it('asks nothing where the user has no session, and says why the user may still be logged in, or that a username is no id', () => {
    assert.deepEqual(logoutQuestion({ sessions: 0 }, 'db · SQLite', '7'), { nothing: 'User 7 has no sessions in db · SQLite: nothing to delete.', warn: false });
    assert.deepEqual(logoutQuestion({ sessions: 0, undecodable: 2 }, 'db · SQLite', '7'), {
      nothing: 'User 7 has no sessions in db · SQLite that could be read: nothing to delete, but 2 sessions could not be decoded to check whose they are (the view marks them undecodable, with why).',
      warn: true,
    });
    assert.match((logoutQuestion({ sessions: 0 }, 'db · SQLite', 'alice') as { nothing: string }).nothing, /nothing to delete\. Sessions hold the user's primary key/);
  });
});
