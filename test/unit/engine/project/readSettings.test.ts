import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { READ_SETTINGS } from '../../../../engine/src/project/unfollowedEffects';

describe('READ_SETTINGS', () => {
  // Code that may set any setting makes these unknown; one missing here would keep its Django default as if known.
  it('lists every setting discovery and the lint rules read', () => {
    const engine = path.resolve(__dirname, '../../../../engine/src');
    const sources = ['project/storeDescriptors.ts', 'project/settingsReader.ts', 'analysis/lint/settingsRules.ts', 'analysis/lint/deploySessionChecks.ts'].map((file) => fs.readFileSync(path.join(engine, file), 'utf8'));
    const read = new Set(sources.flatMap((text) => [...text.matchAll(/(?:reader\.\w+|byName\.get|value)\('([A-Z][A-Z0-9_]+)'/g)].map((match) => match[1]!)));
    assert.ok(read.size > 10);
    assert.deepEqual([...read].filter((name) => !READ_SETTINGS.includes(name)), []);
  });
});
