import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverUnresolvedKey } from '../../../server/src/hover';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const views = '/proj/shop/views.py';
const VIEWS = [
  'BASE = "x"',
  'FIELD = "%s_field" % BASE',
  '',
  '',
  'def show(request, name):',
  '    a = request.session[FIELD]',
  '    b = request.session.get(f"step_{name}")',
  '    request.session[5] = "x"',
  String.raw`    request.session["caf\N{LATIN SMALL LETTER E WITH ACUTE}"] = 1`,
  '    return a, b',
  '',
].join('\n');

describe('hover on a session key computed at run time', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, VIEWS);
  });

  const hover = (needle: string) => {
    return hoverUnresolvedKey(index, views, positionOf(VIEWS, needle, 2));
  };

  it('tells why a literal that names a character by its Unicode name is no key it can read, instead of taking the escape as the key', () => {
    const shown = hover('["caf');
    assert.equal(
      (shown?.contents as MarkupContent).value,
      '**session key** computed at run time\n\nWhich key this is cannot be told from the code: the key names a character by its Unicode name (\\N{…}), which is not looked up here.',
    );
    assert.deepEqual([...index.keys(views).keys()], []);
  });

  it('says the key cannot be told and why, as scan --json does', () => {
    const shown = hover('[FIELD]');
    assert.equal(
      (shown?.contents as MarkupContent).value,
      '**session key** computed at run time\n\nWhich key this is cannot be told from the code: the key is the constant FIELD (shop/views.py:2), bound to something other than a str literal.',
    );
    assert.deepEqual(shown?.range, { start: { line: 5, character: 24 }, end: { line: 5, character: 29 } });
  });

  it('calls a literal key that is no str what it is, not computed', () => {
    const shown = (hover('[5]')?.contents as MarkupContent).value;
    assert.match(shown, /^\*\*session key\*\* that is not a str\n\n/);
    assert.doesNotMatch(shown, /computed at run time/);
  });

  it('tells how the key starts where that is known', () => {
    assert.match((hover('f"step_')?.contents as MarkupContent).value, /the key is an f-string with placeholders\.\n\nIt starts with `step_`\.$/);
  });
});

describe('the language server hovering a session key computed at run time', () => {
  it('answers with the reason', async () => {
    const root = tempProject({ 'shop/views.py': VIEWS });
    const server = await startLanguageServer([root]);
    try {
      const { line, character } = positionOf(VIEWS, '[FIELD]', 2);
      const shown = await server.at<Hover | null>('textDocument/hover', path.join(root, 'shop', 'views.py'), line, character);
      assert.match((shown?.contents as MarkupContent | undefined)?.value ?? '', /^\*\*session key\*\* computed at run time\n\nWhich key this is cannot be told from the code: the key is the constant FIELD/);
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
