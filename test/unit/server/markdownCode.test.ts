import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SessionKeyIndex } from '../../../engine/src';
import { tempProject } from '../engine/project/tempProject';
import { hoverSessionKey, hoverSessionSetting } from '../../../server/src/hover';
import { markdownCode } from '../../../server/src/markdownCode';
import { ProjectModel } from '../../../server/src/projectModel';

/** A repository's text with a backtick, then an image from another host and a link: the rest of a code span, as Markdown reads it. */
const PAYLOAD = 'a`![i](https://example.com/p.png) [x](https://example.com)`';
const FILES: Record<string, string> = {
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
  'shop/__init__.py': '',
  'shop/settings.py': `SESSION_COOKIE_NAME = '${PAYLOAD}'\n`,
  'shop/views.py': `def v(request):\n    request.session['${PAYLOAD}'] = 1\n`,
};

/** What is outside every code span of `markdown`, as CommonMark pairs backtick runs of one length. */
function outsideCode(markdown: string): string {
  return markdown.replace(/(`+)[^`]*?(?:`(?!\1)[^`]*?)*\1(?!`)/g, '');
}

describe('markdownCode', () => {
  it('fences text with more backticks than it holds in a row', () => {
    assert.equal(markdownCode('cart'), '`cart`');
    assert.equal(markdownCode('a`b'), '`` a`b ``');
    assert.equal(markdownCode('a``b\nc'), '``` a``b c ```');
  });

  describe('in hovers over a project whose key and setting value hold a backtick', () => {
    let root: string;
    let index: SessionKeyIndex;
    const file = (name: string) => path.join(root, name);
    before(async () => {
      root = tempProject(FILES, 'ds-server-markdown-');
      index = await SessionKeyIndex.create();
      index.addRoot(root);
      for (const name of Object.keys(FILES)) index.updateFile(file(name), FILES[name]!);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("keeps the key inside its code span, so no image or link of the project's is rendered", () => {
      const value = (hoverSessionKey(index, file('shop/views.py'), 1, 22, root)?.contents as { value: string }).value;
      assert.ok(value.startsWith(`**session key** \`\` ${PAYLOAD} \`\``), value);
      assert.doesNotMatch(outsideCode(value), /example\.com/);
    });

    it("keeps the setting's value inside its code span", async () => {
      const model = new ProjectModel(
        () => [root],
        () => ({ storeUrl: '', settingsModules: {} }),
      );
      const scope = await model.settingScope(file('shop/settings.py'));
      const value = (hoverSessionSetting(index.python, FILES['shop/settings.py']!, { line: 0, character: 3 }, scope, root)?.contents as { value: string }).value;
      assert.match(value, /This project: ``+ '/);
      assert.doesNotMatch(outsideCode(value), /example\.com/);
    });
  });
});
