import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const repo = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const contribution = manifest.contributes.grammars[0] as { path: string; scopeName: string; injectTo: string[] };

/** Loads VS Code's Python grammar with ours injected, the way VS Code wires them from package.json. */
async function pythonGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = {
    'source.python': path.join(repo, 'test/fixtures/grammars/MagicPython.tmLanguage.json'),
    [contribution.scopeName]: path.join(repo, contribution.path),
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (files[scope] ? textmate.parseRawGrammar(fs.readFileSync(files[scope]!, 'utf8'), files[scope]) : null),
    getInjections: (scope) => (contribution.injectTo.includes(scope) ? [contribution.scopeName] : []),
  });
  const grammar = await registry.loadGrammar('source.python');
  assert.ok(grammar);
  return grammar;
}

/** The scopes of the token that covers `needle` on the line. */
function scopesOf(grammar: textmate.IGrammar, line: string, needle: string): string[] {
  const at = line.indexOf(needle);
  const token = grammar.tokenizeLine(line, textmate.INITIAL).tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  assert.ok(token, `no token at ${needle}`);
  return token.scopes;
}

describe('session-key injection grammar', () => {
  let grammar: textmate.IGrammar;
  const KEY = 'entity.name.label.session-key.django-sessions';

  before(async () => {
    grammar = await pythonGrammar();
  });

  it("marks the key in request.session['…'] and in self.request.session[\"…\"]", () => {
    assert.ok(scopesOf(grammar, "    request.session['cart'] = {}", 'cart').includes(KEY));
    assert.ok(scopesOf(grammar, '    x = self.request.session["cart"]', 'cart').includes(KEY));
  });

  it('marks the key of .get, .pop, .setdefault and the async methods', () => {
    for (const call of ['get', 'pop', 'setdefault', 'aget', 'apop', 'aset', 'asetdefault', 'ahas_key']) {
      assert.ok(scopesOf(grammar, `    v = request.session.${call}('cart', None)`, 'cart').includes(KEY), call);
    }
    assert.ok(!scopesOf(grammar, "    v = request.session.get('cart', 'none')", 'none').includes(KEY), 'only the first argument');
  });

  it('leaves other strings and lookalikes alone', () => {
    assert.ok(!scopesOf(grammar, "    d['cart'] = 1", 'cart').includes(KEY));
    assert.ok(!scopesOf(grammar, "    requests.Session().get('cart')", 'cart').includes(KEY));
    assert.ok(!scopesOf(grammar, "    # request.session['cart']", 'cart').includes(KEY));
  });

  it('marks SESSION_* settings where they are assigned', () => {
    const SETTING = 'variable.other.constant.setting.django-sessions';
    assert.ok(scopesOf(grammar, 'SESSION_COOKIE_AGE = 1209600', 'SESSION_COOKIE_AGE').includes(SETTING));
    assert.ok(scopesOf(grammar, 'SESSION_ENGINE: str = "x"', 'SESSION_ENGINE').includes(SETTING));
    assert.ok(!scopesOf(grammar, 'if SESSION_COOKIE_AGE == 1:', 'SESSION_COOKIE_AGE').includes(SETTING));
  });
});
