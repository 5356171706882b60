import * as assert from 'node:assert/strict';
import { parseStoreUrl } from '../../../engine/src';
import { oversizedData } from '../../../engine/src/stores/storedDataLimit';
import { renderSessionDocument, sessionDocumentEdit, sessionDocumentMistake } from '../../../server/src/sessionDocument';

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

describe('sessionDocumentEdit', () => {
  const header = '// Django session abcd••••••••\n// version 0123456789abcdef0123456789abcdef\n';
  const refusal = (body: string) => {
    try {
      sessionDocumentEdit(header + body);
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail('accepted');
  };

  it("names the line and column of a JSON error, without Python's dangling \"at\"", () => {
    // A quote typed after a comma: the string it opens runs into the line break.
    assert.match(refusal('{\n  "currency": "CHF","\n  "n": 1\n}'), /^Line 4, column 22: Invalid control character\. Nothing was written/);
    assert.match(refusal('{\n  "currency": "CHF'), /^Line 4, column 15: Unterminated string\. Nothing was written/);
    assert.match(refusal('{\n  "n": \n}'), /^Line 5, column 1: Expecting value\. Nothing was written/);
  });

  it('refuses data nested deeper than Django can load, and takes it one level less deep', () => {
    const nested = (lists: number) => `{"a": ${'['.repeat(lists)}${']'.repeat(lists)}}`;
    assert.match(refusal(nested(500)), /^The session data's lists or dicts nest too deep: Django could load the session only up to 500 levels .*; nothing was written\. Nest its lists and dicts less deep\.$/);
    assert.equal(sessionDocumentEdit(header + nested(499)).data.size, 1);
    assert.match(sessionDocumentMistake(header + nested(500), STORE)!.what, /nest too deep/, 'marked as typed, as a save would refuse it');
  });
});

describe('sessionDocumentMistake', () => {
  const header = '// Django session abcd••••••••\n// version 0123456789abcdef0123456789abcdef\n';
  const place = (body: string) => {
    const mistake = sessionDocumentMistake(header + body, STORE);
    return mistake && [mistake.line, mistake.character, mistake.end];
  };

  it("marks the data's own _session_expiry entry, not the key in a nested object or as a value", () => {
    // Text, which Django before 4.1 (the unknown version is taken as 3.2) fails on.
    assert.deepEqual(place('{\n  "_session_expiry": "abc",\n  "wizard": {"_session_expiry": 5}\n}'), [3, 2, 26]);
    assert.deepEqual(place('{\n  "_session_expiry": "abc",\n  "last_edited": "_session_expiry"\n}'), [3, 2, 26]);
    assert.deepEqual(place('{"w": {"_session_expiry": 5}, "_session_expiry": "abc", "n": 1}'), [2, 30, 54]);
    assert.deepEqual(place('{\n  "n": 1,\n  "_session_expiry": "abc"\n}'), [4, 2, 26]);
  });
});
