import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';

const EXTENSION_ID = 'django-sessions.django-sessions';

/** The running extension's API, once its server has indexed the workspace and listed its stores. */
export async function readyApi(): Promise<DjangoSessionsApi> {
  const extension = vscode.extensions.getExtension<DjangoSessionsApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready;
  return api;
}
