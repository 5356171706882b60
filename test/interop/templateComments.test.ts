import * as assert from 'node:assert/strict';
import { templateSessionFacts } from '../../engine/src/analysis/templateSessionReads';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';

/** Templates whose comments and verbatim blocks hold session reads Django does not render, beside ones it does. */
const TEMPLATES = [
  '{% comment %}{{ request.session.also_commented }}{% endcomment %}{{ request.session.shown }}',
  "{% comment 'why' %}\n{% if request.session.hidden %}{% endif %}\n{%endcomment%}{% if request.session.tested %}{% endif %}",
  '{# {{ request.session.hash_commented }} #}{{ request.session.after }}',
  '{# over lines is text,\n{{ request.session.rendered }} #}',
  '{% verbatim js %}{{ request.session.raw }}{% endverbatim %}{{ request.session.still_raw }}{% endverbatim js %}{{ request.session.last }}',
];

/** The keys the index reads from each template, as a Django template under templates/. */
function indexed(): string[][] {
  return TEMPLATES.map((text) => (templateSessionFacts(text, '/p/shop/templates/shop/a.html')?.accesses ?? []).map((a) => (a.key.kind === 'literal' ? a.key.value : '?')));
}

describe('template reads against real Django: comments and verbatim blocks are not rendered', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  it('Django 3.2 looks up exactly the keys the index reads', () => {
    const django = runDjangoScript<{ version: string; reads: string[][] }>('template_session_reads.py', [], TEMPLATES);
    assert.deepEqual(django.reads, [['shown'], ['tested'], ['after'], ['rendered'], ['last']]);
    assert.deepEqual(indexed(), django.reads);
  });

  it('Django 5.2 too', function () {
    const dir = requireDjango52(this);
    const django = runDjangoScript<{ version: string; reads: string[][] }>('template_session_reads.py', [], TEMPLATES, dir);
    assert.match(django.version, /^5\.2/);
    assert.deepEqual(indexed(), django.reads);
  });
});
