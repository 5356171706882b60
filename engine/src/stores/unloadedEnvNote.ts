import * as path from 'node:path';
import type { StoreDescriptor } from './storeDescriptor';

const SHOWN_NAMES = 6;

/**
 * Says which variables the store's settings took from a project `.env` that nothing in them
 * loads: right where docker-compose, direnv, pipenv or the editor loads that file for Django,
 * wrong where Django runs without it (GeoNode's and wger's docker-compose `.env`). `showFile`
 * writes a file's path as the caller shows paths (relative to the working directory or folder).
 */
export function unloadedEnvNote(descriptor: Pick<StoreDescriptor, 'unloadedEnv'>, showFile: (file: string) => string): string | undefined {
  const unloaded = descriptor.unloadedEnv;
  if (!unloaded) {
    return undefined;
  }
  const names = unloaded.names.length > SHOWN_NAMES ? `${unloaded.names.slice(0, SHOWN_NAMES).join(', ')} and ${unloaded.names.length - SHOWN_NAMES} more` : unloaded.names.join(', ');
  const files = unloaded.files.map(showFile).join(' and ');
  return `${names} ${unloaded.names.length === 1 ? 'comes' : 'come'} from ${files}, which the settings do not load themselves; they are what Django uses only where something loads that file for it (docker-compose, direnv, pipenv, the editor's debugger)`;
}

/**
 * For a signature that does not verify, the likely cause where the key is not surely Django's:
 * read from a `.env` nothing in the settings loads, or the settings' default for a variable not
 * set here, which Django may well run with.
 */
export function unloadedKeyHint(descriptor: Pick<StoreDescriptor, 'secretKeys' | 'unloadedEnv'>): string | undefined {
  const { unloadedEnvVariable: variable, defaultFor } = descriptor.secretKeys;
  if (variable !== undefined) {
    const files = descriptor.unloadedEnv?.files.map((file) => path.basename(file)).join(' or ');
    return `the SECRET_KEY was read from ${variable} in ${files ?? '.env'}, which the settings do not load themselves: if Django runs without that file, it signs with another key`;
  }
  return defaultFor === undefined
    ? undefined
    : `the SECRET_KEY here is the settings' default for ${defaultFor}, which is not set here: if Django runs with ${defaultFor} set, it signs with that key; set it where VS Code or the CLI runs`;
}
