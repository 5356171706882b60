import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { installedThirdPartyApps, lintProject, thirdPartyApps, thirdPartyUsesOf } from '../../../../engine/src/analysis';
import { normalizeWizardName } from '../../../../engine/src/analysis/formtoolsWizardKeys';
import { discoverProjects, installedApps } from '../../../../engine/src/project';
import { lintRow, type LintRow } from './lintRows';
import { tempProject } from '../project/tempProject';

const fixtures = path.resolve(__dirname, '../../../fixtures/projects/thirdparty');

async function keyRows(name: string): Promise<LintRow[]> {
  const root = path.join(fixtures, name);
  return (await lintProject(root, { env: {} })).filter((d) => d.code.startsWith('DS1')).map((d) => lintRow(root, d));
}

const neverRead = (key: string) => `Session key '${key}' is written but never read in this project; read it where it is needed or stop storing it.`;
const typoFix: LintRow = [
  'accounts/views.py',
  2,
  31,
  2,
  54,
  'DS101',
  'warning',
  "Session key 'account_verifed_email' is read but never written in this project. Did you mean 'account_verified_email'?",
  ["Change to 'account_verified_email'", ['accounts/views.py', 2, 31, 2, 54, '"account_verified_email"']],
];
const wizardNeverRead: LintRow = ['accounts/views.py', 3, 20, 3, 34, 'DS102', 'hint', neverRead('wizard_order'), null];

describe('session keys of third-party apps', () => {
  it("takes a key an installed app writes as written, and suggests it for a misspelt read", async () => {
    assert.deepEqual(await keyRows('allauth'), [typoFix, wizardNeverRead]);
  });

  it('still warns on the same reads when INSTALLED_APPS lacks the app', async () => {
    const unwritten = (key: string, line: number, end: number): LintRow => [
      'accounts/views.py',
      line,
      line === 1 ? 32 : 31,
      line,
      end,
      'DS101',
      'warning',
      `Session key '${key}' is read but never written in this project; check the key's spelling or write it first.`,
      null,
    ];
    assert.deepEqual(await keyRows('plain'), [unwritten('account_verified_email', 1, 56), unwritten('account_verifed_email', 2, 54), wizardNeverRead]);
  });

  it("knows an app by its AppConfig path, and a prefix key (formtools' wizard_) as read", async () => {
    assert.deepEqual(await keyRows('appconfig'), [['staff/views.py', 2, 20, 2, 35, 'DS102', 'hint', neverRead('otp_device_id'), null]]);
  });

  it("takes the keys of allauth's MFA, two-factor-auth and its WebAuthn plugin, wagtail's admin and cas-server as the apps use them", async () => {
    // Read: mfa.totp.secret, django_two_factor-qr_secret_key, lt; written: wagtail-preview-<object>.
    // django-carton, which would read CART, is not installed.
    assert.deepEqual(await keyRows('twofactor'), [
      [
        'security/views.py',
        3,
        36,
        3,
        64,
        'DS101',
        'warning',
        "Session key 'webauthn_request_challange' is read but never written in this project. Did you mean 'webauthn_request_challenge'?",
        ["Change to 'webauthn_request_challenge'", ['security/views.py', 3, 36, 3, 64, '"webauthn_request_challenge"']],
      ],
      ['security/views.py', 5, 20, 5, 26, 'DS102', 'hint', neverRead('CART'), null],
    ]);
  });

  it("takes the keys of django-lockdown, django-su, django-loginas and django-filer as the apps use them", async () => {
    // Read: lockdown-allow, loginas_from_user; written: filer_last_folder_id (filer reads it back).
    assert.deepEqual(await keyRows('admintools'), [
      [
        'staff/views.py',
        2,
        35,
        2,
        49,
        'DS101',
        'warning',
        "Session key 'exit_user_pk' is read but never written in this project. Did you mean 'exit_users_pk'?",
        ["Change to 'exit_users_pk'", ['staff/views.py', 2, 35, 2, 49, '"exit_users_pk"']],
      ],
    ]);
  });

  it("takes the keys of mozilla-django-oidc, django-mfa3 and older python-social-auth, and the fields SOCIAL_AUTH_FIELDS_STORED_IN_SESSION names, as written or read (kitsune, froide, edX)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': [
        'SECRET_KEY = "k"',
        'INSTALLED_APPS = ["django.contrib.sessions", "mozilla_django_oidc", "mfa", "social_django"]',
        'SOCIAL_AUTH_FIELDS_STORED_IN_SESSION = ["auth_entry"]',
        '',
      ].join('\n'),
      'accounts/views.py': [
        'def login(request):',
        '    request.session["oidc_login_next"] = "/"',
        '    request.session["mfa_user"] = {"pk": 1}',
        '    request.session["mfa_success_url"] = "/"',
        '    return request.session.get("partial_pipeline"), request.session.get("auth_entry"), request.session.get("auth_entyr")',
        '',
      ].join('\n'),
    });
    const rows = (await lintProject(root, { env: {} })).filter((d) => d.code.startsWith('DS1')).map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(rows, ["DS101 Session key 'auth_entyr' is read but never written in this project. Did you mean 'auth_entry'?"]);
  });

  it('takes a key mozilla-django-oidc stores only under OIDC_STORE_ID_TOKEN as written only where the settings turn it on, or may', async () => {
    const rows = async (flag: string) => {
      const root = tempProject({
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
        'site/__init__.py': '',
        'site/settings.py': `import os\nSECRET_KEY = "k"\nINSTALLED_APPS = ["django.contrib.sessions", "mozilla_django_oidc"]\n${flag}\n`,
        'sso/logout.py': 'def provider_logout(request):\n    return request.session["oidc_id_token"]\n',
      });
      return (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS101').map((d) => d.message);
    };
    const off = "Session key 'oidc_id_token' is never written in this project: mozilla-django-oidc writes it only with OIDC_STORE_ID_TOKEN = True, which the settings leave off; set it, or stop reading the key.";
    assert.deepEqual(await rows(''), [off]);
    assert.deepEqual(await rows('OIDC_STORE_ID_TOKEN = False'), [off]);
    assert.deepEqual(await rows('OIDC_STORE_ID_TOKEN = True'), []);
    assert.deepEqual(await rows('from site.flags import store_tokens\nOIDC_STORE_ID_TOKEN = store_tokens()'), []);
  });

  it('reads INSTALLED_APPS built with += in split settings', async () => {
    const [project] = await discoverProjects(path.join(fixtures, 'split'), { env: {} });
    assert.deepEqual(installedApps(project!), ['django.contrib.sessions', 'django_otp', 'django_otp.plugins.otp_totp']);
    // django_otp writes otp_device_id; hijack, which would read hijack_history, is not installed.
    assert.deepEqual(await keyRows('split'), [['security/views.py', 1, 20, 1, 36, 'DS102', 'hint', neverRead('hijack_history'), null]]);
  });

  it("counts every app's exact, distinctive keys as installed when INSTALLED_APPS cannot be read statically, not a prefix or a common name, still catching typos", async () => {
    const [project] = await discoverProjects(path.join(fixtures, 'unknown'), { env: {} });
    assert.equal(installedApps(project!), undefined);
    // A common name one of the apps uses (django-cas-server's `username`) is the project's own key here.
    const usernameNeverWritten: LintRow = ['accounts/views.py', 4, 31, 4, 41, 'DS101', 'warning', "Session key 'username' is read but never written in this project; check the key's spelling or write it first.", null];
    assert.deepEqual(await keyRows('unknown'), [typoFix, wizardNeverRead, usernameNeverWritten]);
  });

  it('matches INSTALLED_APPS entries by module or AppConfig, not by a longer module name', () => {
    const names = (entries: string[]) => installedThirdPartyApps(entries).map((app) => app.modules[0]);
    assert.deepEqual(names(['allauth.account.apps.AccountConfig', 'wagtail.core', 'oscar.apps.checkout.apps.CheckoutConfig']), ['allauth.account', 'oscar.apps.checkout', 'wagtail']);
    assert.deepEqual(names(['allauth', 'allauth.accounts', 'hijack.contrib.admin', 'formtools.apps.sub.Config']), []);
    assert.deepEqual(
      names(['carton', 'cas_server.apps.CasAppConfig', 'wagtail.admin', 'two_factor.plugins.webauthn.apps.TwoFactorPluginWebauthnConfig', 'allauth.mfa']),
      ['allauth.mfa', 'two_factor.plugins.webauthn', 'wagtail.admin', 'cas_server', 'carton'],
    );
    assert.deepEqual(names(['two_factor.plugins.phonenumber', 'two_factor.plugins', 'allauth.mfa.totp', 'cas_server_extras']), []);
    assert.equal(installedThirdPartyApps(undefined), thirdPartyApps());
  });

  it('tells which apps use a key, a prefix only for longer keys', () => {
    assert.deepEqual(
      thirdPartyUsesOf('wizard_checkout').map(({ app, entry }) => [app.package, entry.key]),
      [['django-formtools', 'wizard_']],
    );
    assert.deepEqual(thirdPartyUsesOf('wizard_'), []);
    assert.deepEqual(
      thirdPartyUsesOf('otp_device_id').map(({ app, entry }) => [app.package, entry.writes, entry.reads]),
      [['django-otp', true, true]],
    );
    assert.deepEqual(
      thirdPartyUsesOf('next').map(({ app, entry }) => [app.package, app.modules[0], entry.key]),
      [
        ['social-auth-app-django', 'social_django', 'next'],
        ['django-two-factor-auth', 'two_factor', 'next'],
      ],
    );
    assert.deepEqual(
      thirdPartyUsesOf('wagtail-preview-blog-post-1').map(({ app, entry }) => [app.package, app.modules[0], entry.key]),
      [['wagtail', 'wagtail.admin', 'wagtail-preview-']],
    );
  });
});

describe('session keys of django-allauth-2fa', () => {
  it("takes allauth_2fa_user_id as read by its authenticate view once the app is installed (InvenTree)", async () => {
    const files = (apps: string) => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': `SECRET_KEY = "k"\nINSTALLED_APPS = [${apps}]\n`,
      'app/adapter.py': 'def login(request, user):\n    request.session["allauth_2fa_user_id"] = str(user.id)\n',
    });
    const codes = async (apps: string) => (await lintProject(tempProject(files(apps)), { env: {} })).filter((d) => d.code === 'DS102').map((d) => d.message);
    assert.deepEqual(await codes('"django.contrib.sessions", "allauth_2fa"'), []);
    assert.deepEqual(await codes('"django.contrib.sessions"'), [neverRead('allauth_2fa_user_id')]);
  });

  it("takes the CAS attributes, proxy ticket IOU and next page django-cas-ng keeps as written once it is installed, its common 'attributes' only then", async () => {
    const files = (apps: string) => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': `SECRET_KEY = "k"\nINSTALLED_APPS = [${apps}]\n`,
      'app/backends.py': [
        'def staff(request):',
        '    return request.session.get("attributes", {}).get("is_staff"), request.session.get("pgtiou"), request.session.get("CASNEXT"), request.session.get("atributes")',
        '',
      ].join('\n'),
    });
    const messages = async (apps: string) => (await lintProject(tempProject(files(apps)), { env: {} })).filter((d) => d.code === 'DS101').map((d) => d.message);
    assert.deepEqual(await messages('"django.contrib.sessions", "django_cas_ng"'), ["Session key 'atributes' is read but never written in this project. Did you mean 'attributes'?"]);
    assert.deepEqual(await messages('"django.contrib.sessions"'), ['attributes', 'pgtiou', 'CASNEXT', 'atributes'].map((key) => `Session key '${key}' is read but never written in this project; check the key's spelling or write it first.`));
  });

  it("narrows formtools' wizard_ to the keys of the project's wizard classes, once its code defines some: its own wizard_ keys are judged, and a misspelt wizard key gets a did-you-mean", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': 'SECRET_KEY = "k"\nINSTALLED_APPS = ["django.contrib.sessions", "formtools"]\n',
      'shop/views.py': [
        'from formtools.wizard.views import CookieWizardView, SessionWizardView',
        'class BaselineWizardView(SessionWizardView):',
        '    pass',
        'class OrderWizard(BaselineWizardView):',
        '    pass',
        'class Crumbs(CookieWizardView):',
        '    pass',
        'def step(request):',
        "    request.session['wizard_data'] = 1",
        "    return [request.session['wizard_dta'], request.session.get('wizard_order_wizard'), request.session.get('wizard_baseline_wizrd_view'), request.session.get('wizard_crumbs')]",
        '',
      ].join('\n'),
    });
    const found = (await lintProject(root, { env: {} })).filter((d) => d.code.startsWith('DS1')).map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(found, [
      neverRead('wizard_data').replace(/^/, 'DS102 '),
      "DS101 Session key 'wizard_dta' is read but never written in this project. Did you mean 'wizard_data'?",
      "DS101 Session key 'wizard_baseline_wizrd_view' is read but never written in this project. Did you mean 'wizard_baseline_wizard_view'?",
      "DS101 Session key 'wizard_crumbs' is read but never written in this project; check the key's spelling or write it first.",
    ]);
  });

  it("names a wizard's keys as formtools' normalize_name() does", () => {
    const cases: Record<string, string> = { BaselineWizardView: 'baseline_wizard_view', HTTPWizard: 'http_wizard', MyURLWizardView: 'my_url_wizard_view', ABC: 'abc', Order2StepWizard: 'order2_step_wizard', _PrivateWizard: 'private_wizard' };
    assert.deepEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, normalizeWizardName(name)])), cases);
  });
});
