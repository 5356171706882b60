import * as assert from 'node:assert/strict';
import { redisCommandError } from '../../../../../engine/src/stores/cache/redis/redisCommands';
import { StoreError } from '../../../../../engine/src/stores/storeError';

const WHERE = 'redis://app@cache:6379/1';

/** redisCommandError's message for a reply Redis gave the ACL user `app`. */
function refusal(reply: string): string {
  const err = redisCommandError(WHERE, 5000, new Error(reply), 'app');
  assert.ok(err instanceof StoreError && err.code === 'permission-denied', String(err));
  return err.message;
}

describe("Redis ACL refusals, in each Redis version's words", () => {
  it('names the refused command and its grant, as Redis 6, 7.0 and 7.2 word it', () => {
    for (const reply of [
      "NOPERM this user has no permissions to run the 'eval' command or its subcommand",
      "NOPERM this user has no permissions to run the 'eval' command",
      "NOPERM User app has no permissions to run the 'eval' command",
    ]) {
      assert.match(refusal(reply), /^Redis at redis:\/\/app@cache:6379\/1 refuses the ACL user app \(NOPERM .*\); changes run as a script \(EVAL\), .*: grant it with ACL SETUSER app \+eval \(or \+@scripting\)\.$/, reply);
    }
    assert.match(refusal("NOPERM this user has no permissions to run the 'scan' command"), /; grant it with ACL SETUSER app \+scan\.$/);
  });

  it('names the key pattern for a refused key, never the session key Redis 7.2 names', () => {
    const sessionKey = 'jucob3g9qocxa095c5jopdf2j0fse9x7';
    for (const reply of ['NOPERM this user has no permissions to access one of the keys used as arguments', 'NOPERM No permissions to access a key', `NOPERM User app has no permissions to access the 'kk:1:django.contrib.sessions.cache${sessionKey}' key`]) {
      const message = refusal(reply);
      assert.match(message, /; give it the session keys, .*: ACL SETUSER app ~PREFIX:\*\.$/, reply);
      assert.ok(!message.includes(sessionKey), message);
    }
  });

  it("names the scripts' commands for a call refused inside a script, without the script's hash", () => {
    for (const reply of [
      "ERR The user executing the script can't run this command or subcommand script: bd6f3018b28bbdb36260f19d3c44afed740db987, on @user_script:1.",
      "ERR ACL failure in script: User app has no permissions to run the 'set' command script: bd6f3018b28bbdb36260f19d3c44afed740db987, on @user_script:1.",
    ]) {
      const message = refusal(reply);
      assert.doesNotMatch(message, /bd6f30|user_script/, reply);
    }
    assert.match(refusal("ERR The user executing the script can't run this command or subcommand script: bd6f, on @user_script:1."), /; grant the commands the scripts of changes run with ACL SETUSER app \+get \+set \+del\.$/);
    assert.match(refusal("ERR ACL failure in script: User app has no permissions to run the 'set' command script: bd6f, on @user_script:1."), /; grant it with ACL SETUSER app \+set\.$/);
  });

  it('leaves other errors as they are', () => {
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    assert.equal(redisCommandError(WHERE, 5000, wrongType, 'app'), wrongType);
  });
});
