import * as assert from 'node:assert/strict';
import { projectWithSettings } from './settingsProject';

describe('a syntax error in the settings', () => {
  it('is named with its line, and a setting reported missing says the error may hide it', async () => {
    const project = await projectWithSettings('SECRET_KEY = "k"\nINSTALLED_APPS = ["django.contrib.sessions"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
    const messages = project.problems.map((problem) => `${problem.location?.line}: ${problem.message}`);
    assert.ok(messages.includes('2: syntax error in the settings; this part is skipped'), messages.join('\n'));
    assert.ok(messages.some((message) => /DATABASES is not set in the settings \(or it is in what the syntax error at app\/settings\.py:2 hides: fix that first\)$/.test(message)), messages.join('\n'));
  });
});
