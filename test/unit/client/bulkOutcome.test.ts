import * as assert from 'node:assert/strict';
import { bulkOutcome } from '../../../client/src/bulkOutcome';

describe('what a bulk deletion says it did', () => {
  it('tells clearing expired sessions from logging a user out, and says when there was nothing to delete', () => {
    assert.equal(bulkOutcome({ deleted: 2 }, 'db · SQLite', undefined), '2 expired sessions deleted from db · SQLite.');
    assert.equal(bulkOutcome({ deleted: 0 }, 'db · SQLite', undefined), 'No expired sessions in db · SQLite: nothing to delete.');
    assert.equal(bulkOutcome({ deleted: 1 }, 'db · SQLite', '7'), 'User 7 logged out of db · SQLite: 1 session deleted.');
    assert.equal(bulkOutcome({ deleted: 0 }, 'db · SQLite', '7'), 'User 7 has no sessions in db · SQLite: nothing to delete.');
    assert.equal(
      bulkOutcome({ deleted: 0 }, 'db · SQLite', 'alice'),
      'User alice has no sessions in db · SQLite: nothing to delete. Sessions hold the user\'s primary key (usually a number, as in User.objects.get(username="alice").pk), not the username.',
    );
    assert.equal(bulkOutcome({ deleted: 3, cancelled: true }, 'db · SQLite', undefined), 'Stopped: 3 expired sessions deleted from db · SQLite before cancelling.');
    assert.equal(bulkOutcome({ deleted: 1, undecodable: 2 }, 'db · SQLite', '7'), 'User 7 may still be logged in to db · SQLite: 1 session deleted, but 2 sessions could not be decoded to check whose they are (the view marks them undecodable, with why).');
  });

  it('says a username is not what sessions hold also where a session could not be decoded, as in the demo', () => {
    assert.equal(
      bulkOutcome({ deleted: 0, undecodable: 1 }, 'db · SQLite', 'alice'),
      'User alice may still be logged in to db · SQLite: 0 sessions deleted, but 1 session could not be decoded to check whose it is (the view marks it undecodable, with why). Sessions hold the user\'s primary key (usually a number, as in User.objects.get(username="alice").pk), not the username.',
    );
    // Something was deleted, so the id was one: no hint.
    assert.doesNotMatch(bulkOutcome({ deleted: 1, undecodable: 1 }, 'db · SQLite', 'alice'), /primary key/);
  });
});
