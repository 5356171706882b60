import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';

const views = '/proj/shop/views.py';
const source = ['def add(request):', '    request.session["cart"] = 1', '    request.session["next"] = "/"', '    return request.session["'].join('\n');

describe('completion of the keys installed third-party apps write', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const complete = (installedApps?: readonly string[]) => {
    const document = TextDocument.create(`file://${views}`, 'python', 1, source);
    return completeSessionKeys(index, document, views, 3, 28, '/', installedApps)?.items.map((i) => `${i.sortText} ${i.label} · ${i.detail}`);
  };

  it("offers the exact keys an installed app writes after the project's own, naming the app, and no prefix", () => {
    assert.deepEqual(complete(['django.contrib.sessions', 'hijack.apps.HijackConfig', 'social_django', 'formtools', 'cms']), [
      '0cart cart · session key · written in 1 place',
      '0next next · session key · written in 1 place',
      '2partial_pipeline_token partial_pipeline_token · session key · written by social-auth-app-django',
      '2social_auth_last_login_backend social_auth_last_login_backend · session key · written by social-auth-app-django',
      '2email_validation_address email_validation_address · session key · written by social-auth-app-django',
      '2partial_pipeline partial_pipeline · session key · written by python-social-auth',
      '2hijack_history hijack_history · session key · written by django-hijack',
      '2cms_edit cms_edit · session key · written by django-cms',
      '2cms_preview cms_preview · session key · written by django-cms',
      '2cms_admin_site cms_admin_site · session key · written by django-cms',
    ]);
  });

  it("documents the key with the app's description", () => {
    const document = TextDocument.create(`file://${views}`, 'python', 1, source);
    const item = completeSessionKeys(index, document, views, 3, 28, '/', ['hijack'])?.items.find((i) => i.label === 'hijack_history');
    assert.deepEqual(item?.documentation, {
      kind: 'markdown',
      value: 'The primary keys of the hijacking users, as strings, the last one released first.\n\nWritten by the installed app django-hijack (`hijack`).',
    });
    assert.deepEqual(item?.textEdit, { range: { start: { line: 3, character: 28 }, end: { line: 3, character: 28 } }, newText: 'hijack_history' });
  });

  it('offers none when INSTALLED_APPS is unknown or installs none of them', () => {
    const own = ['0cart cart · session key · written in 1 place', '0next next · session key · written in 1 place'];
    assert.deepEqual(complete(undefined), own);
    assert.deepEqual(complete(['django.contrib.sessions', 'hijack_extras']), own);
  });
});
