import * as assert from 'node:assert/strict';
import { lintSettings } from '../../../../engine/src/analysis/lint/settingsRules';
import { projectWithSettings } from '../project/settingsProject';

/** The DS206/DS207 findings for settings naming `app.serializers.<cls>` in a project whose serializers module is `module`. */
async function findings(module: string, cls = 'PickleSerializer', settings = ''): Promise<string[]> {
  const project = await projectWithSettings(`SECRET_KEY = "k"\nSESSION_SERIALIZER = "app.serializers.${cls}"\n${settings}`, { 'app/serializers.py': module, 'requirements.txt': 'Django==5.1\n' });
  return lintSettings(project)
    .filter((d) => d.code === 'DS206' || d.code === 'DS207')
    .map((d) => `${d.code} ${d.message.slice(0, d.message.indexOf(')') + 1)}`);
}

describe("DS206 and DS207: a project's own serializer that unpickles (LFS's PickleSerializer for Django 5)", () => {
  it('reports one whose class calls pickle.loads, a load imported from pickle, or subclasses a PickleSerializer, at the call', async () => {
    const lfs = 'import pickle\n\nclass PickleSerializer:\n    def dumps(self, obj):\n        return pickle.dumps(obj)\n\n    def loads(self, data):\n        return pickle.loads(data)\n';
    assert.deepEqual(await findings(lfs), ["DS206 SESSION_SERIALIZER 'app.serializers.PickleSerializer' unpickles session data (app/serializers.py:8)"]);
    const imported = 'from pickle import dumps, loads as unpickle\n\nclass Fast:\n    def loads(self, data):\n        return unpickle(data)\n';
    assert.deepEqual(await findings(imported, 'Fast'), ["DS206 SESSION_SERIALIZER 'app.serializers.Fast' unpickles session data (app/serializers.py:5)"]);
    const subclass = 'from django.contrib.sessions.serializers import PickleSerializer\n\nclass Kept(PickleSerializer):\n    pass\n';
    assert.deepEqual(await findings(subclass, 'Kept', 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n'), [
      "DS206 SESSION_SERIALIZER 'app.serializers.Kept' unpickles session data (app/serializers.py:3)",
      'DS207 signed_cookies with a serializer that unpickles (app/serializers.py:3)',
    ]);
  });

  it('is quiet for a JSON serializer of the project, and for another class of the module that unpickles', async () => {
    const module = 'import json, pickle\n\nclass Compact:\n    def loads(self, data):\n        return json.loads(data)\n\nclass Legacy:\n    def loads(self, data):\n        return pickle.loads(data)\n';
    assert.deepEqual(await findings(module, 'Compact'), []);
  });
});
