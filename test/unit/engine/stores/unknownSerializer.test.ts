import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSessionData, encodeSessionData, openStore, PyDict, StoreError } from '../../../../engine/src';
import { discoverProjects } from '../../../../engine/src/project';
import { tempProject } from '../project/tempProject';

const K = 'k'.repeat(50);

describe('a SESSION_SERIALIZER the settings set but static reading cannot tell', () => {
  it("is no guess at JSON: the store reads pickled and JSON sessions as what they are, and writes none (django-hijack's version-conditional pickle)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': [
        'import django',
        `SECRET_KEY = "${K}"`,
        'SESSION_ENGINE = "django.contrib.sessions.backends.file"',
        'SESSION_FILE_PATH = "sessions"',
        'if django.VERSION < (4, 0):',
        '    SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"',
        '',
      ].join('\n'),
    });
    fs.mkdirSync(path.join(root, 'sessions'));
    const data = new PyDict([['hijack_history', ['1']]]);
    const pickled = 'p'.repeat(31) + '1';
    const json = 'j'.repeat(31) + '2';
    fs.writeFileSync(path.join(root, 'sessions', `sessionid${pickled}`), encodeSessionData(data, { secretKeys: [K], serializer: 'pickle' }));
    fs.writeFileSync(path.join(root, 'sessions', `sessionid${json}`), encodeSessionData(data, { secretKeys: [K] }));
    const [project] = await discoverProjects(root, { env: {} });
    const descriptor = project!.stores[0]!;
    assert.equal(descriptor.serializer, 'unknown');
    assert.ok(project!.problems.some((p) => p.message.startsWith('SESSION_SERIALIZER: ')));
    const store = await openStore(descriptor);
    try {
      const page = await store.list({ limit: 10 });
      assert.deepEqual(page.sessions.map((s) => [s.key, s.decoded.ok && s.decoded.session.data.get('hijack_history')]).sort(), [[json, ['1']], [pickled, ['1']]]);
      await assert.rejects(store.clear(json), (err: unknown) => err instanceof StoreError && /SESSION_SERIALIZER cannot be read statically/.test(err.message));
    } finally {
      await store.close();
    }
  });

  it("is detected by the codec from the data's first byte when asked to", () => {
    const data = new PyDict([['n', 1n]]);
    for (const serializer of ['json', 'pickle'] as const) {
      const encoded = encodeSessionData(data, { secretKeys: [K], serializer, compress: false });
      assert.equal(decodeSessionData(encoded, { secretKeys: [K], serializer: 'detect' }).data.get('n'), 1n, serializer);
    }
  });
});
