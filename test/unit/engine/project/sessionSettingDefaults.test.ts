import * as assert from 'node:assert/strict';
import { serializerKind } from '../../../../engine/src/project/sessionSettingDefaults';

describe('serializerKind', () => {
  it("takes every importable path of Django's JSONSerializer as JSON (sessions' JSONSerializer is django.core.signing's)", () => {
    for (const path of ['django.contrib.sessions.serializers.JSONSerializer', 'django.core.signing.JSONSerializer', 'django.contrib.sessions.serializers.BaseJSONSerializer']) {
      assert.equal(serializerKind(path), 'json', path);
    }
  });

  it('tells pickle and the project’s own serializers apart', () => {
    assert.equal(serializerKind('django.contrib.sessions.serializers.PickleSerializer'), 'pickle');
    assert.equal(serializerKind('myapp.serializers.JSONSerializer'), 'custom');
  });
});
