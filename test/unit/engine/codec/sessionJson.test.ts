import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, PyOrderedDict, PySet, PyTimezone, PyTuple, isJsonShaped, parseSessionJson, sessionToDisplayJson } from '../../../../engine/src/codec';

describe('codec: session JSON for the CLI', () => {
  it('reads user JSON as json.loads does, keeping big ints and floats apart', () => {
    const d = parseSessionJson('{"n": 12345678901234567890, "f": 1.0, "cart": [1, 2]}');
    assert.equal(d.get('n'), 12345678901234567890n);
    assert.equal(d.get('f'), 1);
    assert.equal(sessionToDisplayJson(d), '{"n":12345678901234567890,"f":1.0,"cart":[1,2]}');
  });

  it('refuses JSON that is not an object', () => {
    assert.throws(() => parseSessionJson('[1]'), { code: 'not-a-dict' });
    assert.throws(() => parseSessionJson('{'), { code: 'bad-json' });
  });

  it('shows pickled values JSON cannot hold as their repr', () => {
    const d = new PyDict([
      ['_session_expiry', new PyDatetime(2030, 1, 1, 0, 0, 0, 0, PyTimezone.utc)],
      [7n, new PySet([1n])],
    ]);
    assert.equal(sessionToDisplayJson(d), '{"_session_expiry":"datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)","7":"{1}"}');
  });

  it('indents as json.dumps(data, indent=2) does, empty containers kept on one line', () => {
    const d = parseSessionJson('{"cart": {"12": 2, "7": 1}, "n": 12345678901234567890, "f": 1.0, "empty": [], "e2": {}, "nested": [[1, []], {"a": null, "b": true}], "u": "Zo\\u00eb \\u2603"}');
    // Python 3.11: print(json.dumps(d, indent=2)) for the same dict.
    const python = [
      '{',
      '  "cart": {',
      '    "12": 2,',
      '    "7": 1',
      '  },',
      '  "n": 12345678901234567890,',
      '  "f": 1.0,',
      '  "empty": [],',
      '  "e2": {},',
      '  "nested": [',
      '    [',
      '      1,',
      '      []',
      '    ],',
      '    {',
      '      "a": null,',
      '      "b": true',
      '    }',
      '  ],',
      '  "u": "Zo\\u00eb \\u2603"',
      '}',
    ].join('\n');
    assert.equal(sessionToDisplayJson(d, 2), python);
    assert.equal(isJsonShaped(d), true);
  });

  it('tells data JSON shows exactly from data with values shown as their repr', () => {
    assert.equal(isJsonShaped(new PyDict([['when', new PyDatetime(2030, 1, 1, 0, 0, 0, 0, PyTimezone.utc)]])), false);
    assert.equal(isJsonShaped(new PyDict([[7n, 'x']])), false);
    assert.equal(isJsonShaped(new PyDict([['tags', [new PySet(['a'])]]])), false);
    assert.equal(isJsonShaped(new PyDict([['pos', new PyTuple([1n, 2n])]])), false, 'a tuple shows as an array, which reads back as a list');
    assert.equal(isJsonShaped(new PyDict([['steps', new PyOrderedDict([['z', 1n]])]])), false, 'an OrderedDict shows as an object, which reads back as a dict');
  });
});
