import type { SecretKeys } from '../stores/storeDescriptor';
import type { SettingsReader } from './settingsReader';
import type { SettingValue } from './settingValue';

/** Why an empty or None SECRET_KEY is none: Django refuses it ("The SECRET_KEY setting must not be empty."). */
function emptySecretKey(secret: SettingValue): string {
  // The usual case: a key from the environment, whose None default stands where the variable is not set (umap's env('SECRET_KEY', default=None)).
  if (secret.kind === 'none' && secret.unsetVar) {
    return `needs environment variable ${secret.unsetVar} (without it SECRET_KEY is None, and Django refuses to run with an empty SECRET_KEY)`;
  }
  const what = secret.kind === 'str' ? `empty${secret.envVar ? ` (environment variable ${secret.envVar} is set to '')` : ''}` : 'None';
  return `SECRET_KEY is ${what}, and Django refuses to run with an empty SECRET_KEY`;
}

/** SECRET_KEY, then SECRET_KEY_FALLBACKS where the Django version has them (4.1+, or unknown). */
export function secretKeys(reader: SettingsReader, withFallbacks: boolean): SecretKeys {
  const keys: SecretKeys = { values: [], source: reader.location('SECRET_KEY') };
  const secret = reader.value('SECRET_KEY', { kind: 'unknown', reason: 'SECRET_KEY is not set in the settings' });
  if (secret?.kind === 'str' && secret.value !== '') {
    keys.values.push(secret.value);
    if (secret.defaultFor !== undefined) {
      keys.defaultFor = secret.defaultFor;
    }
  } else {
    keys.missing = secret?.kind === 'unknown' ? secret.reason : secret?.kind === 'str' || secret?.kind === 'none' ? emptySecretKey(secret) : 'SECRET_KEY is not a string';
    return keys;
  }
  if (!withFallbacks) {
    return keys;
  }
  const fallbacks = reader.value('SECRET_KEY_FALLBACKS', { kind: 'list', items: [] });
  if (fallbacks?.kind === 'list' || fallbacks?.kind === 'tuple') {
    for (const item of fallbacks.items) {
      if (item.kind === 'str') {
        keys.values.push(item.value);
      } else {
        keys.missing = `SECRET_KEY_FALLBACKS: ${item.kind === 'unknown' ? item.reason : 'an item is not a string'}`;
      }
    }
  } else if (fallbacks?.kind === 'unknown') {
    keys.missing = `SECRET_KEY_FALLBACKS: ${fallbacks.reason}`;
  }
  return keys;
}
