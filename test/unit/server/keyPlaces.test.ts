import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSessionKeys, SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';
import { hoverSessionKey } from '../../../server/src/hover';
import { sessionKeyReferences } from '../../../server/src/navigation';
import { positionOf } from './positionOf';

const root = '/proj';
const keys = '/proj/core/keys.py';
const views = '/proj/core/views.py';
const tests = '/proj/core/tests.py';
const files: Record<string, string> = {
  [keys]: 'TZ = "django_timezone"\n',
  '/proj/core/middleware.py': 'from core.keys import TZ\ndef zone(request):\n    return request.session.get(TZ)\n',
  [views]: [
    'def reset(request):',
    '    for key in ("django_timezone",):',
    '        if key in request.session:',
    '            del request.session[key]',
    '    request.session["django_timezone"] = "UTC"',
    '    return request.session.get("currency", "EUR")',
    '',
  ].join('\n'),
  [tests]: ['from django.test import TestCase', 'class T(TestCase):', '    def test_it(self):', '        self.client.session["currency"] = "USD"', ''].join('\n'),
};

describe('session-key places, each once', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot(root);
    for (const [file, source] of Object.entries(files)) index.updateFile(file, source);
  });

  it('reports a finding once where one literal keys two accesses (a loop key tested, then deleted)', () => {
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS106').map((d) => `${d.range.start.line}:${d.range.start.character}`);
    assert.deepEqual(found, ['1:16', '4:20'], 'the tuple literal once, and the subscript');
  });

  it('lists that literal once among the references, and counts it as one place in hover', () => {
    const p = positionOf(files[views]!, '("django_timezone"', 3);
    const refs = sessionKeyReferences(index, views, p.line, p.character, false)!;
    assert.deepEqual(refs.map((r) => `${r.uri.slice(-13)} ${r.range.start.line}:${r.range.start.character}`).sort(), ['middleware.py 2:31', 'core/views.py 1:16', 'core/views.py 4:20'].sort());
    const hover = (hoverSessionKey(index, views, p.line, p.character, root)?.contents as { value: string }).value;
    assert.match(hover, /Written in 1 place, read in 2 places\./);
  });

  it("does not count a test client's session change that nothing saves as a write, in hover or completion", () => {
    const p = positionOf(files[views]!, '"currency"', 2);
    const hover = (hoverSessionKey(index, views, p.line, p.character, root)?.contents as { value: string }).value;
    assert.match(hover, /Written in 0 places, read in 1 place\./);
    assert.match(hover, /Nothing in this project writes this key/);
    const document = TextDocument.create('file:///proj/core/new.py', 'python', 1, 'def v(request):\n    return request.session[""]\n');
    const offered = completeSessionKeys(index, document, '/proj/core/new.py', 1, 28, root)?.items ?? [];
    assert.deepEqual(offered.filter((i) => i.label === 'currency' || i.label === 'django_timezone').map((i) => `${i.label} ${i.detail}`), ['django_timezone session key · written in 1 place']);
    assert.match((offered[0]!.documentation as { value: string }).value, /^- `core\/views\.py:5` \(set\)$/, 'named by its path in the project');
  });
});
