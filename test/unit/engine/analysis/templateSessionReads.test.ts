import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findIndexedFiles, lintProject, scanJson, scanProject } from '../../../../engine/src/analysis';
import { isTemplatePath, TEMPLATE_GLOB, templateSessionFacts } from '../../../../engine/src/analysis/templateSessionReads';
import { TEMPLATE_DOCUMENTS } from '../../../../server/src/protocol';
import { tempProject } from '../project/tempProject';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n";
const VIEWS = ["def v(request):", "    request.session['banner'] = 'hi'", "    request.session['cart'] = {}", "    request.session['seen'] = 1", "    request.session['old'] = 1", ''].join('\n');
const TEMPLATE = [
  '<p>request.session.old is prose, not a read</p>',
  '{% if request.session.banner %}<b>{{ request.session.banner|upper }}</b>{% endif %}',
  "{% if 'seen' in request.session %}{{ request.session.session_key }}{% endif %}",
  "{% if 'cart' not in request.session %}{% endif %}",
  '{{ request.session.cart.items }} {{ request.session.get("cart") }} {{ request.session["crat"] }}',
  '',
].join('\n');

describe('session keys read in templates', () => {
  it('finds dotted, subscript, get, in and not in reads inside template tags only, at their columns', () => {
    const found = templateSessionFacts(TEMPLATE, '/p/templates/t.html')!.accesses.map((a) => [a.key, a.op, a.range.start.line, a.range.start.character, a.range.end.character, a.keyText, a.spelling?.kind]);
    assert.deepEqual(found, [
      [{ kind: 'literal', value: 'banner' }, 'read', 1, 22, 28, 'banner', 'lookup'],
      [{ kind: 'literal', value: 'banner' }, 'read', 1, 53, 59, 'banner', 'lookup'],
      [{ kind: 'literal', value: 'seen' }, 'contains', 2, 6, 12, "'seen'", 'literal'],
      [{ kind: 'literal', value: 'cart' }, 'contains', 3, 6, 12, "'cart'", 'literal'],
      [{ kind: 'literal', value: 'cart' }, 'read', 4, 19, 23, 'cart', 'lookup'],
      [{ kind: 'literal', value: 'cart' }, 'get', 4, 56, 62, '"cart"', 'literal'],
      [{ kind: 'literal', value: 'crat' }, 'read', 4, 86, 92, '"crat"', 'literal'],
    ]);
    assert.equal(templateSessionFacts('{{ request.session.session_key }} {{ request.user }}', '/p/templates/t.html'), undefined, "the session's own attributes are no keys");
  });

  it("reads 'k' in request.session.keys (Django calls the method) and .keys() (Jinja2) as a test of the key", () => {
    const contained = (text: string, file: string) => (templateSessionFacts(text, file)?.accesses ?? []).map((a) => `${a.op} ${a.keyText} ${a.range.start.character}`);
    assert.deepEqual(contained("{% if 'cart' in request.session.keys %}{% endif %}{% if \"seen\" not in request.session.keys %}{% endif %}", '/p/templates/t.html'), [
      "contains 'cart' 6",
      'contains "seen" 56',
    ]);
    assert.deepEqual(contained("{% if 'cart' in request.session.keys() %}{% endif %}", '/p/jinja2/t.html'), ["contains 'cart' 6"]);
    // A key named keys_seen is read, not tested; .keys.y is no test of 'x'.
    assert.deepEqual(contained("{% if 'cart' in request.session.keys_seen %}{% endif %}{% if 'x' in request.session.keys.y %}{% endif %}", '/p/templates/t.html'), ['read keys_seen 32']);
  });

  it('skips what the engines do not render: comments, and verbatim and raw blocks', () => {
    const keys = (text: string, file: string) => (templateSessionFacts(text, file)?.accesses ?? []).map((a) => `${a.range.start.line}:${a.key.kind === 'literal' ? a.key.value : '?'}`);
    const django = [
      '{% comment %}{{ request.session.a }}{% endcomment %}{{ request.session.shown }}',
      "{% comment 'why' %}",
      '{% if request.session.b %}{% endif %}',
      '{%endcomment%}',
      '{# {{ request.session.c }} #}',
      '{# over lines is text: Django renders',
      '{{ request.session.rendered }} #}',
      '{% verbatim js %}{{ request.session.d }}{% endverbatim %}{{ request.session.e }}{% endverbatim js %}',
      '{% commentary %}{{ request.session.tag }}',
    ].join('\n');
    assert.deepEqual(keys(django, '/p/shop/templates/shop/a.html'), ['0:shown', '6:rendered', '8:tag']);
    const jinja = ['{# over lines', '{{ request.session.a }} #}', "{%- raw -%}{{ request.session['b'] }}{%- endraw %}{{ request.session.get('shown') }}"].join('\n');
    assert.deepEqual(keys(jinja, '/p/shop/jinja2/shop/a.html'), ['2:shown']);
    assert.deepEqual(keys(jinja, '/p/shop/templates/shop/a.jinja'), ['2:shown']);
  });

  it('reads templates only in templates or jinja2 directories', () => {
    assert.ok(isTemplatePath('/p/shop/templates/shop/base.html'));
    assert.ok(isTemplatePath('/p/jinja2/mail.txt'));
    assert.ok(!isTemplatePath('/p/docs/index.html'), 'documentation is no template');
    assert.ok(!isTemplatePath('/p/shop/templates/logo.png'));
    // The client hands the server the editors of these files by the protocol's own spelling of the glob.
    assert.equal(TEMPLATE_DOCUMENTS.pattern, TEMPLATE_GLOB);
  });

  it('counts template reads in lint and scan, and lints the templates', async () => {
    const root = tempProject({ 'manage.py': MANAGE, 'shop/__init__.py': '', 'shop/settings.py': "SECRET_KEY = 'k'\n", 'shop/views.py': VIEWS, 'shop/templates/shop/base.html': TEMPLATE, 'docs/session.html': '{{ request.session.old }}', '.venv/lib/templates/x.html': '{{ request.session.old }}' });
    assert.deepEqual(findIndexedFiles(root).map((f) => path.relative(root, f)), ['manage.py', 'shop/__init__.py', 'shop/settings.py', 'shop/templates/shop/base.html', 'shop/views.py']);
    const findings = (await lintProject(root, { env: {} })).map((d) => [path.relative(root, d.file), d.code, d.message.match(/'(\w+)'/)?.[1]]);
    assert.deepEqual(findings, [
      ['shop/templates/shop/base.html', 'DS101', 'crat'],
      ['shop/views.py', 'DS102', 'old'],
    ]);
    const scanned = scanJson(await scanProject(root, { env: {} }), root);
    assert.deepEqual((scanned.usages as { file: string; key: string; op: string }[]).filter((u) => u.file.endsWith('.html')).map((u) => `${u.op} ${u.key}`), ['read banner', 'read banner', 'contains seen', 'contains cart', 'read cart', 'get cart', 'read crat']);
  });
});
