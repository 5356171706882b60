import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, Location } from 'vscode-languageserver/node';
import { KeyAtRequest, KeyReferencesRequest, SHOW_SESSIONS_WITH_KEY_COMMAND } from '../../../server/src/protocol';
import { showSessionsLink } from '../../../server/src/showSessionsLink';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n';
const KEYS = 'CART = "cart"\n';
const VIEWS = ['from site.keys import CART', 'def add(request):', '    cart = request.session.get(CART, {})', "    request.session['cart'] = cart", "    return request.session.get('theme')", ''].join('\n');
const TEMPLATE = '<p>{{ request.session.cart }}</p>\n';

function project(engine: string): string {
  return tempProject({
    'manage.py': MANAGE,
    'site/settings.py': `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n`,
    'site/keys.py': KEYS,
    'site/views.py': VIEWS,
    'site/templates/cart.html': TEMPLATE,
  });
}

function places(locations: Location[], root: string): string[] {
  return locations.map((l) => `${path.relative(root, decodeURIComponent(new URL(l.uri).pathname))} ${l.range.start.line}:${l.range.start.character}`).sort();
}

/**
 * The key a hover's Show Sessions link hands its command, or undefined without a link, decoded as
 * VS Code does: URI.parse decodes the query, then its command opener decodes it again (falling
 * back to the query as it is where that fails) before JSON.parse.
 */
function linkedKey(hover: Hover | null): string | undefined {
  const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
  const raw = new RegExp(`\\]\\(command:${SHOW_SESSIONS_WITH_KEY_COMMAND.replace(/\./g, '\\.')}\\?([^\\s()]*)\\)`).exec(value)?.[1];
  if (raw === undefined) {
    return undefined;
  }
  const query = decodeURIComponent(raw);
  let args: unknown;
  try {
    args = JSON.parse(decodeURIComponent(query));
  } catch {
    args = JSON.parse(query);
  }
  return (args as string[])[0];
}

describe('between the Sessions view and the code', () => {
  const roots: string[] = [];
  const servers: LanguageServer[] = [];
  const start = async (engine: string, trusted: boolean) => {
    const root = project(engine);
    roots.push(root);
    const server = await startLanguageServer([root], trusted);
    servers.push(server);
    return { root, server, views: path.join(root, 'site', 'views.py') };
  };

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true }));
  });

  it("finds a session's key where Find References on it does: the constant naming it, Python code and templates", async () => {
    const { root, server, views } = await start('db', true);
    const at = positionOf(VIEWS, "'cart'", 1);
    const references = await server.at<Location[]>('textDocument/references', views, at.line, at.character, { context: { includeDeclaration: true } });
    const found = await server.client.sendRequest(KeyReferencesRequest, { key: 'cart' });
    assert.deepEqual(places(found.locations, root), places(references, root));
    assert.deepEqual(places(found.locations, root), ['site/keys.py 0:7', 'site/templates/cart.html 0:22', 'site/views.py 2:31', 'site/views.py 3:20']);
    assert.deepEqual(found.usedBy, []);
  });

  it('finds nothing for a key no code uses, and says what Django or an app uses one for', async () => {
    const { server } = await start('db', true);
    assert.deepEqual(await server.client.sendRequest(KeyReferencesRequest, { key: 'nowhere' }), { locations: [], usedBy: [] });
    const auth = await server.client.sendRequest(KeyReferencesRequest, { key: '_auth_user_id' });
    assert.deepEqual(auth, { locations: [], usedBy: ["The logged-in user's primary key, as a string. Written by django.contrib.auth.login."] });
    const allauth = await server.client.sendRequest(KeyReferencesRequest, { key: 'account_login' });
    assert.match(allauth.usedBy[0]!, /^django-allauth \(allauth\.account\) writes and reads it: /);
  });

  it('tells the key under the cursor, and none off a key', async () => {
    const { server, views } = await start('db', false);
    const on = positionOf(VIEWS, "'theme'", 2);
    assert.deepEqual(await server.at(KeyAtRequest.method, views, on.line, on.character), { key: 'theme' });
    const constant = positionOf(VIEWS, 'CART, {}', 1);
    assert.deepEqual(await server.at(KeyAtRequest.method, views, constant.line, constant.character), { key: 'cart' });
    assert.deepEqual(await server.at(KeyAtRequest.method, views, 1, 2), {});
  });

  it("links a key's hover to the sessions holding it only where the view lists a store's sessions", async () => {
    const trusted = await start('db', true);
    const at = positionOf(VIEWS, "'theme'", 2);
    assert.equal(linkedKey(await trusted.server.at<Hover>('textDocument/hover', trusted.views, at.line, at.character)), 'theme');
    const untrusted = await start('db', false);
    assert.equal(linkedKey(await untrusted.server.at<Hover>('textDocument/hover', untrusted.views, at.line, at.character)), undefined, 'an untrusted workspace opens no store');
    const cookies = await start('signed_cookies', true);
    const hover = await cookies.server.at<Hover>('textDocument/hover', cookies.views, at.line, at.character);
    assert.match((hover.contents as { value: string }).value, /session key/);
    assert.equal(linkedKey(hover), undefined, "signed_cookies keeps sessions in the visitors' browsers, which the view cannot list");
  });

  it('carries any key through the link whole, and keeps it one Markdown link', () => {
    for (const key of ['cart', 'my cart', 'a)b(c', 'say "hi"', "it's", 'two\nlines', 'back`tick', 'br]acket', '100%', 'a%41', '%7B%22', '%25', 'ü/é?&=#']) {
      const link = showSessionsLink(key);
      assert.match(link, /^\[Show sessions holding `[^\n]*`\]\(command:[^\s()<>]*\)$/, link);
      assert.equal(linkedKey({ contents: { kind: 'markdown', value: link } }), key, link);
    }
  });
});
