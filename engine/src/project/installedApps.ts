import type { ResolvedSetting } from './discoverProjects';

/**
 * INSTALLED_APPS as the settings give it statically: a list or tuple of strs, however it was
 * built (literals, `+=`, `+`, append/extend, split settings). Undefined when an entry or the
 * whole is unknown, or when the settings read do not set it: a module they import that could
 * not be read may set it, and Django's empty default installs no app that uses the session.
 */
export function installedApps(project: { settings: readonly ResolvedSetting[] }): string[] | undefined {
  const value = project.settings.find((setting) => setting.name === 'INSTALLED_APPS')?.value;
  if (value?.kind !== 'list' && value?.kind !== 'tuple') {
    return undefined;
  }
  const entries: string[] = [];
  for (const item of value.items) {
    if (item.kind !== 'str') {
      return undefined;
    }
    entries.push(item.value);
  }
  return entries;
}
