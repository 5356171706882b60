import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { nonUtf8File } from '../../../server/src/nonUtf8File';
import { prepareSessionKeyRename, renameSessionKey } from '../../../server/src/rename';
import { tempProject } from '../engine/project/tempProject';
import { positionOf } from './positionOf';

describe('rename across a file that is not UTF-8 (a Latin-1 module VS Code would rewrite with U+FFFD)', () => {
  it('is refused, naming the file, where the editor has not opened it; a UTF-8 file takes the edit', async () => {
    const reader = 'def show(request):\n    return request.session["latin"]\n';
    const root = tempProject({ 'shop/reader.py': reader });
    const legacy = path.join(root, 'shop/legacy_latin1.py');
    fs.writeFileSync(legacy, Buffer.from('# -*- coding: latin-1 -*-\ndef store(request):\n    request.session["latin"] = "na\xefve"\n', 'latin1'));
    try {
      const index = await SessionKeyIndex.create();
      index.addRoot(root);
      const files = { [path.join(root, 'shop/reader.py')]: reader, [legacy]: fs.readFileSync(legacy, 'latin1') };
      for (const [file, text] of Object.entries(files)) index.updateFile(file, text);
      const text = (file: string) => files[file];
      const at = positionOf(reader, '"latin"', 1);
      const readerFile = path.join(root, 'shop/reader.py');
      const refused = renameSessionKey(index, text, readerFile, at.line, at.character, 'latin_value', { unsafeToEdit: nonUtf8File });
      assert.ok(refused instanceof ResponseError);
      assert.match(refused.message, /legacy_latin1\.py:3 is in a file that is not UTF-8/);
      assert.ok(prepareSessionKeyRename(index, text, readerFile, at.line, at.character, undefined, nonUtf8File) instanceof ResponseError);
      // Open in the editor (decoded as the user chose), it takes the edit.
      const open = renameSessionKey(index, text, readerFile, at.line, at.character, 'latin_value', { unsafeToEdit: () => undefined });
      assert.ok(!(open instanceof ResponseError) && open !== undefined);
      assert.equal(nonUtf8File(readerFile), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
