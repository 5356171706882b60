import * as assert from 'node:assert/strict';
import { parseStoreUrl } from '../../../engine/src';
import { oversizedData } from '../../../engine/src/stores/storedDataLimit';
import { renderSessionDocument } from '../../../server/src/sessionDocument';

const STORE = parseStoreUrl('file:///srv/sessions', '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });

describe('renderSessionDocument', () => {
  it('shows the stored text of data it cannot decode', () => {
    const { text, editable } = renderSessionDocument({ key: 'a'.repeat(32), raw: 'not-base64!', decoded: { ok: false, code: 'bad-base64', message: 'Invalid base64' } }, STORE, 'file', true);
    assert.equal(editable, false);
    assert.match(text, /\/\/ The stored data, as it is:\n"not-base64!"\n$/);
  });

  it('shows no stored text for data too large to be read, which stands for none', () => {
    const { text, editable } = renderSessionDocument({ key: 'a'.repeat(32), raw: '\u0100999999999:1:2', decoded: oversizedData(999_999_999) }, STORE, 'file', true);
    assert.equal(editable, false);
    assert.match(text, /Cannot decode: The stored session data is 999999999 bytes/);
    assert.doesNotMatch(text, /stored data, as it is|\u0100/);
  });
});
