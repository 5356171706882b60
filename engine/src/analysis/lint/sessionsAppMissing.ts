import type { ResolvedSetting } from '../../project/discoverProjects';
import { BUILTIN_SESSION_ENGINES, isSessionsApp, SESSION_SETTING_DEFAULTS, SESSIONS_APP } from '../../project/sessionSettingDefaults';
import { certainStrs, strItems } from '../../project/settingValue';
import type { LintDiagnostic } from './lintDiagnostic';
import { type ListItemLiteral, onlyLiteral } from './listItemLiterals';
import { settingNameRange } from './settingsRange';

/** Where startproject puts the sessions app: before messages and staticfiles. */
const AFTER_SESSIONS_APP = ['django.contrib.messages', 'django.contrib.staticfiles'];

/**
 * DS210: a db or cached_db session engine (db is Django's default) with requests given a
 * session, whose INSTALLED_APPS (wholly known) lacks the sessions app: the Session model is then
 * in no installed app, so the first request that saves a session or brings a session cookie
 * raises RuntimeError. The fix adds the app to the list, where the settings write it as one.
 */
export async function sessionsAppMissing(setting: (name: string) => ResolvedSetting | undefined, literalsOf: () => Promise<readonly ListItemLiteral[]>, givesSession: (middleware: string) => boolean): Promise<LintDiagnostic[]> {
  const appsSetting = setting('INSTALLED_APPS');
  const apps = strItems(appsSetting?.value);
  const enginePath = (setting('SESSION_ENGINE')?.value ?? SESSION_SETTING_DEFAULTS.get('SESSION_ENGINE'))!;
  const engine = enginePath.kind === 'str' ? BUILTIN_SESSION_ENGINES.get(enginePath.value) : undefined;
  // Without a session middleware no request has a session to save (saleor's API settings have neither).
  const givesSessions = certainStrs(setting('MIDDLEWARE')?.value)?.some(givesSession);
  if (!appsSetting || !apps || apps.some(isSessionsApp) || (engine !== 'db' && engine !== 'cached_db') || !givesSessions) {
    return [];
  }
  const message = `INSTALLED_APPS has no '${SESSIONS_APP}', the app of the Session model the ${engine} session engine stores sessions with: the first request that saves a session, or brings a session cookie, raises RuntimeError("Model class django.contrib.sessions.models.Session doesn't declare an explicit app_label and isn't in an application in INSTALLED_APPS."). Add '${SESSIONS_APP}' and run "python manage.py migrate".`;
  const diagnostic: LintDiagnostic = { file: appsSetting.location.file, range: settingNameRange(appsSetting), code: 'DS210', severity: 'error', message };
  const anchor = appAnchor(apps, await literalsOf());
  if (anchor) {
    const quote = /['"]/.exec(anchor.text)?.[0] ?? "'";
    diagnostic.fix = { title: `Add '${SESSIONS_APP}' to INSTALLED_APPS`, edits: [anchor.insertBefore(`${quote}${SESSIONS_APP}${quote}`)] };
  }
  return [diagnostic];
}

/** The app the sessions app goes before: messages or staticfiles as startproject has them, else the first of the project's own, else the first; written once as a list item. */
function appAnchor(apps: readonly string[], literals: readonly ListItemLiteral[]): ListItemLiteral | undefined {
  const preferred = AFTER_SESSIONS_APP.find((app) => apps.includes(app)) ?? apps.find((app) => !app.startsWith('django.')) ?? apps[0];
  return preferred === undefined ? undefined : onlyLiteral(literals, preferred);
}
