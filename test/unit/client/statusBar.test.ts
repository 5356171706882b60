import { statusBarItems } from './vscodeStub';
import * as assert from 'node:assert/strict';
import type { StoreInfo } from '../../../server/src/protocol';
import { FOCUS_SESSIONS_VIEW } from '../../../client/src/ids';
import { StoreStatus } from '../../../client/src/statusBar';

const store = (label: string, engine: string): StoreInfo => ({ id: label, label, location: `${label} location`, notes: [], passwordVariables: [], engine, watched: false, local: true, cacheDrift: false });

describe('the store status-bar item', () => {
  it("opens the Sessions view with VS Code's own command for it, the one the Command Palette offers", () => {
    new StoreStatus();
    assert.equal(statusBarItems.at(-1)!.command, FOCUS_SESSIONS_VIEW);
  });

  it("warns of a store's problem until it is solved, or until the settings no longer name that store", () => {
    const status = new StoreStatus();
    const item = statusBarItems.at(-1)!;
    status.show([store('custom', 'custom')]);
    status.problem('custom', 'Sessions of the engine are not supported');
    assert.match(item.tooltip!.value, /^\*\*custom\*\*: Sessions of the engine are not supported/);
    assert.ok(item.backgroundColor);
    // Fixed settings name another store: the old store's problem goes with it.
    status.show([store('cached_db', 'cached_db')]);
    assert.equal(item.text, '$(database) cached_db');
    assert.doesNotMatch(item.tooltip!.value, /not supported/);
    assert.equal(item.backgroundColor, undefined);
  });

  it('keeps the problem of a store still named, and that of listing the stores at all', () => {
    const status = new StoreStatus();
    const item = statusBarItems.at(-1)!;
    status.show([store('db', 'db')]);
    status.problem('db', 'no such table: django_session');
    status.problem('', 'the server stopped');
    status.show([store('db', 'db')]);
    assert.match(item.tooltip!.value, /\*\*db\*\*: no such table/);
    assert.match(item.tooltip!.value, /the server stopped/);
    assert.equal(item.text, '$(warning) db');
  });
  it('warns, before the view lists anything, of a store the settings do not place (DATABASES from a variable not set)', () => {
    const status = new StoreStatus();
    const item = statusBarItems.at(-1)!;
    status.show([{ ...store('cached_db:default+default', 'cached_db'), location: 'unknown' }]);
    assert.equal(item.text, '$(warning) cached_db');
    assert.match(item.tooltip!.value, /\*\*cached\\_db\\:default\\\+default\*\*: where its sessions live cannot be read from the settings; the Sessions view says why\./);
    assert.ok(item.backgroundColor);
  });

  it('shows store labels, locations and problems as text, never as Markdown images or links', () => {
    const status = new StoreStatus();
    const item = statusBarItems.at(-1)!;
    status.show([{ ...store('db:![t](https://e.x/t.png)', 'db'), location: '[here](command:x)' }]);
    status.problem('db:![t](https://e.x/t.png)', 'password for "[a](https://e.x)" refused\n# big');
    status.problem('', '<img src=x>');
    const tooltip = item.tooltip!.value;
    assert.ok(tooltip.includes('**db\\:\\!\\[t\\]\\(https\\://e\\.x/t\\.png\\)**: password for "\\[a\\]\\(https\\://e\\.x\\)" refused \\# big'));
    assert.ok(tooltip.includes('\\<img src=x\\>'));
    assert.ok(tooltip.endsWith('  \n\\[here\\]\\(command\\:x\\)'));
    assert.doesNotMatch(tooltip, /(^|[^\\])[![]|\n#/);
  });
});
