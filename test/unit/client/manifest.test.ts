import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ContextKeys, DocumentSchemes, FOCUS_SESSIONS_VIEW, LANGUAGE_CLIENT_ID, Languages, LOAD_MORE_COMMAND_PREFIX, Settings, ViewContainers, Views } from '../../../client/src/ids';
import { maskSessionKey } from '../../../engine/src';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Every `djangoSessions.*` string literal in the client's sources, outside ids.ts, and every language id or URI scheme spelled there. */
function idLiteralsOutsideIds(): string[] {
  const named = new Set<string>([...Object.values(Languages), ...Object.values(DocumentSchemes)]);
  const dir = path.join(root, 'client', 'src');
  const found: string[] = [];
  for (const file of fs.readdirSync(dir)) {
    if (file === 'ids.ts' || !file.endsWith('.ts')) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/['"`](djangoSessions\.[\w.]+)['"`]/g)) found.push(`${file}: ${m[1]}`);
    for (const m of text.matchAll(/['"`]([\w.-]+)['"`]/g)) if (named.has(m[1]!)) found.push(`${file}: ${m[1]}`);
  }
  return found;
}

describe('package.json ids and the code', () => {
  it('declares exactly the commands the code registers', () => {
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(sorted(declared), sorted(Object.values(Commands)));
  });

  it('gives every command the "Django Sessions" category', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Django Sessions', c.command);
  });

  it('declares exactly the views and view containers the code uses', () => {
    const views = Object.values(manifest.contributes.views).flat().map((v) => (v as { id: string }).id);
    assert.deepEqual(sorted(views), sorted(Object.values(Views)));
    const containers = manifest.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id);
    assert.deepEqual(sorted(containers), sorted(Object.values(ViewContainers)));
  });

  it('declares exactly the languages the code gives its documents, each with its grammar', () => {
    assert.deepEqual(sorted(manifest.contributes.languages.map((l: { id: string }) => l.id)), sorted(Object.values(Languages)));
    const grammars = manifest.contributes.grammars.flatMap((g: { language?: string }) => (g.language ? [g.language] : []));
    assert.deepEqual(sorted(grammars), sorted(Object.values(Languages)));
  });

  it('declares exactly the settings the code reads', () => {
    assert.deepEqual(sorted(Object.keys(manifest.contributes.configuration.properties)), sorted(Object.values(Settings)));
    assert.equal(Settings.traceServer, `${LANGUAGE_CLIENT_ID}.trace.server`);
  });

  it("welcomes with a line of its own, not VS Code's 'no data provider registered', while the extension starts and no store state is set yet", () => {
    const starting = manifest.contributes.viewsWelcome.filter((w: { when: string }) => w.when === `!${ContextKeys.storeState}`);
    assert.deepEqual(starting.map((w: { view: string; contents: string }) => [w.view, w.contents]), [[Views.sessions, 'Django Sessions is starting…']]);
  });

  it('uses only declared ids in menus, welcome views and when clauses', () => {
    const commands = new Set<string>(Object.values(Commands));
    const views = new Set<string>(Object.values(Views));
    for (const items of Object.values(manifest.contributes.menus) as Array<Array<{ command: string; when?: string }>>) {
      for (const item of items) assert.ok(commands.has(item.command), item.command);
    }
    for (const welcome of manifest.contributes.viewsWelcome) {
      assert.ok(views.has(welcome.view), welcome.view);
      for (const m of (welcome.contents as string).matchAll(/command:(djangoSessions\.\w+)/g)) assert.ok(commands.has(m[1]!), m[1]);
      for (const m of (welcome.when as string).matchAll(/djangoSessions\.\w+/g)) assert.ok(Object.values(ContextKeys).includes(m[0] as never), m[0]);
    }
  });

  it('offers every declared command in the palette; the Load more commands, registered at run time, are not declared', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command);
    assert.deepEqual(hidden, []);
    for (const command of Object.values(Commands)) assert.ok(!command.startsWith(LOAD_MORE_COMMAND_PREFIX), command);
  });

  it("contributes no command of its own that shows the Sessions view, which VS Code's Focus on Sessions View does (the status bar runs that)", () => {
    const showsView = manifest.contributes.commands.filter((c: { title: string }) => /^(show|focus|open|reveal)\b.*\bsessions( view)?$/i.test(c.title));
    assert.deepEqual(showsView, []);
    assert.equal(FOCUS_SESSIONS_VIEW, `${Views.sessions}.focus`);
  });

  it('hides the commands that need a store from the palette in an untrusted workspace, which opens none, and Clear Expired from the view menu while no store is listed', () => {
    const paletteWhen = new Map<string, string>(manifest.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]));
    // What works without a store: the view, the log, the server, the settings, and the passwords saved before.
    const storeless = new Set<string>([Commands.refreshSessions, Commands.showLog, Commands.openSettings, Commands.restartServer, Commands.forgetStorePasswords, Commands.clearSessionFilter]);
    for (const command of Object.values(Commands)) {
      assert.equal(paletteWhen.get(command)?.includes('isWorkspaceTrusted') ?? false, !storeless.has(command), command);
    }
    const clearExpired = manifest.contributes.menus['view/title'].find((m: { command: string }) => m.command === Commands.clearExpiredSessions);
    assert.match(clearExpired.when, new RegExp(`${ContextKeys.storeState.replace('.', '\\.')} == ready`));
  });

  it('offers Drop Cache Entry in the palette only where a store is cached_db with a cache it reads, as the view offers it only under Cache out of sync', () => {
    const entry = manifest.contributes.menus.commandPalette.find((m: { command: string }) => m.command === Commands.invalidateCacheEntry);
    assert.equal(entry.when, `isWorkspaceTrusted && ${ContextKeys.cacheDrift}`);
  });

  it("offers Show Sessions Holding Key only where the view lists a store's sessions, as the hover offers its link: not with signed_cookies alone", () => {
    const want = `isWorkspaceTrusted && ${ContextKeys.listsSessions} && editorLangId == python`;
    for (const menu of ['commandPalette', 'editor/context']) {
      const entry = manifest.contributes.menus[menu].find((m: { command: string }) => m.command === Commands.showSessionsWithKey);
      assert.equal(entry.when, want, menu);
    }
  });

  it('declares the store URL window-scoped (one value per server), the settings module per workspace folder (resource), and the page size as a whole number', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.equal(properties[Settings.storeUrl].scope, 'window');
    assert.equal(properties[Settings.settingsModule].scope, 'resource');
    assert.equal(properties[Settings.pageSize].type, 'integer');
  });

  it('shows masked keys in the maskKeys description as the product masks them', () => {
    const description: string = manifest.contributes.configuration.properties[Settings.maskKeys].markdownDescription;
    assert.ok(description.includes(`\`${maskSessionKey('abcd'.repeat(8))}\``), description);
  });

  it('never spells an id outside client/src/ids.ts', () => {
    assert.deepEqual(idLiteralsOutsideIds(), []);
  });

  it("activates on a Django workspace (a reusable app's too), or a session document VS Code restores, and restricts stores in untrusted workspaces", () => {
    // manage.py at the root is a plain existence check, which VS Code never times out; the glob
    // (a file search, given up after 7 s in a huge workspace) finds services/api/backend/manage.py.
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:manage.py',
      'workspaceContains:**/manage.py',
      'workspaceContains:*/wsgi.py',
      'workspaceContains:*/*/wsgi.py',
      'workspaceContains:*/*/*/wsgi.py',
      'workspaceContains:*/asgi.py',
      'workspaceContains:*/*/asgi.py',
      'workspaceContains:*/*/*/asgi.py',
      // A reusable app's test settings (tests/settings.py, test_settings.py), which its pytest or tox configuration names.
      'workspaceContains:*settings*.py',
      'workspaceContains:*/*settings*.py',
      'workspaceContains:*/*/*settings*.py',
      'workspaceContains:*/*/*/*settings*.py',
      'workspaceContains:*/settings/__init__.py',
      'workspaceContains:*/*/settings/__init__.py',
      'workspaceContains:*/*/*/settings/__init__.py',
      `onFileSystem:${DocumentSchemes.session}`,
    ]);
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [Settings.storeUrl]);
  });

  it("names in the README's Install section, which the .vsix's details page shows too, the VS Code that engines.vscode requires", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const version = /^\^(\d+\.\d+)\.0$/.exec(manifest.engines.vscode)![1]!;
    assert.match(readme, new RegExp(`## Install\\n\\nThe extension needs VS Code ${version.replace('.', '\\.')} or later`));
  });
});
