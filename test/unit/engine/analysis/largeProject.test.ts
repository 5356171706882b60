import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects } from '../../../../engine/src/project';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { generateLargeProject, type LargeProjectManifest } from './largeProject';

describe('a generated 1,000+ file project', function () {
  this.timeout(120_000);
  let manifest: LargeProjectManifest;
  let index: SessionKeyIndex;

  before(async () => {
    manifest = generateLargeProject(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-large-')), 1200);
    index = await SessionKeyIndex.create();
    await indexDirectory(index, manifest.root);
  });

  after(() => fs.rmSync(manifest.root, { recursive: true, force: true }));

  it('has the size and shape asked for', () => {
    assert.ok(manifest.pythonFiles >= 1000, `${manifest.pythonFiles} indexable Python files`);
  });

  it('finds exactly the generated usages, skipping migrations and the virtualenv', () => {
    const usages = index.usages();
    assert.equal(usages.length, manifest.usages);
    assert.equal(usages.filter((u) => u.inTest).length, manifest.testUsages);
    assert.deepEqual(new Set(usages.map((u) => u.key)), manifest.keys);
    assert.equal(index.unresolved().length, manifest.unresolved);
  });

  it('resolves the split settings', async () => {
    const [project] = await discoverProjects(manifest.root, { env: {} });
    assert.equal(project?.settingsModule, 'config.settings.dev');
    assert.equal(project?.stores[0]?.cookieAgeSeconds, 28800);
    assert.deepEqual(project?.stores[0]?.database, { vendor: 'sqlite', path: path.join(manifest.root, 'db.sqlite3') });
    assert.deepEqual(project?.problems, []);
  });

  it('re-indexes one edited file without a rescan', () => {
    const views = path.join(manifest.root, 'app0000', 'views.py');
    index.updateFile(views, fs.readFileSync(views, 'utf8').replace('"theme" in request.session', '"colour" in request.session'));
    assert.equal(index.keys().get('colour')?.length, 1);
    assert.equal(index.usages().length, manifest.usages);
  });
});
