// `npm run test:e2e`: a user's-eye check in a real VS Code (code-server in headless Chromium).
// Installs the packaged extension, opens the demo project, opens the Django Sessions view,
// expands the first session, opens it as a document, hovers a misspelt key in the code, runs the
// CLI the extension carries, then opens the demo again as an untrusted workspace, and a Scrapy
// and a Flask project whose files start the extension, and asserts what is on screen and printed.
// Screenshots go to .artifacts/e2e/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, repoRoot, start, workbenchUrl } from '../../scripts/codeServer.mjs';

const TIMEOUT_MS = 60_000;
const artifacts = path.join(repoRoot, '.artifacts', 'e2e');
// Every key that demo/tools/make_seed.py puts into a demo session.
const DEMO_KEYS = new Set([
  '_auth_user_id', '_auth_user_backend', '_auth_user_hash', '_session_expiry',
  'cart', 'currency', 'recently_viewed', 'coupon', 'onboarding_step', 'onboarded',
  'note', 'big', 'ratio', 'visit', 'signed_with',
]);

/** Drives the workbench; throws on the first failed expectation. */
export async function runE2E({ vsix, workspace }) {
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await start({ workspace, vsix });
  const browser = await launchChromium();
  const consoleLines = [];
  let page;
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });
  try {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('console', (msg) => consoleLines.push(msg.text()));

    const loadStart = Date.now();
    await page.goto(workbenchUrl(server, { folder: workspace }));
    await page.locator('.monaco-workbench').waitFor();
    console.log(`e2e: workbench loaded in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

    await page.locator('.part.activitybar').getByRole('tab', { name: 'Django Sessions' }).click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.composite.title').getByText('Django Sessions', { exact: false }).waitFor();

    // Level 1 is the store, level 2 its sessions, level 3 a session's keys.
    const sessions = sidebar.locator('.monaco-list-row[aria-level="2"]');
    // Until the extension has started, the view shows its welcome, not VS Code's complaint. VS Code
    // itself says 'no data provider' when its extension host is not up 2 s after the view opened
    // (a busy machine), before any extension can run; once ours has shown, it must not come back.
    const seenWhileStarting = await textsUntil(sidebar, sessions.first());
    const complaint = (text) => text.includes('no data provider');
    const ours = seenWhileStarting.findIndex((text) => text.includes('Django Sessions is starting'));
    const complained = seenWhileStarting.some(complaint);
    assert.ok(!complained || (ours >= 0 && !seenWhileStarting.slice(ours).some(complaint)), `the view said before its rows: ${seenWhileStarting.join(' | ')}`);
    if (complained) console.log('e2e: VS Code said "no data provider" before its extension host was up; the welcome then showed');
    // Widen the side bar by its sash so rows are not cut off, and park the pointer, so the
    // activity bar's hover does not cover the tree in screenshots.
    const box = await sidebar.boundingBox();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 560, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(1100, 600);
    await shot('01-sessions');
    const descriptions = await sessions.locator('.label-description').allInnerTexts();
    assert.ok(descriptions.length > 0, 'no session rows');
    // The status bar names the engine of the store in use.
    await page.locator('.part.statusbar .statusbar-item').filter({ hasText: /^\s*db\s*$/ }).waitFor();
    for (const d of descriptions) {
      assert.match(d, /^(?:(?:bad signature|refused by Django|signature not verified|cache differs) · )*(anonymous|undecodable|user \d+) · (?:expires |expired |ends when the browser closes(?:, or in |$))/, `a session row should show what is wrong, its user and expiry: ${d}`);
    }

    const first = sessions.first();
    await first.click();
    await sidebar.locator('.monaco-list-row[aria-level="2"][aria-expanded="true"]').first().waitFor();
    const keys = sidebar.locator('.monaco-list-row[aria-level="3"]');
    await keys.first().waitFor();
    await shot('02-session-expanded');
    const labels = (await keys.locator('.label-name').allInnerTexts()).map((t) => t.trim());
    assert.ok(labels.length > 0, 'the expanded session shows no keys');
    for (const label of labels) assert.ok(DEMO_KEYS.has(label), `unexpected key in the first session: ${label}`);
    const values = await keys.locator('.label-description').allInnerTexts();
    assert.ok(values.length === labels.length && values.every((v) => v.trim() !== ''), `every key should show its value: ${values}`);
    console.log(`e2e: ${descriptions.length} session rows; the first (${descriptions[0]}) has keys ${labels.join(', ')}`);

    // The selected row shows its inline actions; Open Session shows the session as JSONC beside the tree.
    await first.locator('.action-label[aria-label="Open Session"]').click();
    const editor = page.locator('.part.editor .monaco-editor .view-lines');
    await editor.getByText('// Django session', { exact: false }).waitFor();
    await page.mouse.move(1100, 700);
    await shot('03-session-document');
    // Monaco renders spaces as no-break spaces.
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /\/\/ Django session [a-z0-9]{4}•{8} in db · SQLite · db\.sqlite3/, `the document names the masked session and its store: ${text}`);
    for (const label of labels) assert.ok(text.includes(`"${label}"`), `the document shows ${label}: ${text}`);
    console.log('e2e: Open Session showed the first session as a document');

    // Filter Sessions, from the view's title bar (its actions show while the pointer is over the side bar).
    await sidebar.hover();
    await sidebar.locator('.action-label[aria-label="Filter Sessions…"]').first().click();
    const input = page.locator('.quick-input-widget input');
    await input.fill('user:1');
    await input.press('Enter');
    await sidebar.getByText('Filtered: user:1').waitFor();
    // The message shows at once; the rows follow when the store has listed them again.
    await sidebar.locator('.monaco-list-row[aria-level="2"] .label-description').filter({ hasNotText: /^user 1 · / }).first().waitFor({ state: 'detached' });
    await page.mouse.move(1100, 600);
    await shot('04-filtered');
    const filtered = await sessions.locator('.label-description').allInnerTexts();
    assert.ok(filtered.length > 0 && filtered.length < descriptions.length, `the filter should leave some of the ${descriptions.length} sessions: ${filtered}`);
    for (const d of filtered) assert.match(d, /^user 1 · /, `only user 1's sessions are listed: ${d}`);
    await sidebar.hover();
    await sidebar.locator('.action-label[aria-label="Clear Session Filter"]').first().click();
    await sidebar.getByText('Filtered: user:1').waitFor({ state: 'detached' });
    console.log(`e2e: Filter Sessions "user:1" listed ${filtered.length} of ${descriptions.length} sessions, and clearing it listed them all again`);

    // The demo's store is db, not cached_db: the palette leaves out what only a cache drift offers.
    await page.keyboard.press('Control+Shift+P');
    const palette = page.locator('.quick-input-widget input');
    await palette.fill('>Django Sessions: Drop Cache Entry');
    // VS Code lists similar commands where none matches, so a row shows either way once the palette has matched.
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    const dropOffered = await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Drop Cache Entry' }).count();
    assert.equal(dropOffered, 0, 'the palette offers Drop Cache Entry for a db store');
    await palette.press('Escape');

    await checkCodeFeatures(page, shot);
    checkShippedCli(server.extensionsDir, workspace);
  } catch (err) {
    if (page) await shot('failure').catch(() => {});
    console.error(`--- workbench console ---\n${consoleLines.join('\n')}`);
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
  await runUntrusted({ vsix, workspace });
  await runNotDjango({ vsix });
  console.log(`e2e: passed; screenshots in ${path.relative(repoRoot, artifacts)}/`);
}

/** Session commands the palette must not offer where no store is opened. */
const STORE_COMMANDS = ['Delete Session (Flush)', 'Clear Expired Sessions', 'Log User Out Everywhere', 'Open Session', 'Set Store Password…'];

/**
 * The workspace opened as a user who answers VS Code's trust prompt with No: the view says no
 * store is opened, the palette leaves out the commands that need one, and the code features
 * still work (README, Security notes).
 */
async function runUntrusted({ vsix, workspace }) {
  await inWorkbench({ folder: workspace, vsix, trust: false, prefix: 'untrusted' }, async (page, shot) => {
    await page.getByRole('button', { name: "No, I don't trust the authors" }).click();
    await page.locator('.part.activitybar').getByRole('tab', { name: 'Django Sessions' }).click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar.getByText('This workspace is not trusted, so Django Sessions does not open session stores here.').waitFor();
    await shot('01-view');
    assert.equal(await sidebar.locator('.monaco-list-row[aria-level="2"]').count(), 0, 'an untrusted workspace lists no sessions');

    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Django Sessions: ');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'Django Sessions: Show Log' }).waitFor();
    // Every item is rendered, so none offered could hide below the list's visible rows.
    assert.equal(await rows.count(), Number(await rows.first().getAttribute('aria-setsize')), 'the palette shows all it offers');
    const offered = (await rows.allInnerTexts()).join('\n');
    for (const title of STORE_COMMANDS) assert.ok(!offered.includes(`Django Sessions: ${title}`), `the palette offers ${title} in an untrusted workspace: ${offered}`);
    await input.press('Escape');

    await checkCodeFeatures(page, shot);
    console.log('e2e: untrusted, the view opened no store, the palette left out the store commands, and the code features worked');
  });
}

/** Projects of other frameworks whose files start the extension: Scrapy's settings.py, Flask-Script's manage.py. */
const NOT_DJANGO = {
  scrapy: {
    'scrapy.cfg': '[settings]\ndefault = crawler.settings\n',
    'crawler/__init__.py': '',
    'crawler/settings.py': 'BOT_NAME = "crawler"\n',
  },
  flask: {
    'manage.py': 'from flask_script import Manager\nfrom app import create_app\n\nmanager = Manager(create_app)\n\nif __name__ == "__main__":\n    manager.run()\n',
    'app/__init__.py': 'from flask import Flask, session\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_object("app.settings")\n    return app\n',
    'app/settings.py': 'SECRET_KEY = "dev"\n',
  },
};

/**
 * Each project of another framework (NOT_DJANGO) opened where it starts the extension: the view
 * says no Django project was found, and the status bar stays quiet.
 */
async function runNotDjango({ vsix }) {
  for (const [name, files] of Object.entries(NOT_DJANGO)) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), `djs-e2e-${name}-`));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      fs.writeFileSync(path.join(folder, file), text);
    }
    try {
      await inWorkbench({ folder, vsix, prefix: `not-django-${name}` }, async (page, shot) => {
        await page.locator('.monaco-workbench').waitFor();
        await page.locator('.part.activitybar').getByRole('tab', { name: 'Django Sessions' }).click();
        // The view asks for the stores, and the status bar hears the answer before the view shows it.
        await page.locator('.part.sidebar').getByText('No Django project found', { exact: false }).first().waitFor();
        await shot('01-view');
        const items = await page.locator('.part.statusbar .statusbar-item').allInnerTexts();
        assert.ok(!items.some((text) => /session store/.test(text)), `the status bar speaks of session stores in a folder without Django: ${items.join(' | ')}`);
        console.log(`e2e: in a ${name} project the view said no Django project was found, and the status bar said nothing`);
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
}

/**
 * The texts `container` showed, read every 50 ms, until `until` is visible: each change in turn,
 * so a text that goes and comes back is there twice, and what showed after another can be told.
 */
async function textsUntil(container, until) {
  const seen = [];
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await until.isVisible())) {
    if (Date.now() > deadline) throw new Error(`nothing showed within ${TIMEOUT_MS / 1000} s; the view said: ${seen.join(' | ')}`);
    const text = (await container.innerText()).replace(/\s+/g, ' ');
    if (text !== seen.at(-1)) seen.push(text);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

/**
 * Opens `folder` in a code-server of its own (trusted unless `trust` is false) and a headless
 * Chromium page, runs `body(page, shot)`, keeps a screenshot of a failure as `<prefix>-failure`,
 * and stops both.
 */
async function inWorkbench({ folder, vsix, trust, prefix }, body) {
  const server = await start({ workspace: folder, vsix, ...(trust === undefined ? {} : { trust }) });
  const browser = await launchChromium();
  let page;
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `${prefix}-${name}.png`) });
  try {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(workbenchUrl(server, { folder }));
    await body(page, shot);
  } catch (err) {
    if (page) await shot('failure').catch(() => {});
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * The language server the vsix carries, with its parser's wasm and worker: demo/accounts/views.py
 * reads 'curency', which nothing writes, so it is underlined, and its hover says so with the
 * did-you-mean.
 */
async function checkCodeFeatures(page, shot) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.fill('accounts/views.py');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'views.py' }).first().waitFor();
  await input.press('Enter');
  const lines = page.locator('.part.editor .monaco-editor .view-lines');
  await lines.getByText('def preferences', { exact: false }).waitFor();
  await page.locator('.part.editor .monaco-editor .squiggly-warning').first().waitFor();
  // The key in the code (line 18), not the comment above it that names it too.
  await lines.locator('span', { hasText: /^curency$/ }).last().hover();
  const hover = page.locator('.monaco-hover:visible');
  await hover.getByText('Did you mean', { exact: false }).first().waitFor();
  await shot('05-diagnostic-hover');
  const text = (await hover.allInnerTexts()).join('\n');
  assert.match(text, /Session key 'curency' is read but never written in this project\. Did you mean 'currency'\?/, `the hover shows the DS101 finding: ${text}`);
  assert.match(text, /session key curency[\s\S]*Written in 0 places, read in 1 place/, `the hover shows where the key is used: ${text}`);
  console.log('e2e: accounts/views.py shows DS101 on "curency", with its did-you-mean and usage in the hover');
}

/** The CLI the README says to run from the installed extension, from outside the repository, with no node_modules to fall back on. */
function checkShippedCli(extensionsDir, workspace) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const cli = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`, 'dist', 'cli.js');
  const run = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: extensionsDir, encoding: 'utf8', timeout: TIMEOUT_MS });
  const version = run('--version');
  assert.equal(version.stdout, `django-sessions ${manifest.version}\n`, `${cli} --version: ${version.stderr}`);
  const stores = run('--project', workspace, 'stores');
  assert.equal(stores.status, 0, `${cli} stores: ${stores.stderr}`);
  assert.match(stores.stdout, /^db:default\tdb\t\S*db\.sqlite3\t/, `stores names the demo's SQLite store: ${stores.stdout}`);
  const lint = run('lint', workspace);
  assert.equal(lint.status, 0, `${cli} lint: ${lint.stderr}`);
  assert.match(lint.stdout, /accounts\/views\.py:18:\d+: warning DS101 Session key 'curency'/, `lint reports the demo's typo: ${lint.stdout}`);
  console.log(`e2e: the CLI in the installed extension (${path.relative(extensionsDir, cli)}) ran --version, stores and lint`);
}

function npm(...args) {
  const r = spawnSync('npm', args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  npm('run', 'package');
  // Fresh, so expiries are relative to now and nothing an earlier run changed is left.
  const seeded = spawnSync(process.execPath, ['scripts/seedDemo.mjs', '--fresh'], { cwd: repoRoot, stdio: 'inherit' });
  if (seeded.status !== 0) process.exit(seeded.status ?? 1);
  try {
    await runE2E({ vsix: path.join(repoRoot, 'dist', 'django-sessions.vsix'), workspace: path.join(repoRoot, 'demo') });
  } catch (err) {
    console.error(`e2e: FAILED: ${err.message}`);
    process.exitCode = 1;
  }
}
