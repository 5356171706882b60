import * as assert from 'node:assert/strict';
import { projectWithSettings } from './settingsProject';

describe('a bytes literal in the settings', () => {
  it('is the text whose UTF-8 is its bytes, escapes decoded as Python decodes them in bytes', async () => {
    const project = await projectWithSettings(String.raw`SECRET_KEY = b"k-\xc3\xa9\101\n\\\q-" + rb"\x" b'z'` + '\n');
    assert.deepEqual(project.stores[0]!.secretKeys.values, ['k-éA\n\\\\q-\\xz']);
  });

  it('is unknown, with the reason, where its bytes are not UTF-8', async () => {
    const project = await projectWithSettings(String.raw`SECRET_KEY = b"\xff-key"` + '\n');
    assert.deepEqual(project.stores[0]!.secretKeys.values, []);
    assert.match(project.stores[0]!.secretKeys.missing ?? '', /bytes value that is not UTF-8/);
  });
});
