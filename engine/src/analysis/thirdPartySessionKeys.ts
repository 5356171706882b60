/** A session key a third-party Django app writes or reads, as its source spells it. */
export interface ThirdPartyKey {
  key: string;
  /** The app builds keys that start with `key` (formtools' `wizard_<view name>`). */
  prefix?: true;
  /** A name projects give their own keys too (`next`, `username`): it counts only where INSTALLED_APPS shows the app. */
  common?: true;
  writes: boolean;
  reads: boolean;
  /** A setting the app writes the key only under, when True (mozilla-django-oidc's OIDC_STORE_ID_TOKEN); False by default. */
  writtenWith?: string;
  description: string;
}

/** A well-known third-party Django app and the session keys it uses. */
export interface ThirdPartyApp {
  /** The distribution name on PyPI, as users know the app. */
  package: string;
  /** Its INSTALLED_APPS modules, the current one first; `<module>.apps.<Config>` names the same app. */
  modules: readonly string[];
  keys: readonly ThirdPartyKey[];
}

const both = { writes: true, reads: true } as const;

/**
 * Every key here was read in the app's own source (the module is named above each app); keys an
 * app builds from a name only it knows (social-core's `<backend>_state`) are left out, since
 * no prefix of theirs tells them from a project's own keys.
 */
const APPS: readonly ThirdPartyApp[] = [
  // allauth/account/adapter.py (stash_verified_email, stash_user), internal/stagekit.py, authentication.py,
  // internal/flows/reauthentication.py, views.py (INTERNAL_RESET_SESSION_KEY).
  {
    package: 'django-allauth',
    modules: ['allauth.account'],
    keys: [
      { key: 'account_login', ...both, description: 'The login in progress between its stages (email verification, 2FA), as Login.serialize() gives it.' },
      { key: 'account_verified_email', ...both, description: 'An email address already verified (e.g. by an accepted invitation), so signup does not ask to verify it again.' },
      { key: 'account_user', ...both, description: 'The user stashed by the account adapter (stash_user) until unstash_user pops it.' },
      { key: 'account_authentication_methods', ...both, description: "The session's log of authentication methods used (password, socialaccount, mfa), each with its time." },
      { key: 'account_reauthentication_state', ...both, description: 'The request or callback to resume once the user has reauthenticated.' },
      { key: '_password_reset_key', ...both, description: 'The password reset key, kept in the session so it leaves the URL of the reset-from-key view.' },
    ],
  },
  // allauth/socialaccount/internal/statekit.py (socialaccount_states), models.py SocialLogin.stash_state
  // (socialaccount_state, before 0.55), internal/flows/signup.py and views.py SignupView.
  {
    package: 'django-allauth',
    modules: ['allauth.socialaccount'],
    keys: [
      { key: 'socialaccount_states', ...both, description: 'The pending OAuth states by state id, each with the time it was stashed (at most 10).' },
      { key: 'socialaccount_state', ...both, description: 'The pending OAuth state and verifier (allauth before 0.55).' },
      { key: 'socialaccount_sociallogin', ...both, description: 'The social login awaiting the signup form, as SocialLogin.serialize() gives it.' },
    ],
  },
  // allauth/mfa/totp/internal/auth.py SECRET_SESSION_KEY, allauth/mfa/webauthn/internal/auth.py STATE_SESSION_KEY.
  {
    package: 'django-allauth',
    modules: ['allauth.mfa'],
    keys: [
      { key: 'mfa.totp.secret', ...both, description: 'The TOTP secret offered while the user activates an authenticator app, kept until the code is confirmed.' },
      { key: 'mfa.webauthn.state', ...both, description: 'The state of the WebAuthn registration or authentication in progress, as fido2 gives it.' },
    ],
  },
  // social_core/utils.py PARTIAL_TOKEN_SESSION_NAME, social_core/actions.py do_auth / do_complete,
  // social_core/pipeline/mail.py mail_validation.
  {
    package: 'social-auth-app-django',
    modules: ['social_django'],
    keys: [
      { key: 'partial_pipeline_token', ...both, description: 'The token of the interrupted (partial) authentication pipeline to resume.' },
      { key: 'next', ...both, common: true, description: 'Where to redirect after login, saved by do_auth from the `next` parameter and read back by do_complete.' },
      { key: 'social_auth_last_login_backend', writes: true, reads: false, description: 'The provider of the last social login.' },
      { key: 'email_validation_address', ...both, description: 'The email address a validation code was sent to, until the code comes back.' },
    ],
  },
  // python-social-auth before social-core 1.0 (social/pipeline/utils.py): SOCIAL_AUTH_PARTIAL_PIPELINE_KEY's default.
  {
    package: 'python-social-auth',
    modules: ['social_django', 'social.apps.django_app.default'],
    keys: [{ key: 'partial_pipeline', ...both, description: 'The interrupted (partial) authentication pipeline to resume, as older python-social-auth stored it.' }],
  },
  // mozilla_django_oidc/views.py (OIDCAuthenticationRequestView, OIDCAuthenticationCallbackView), utils.py
  // add_state_and_verifier_and_nonce_to_session, middleware.py SessionRefresh, auth.py store_tokens.
  {
    package: 'mozilla-django-oidc',
    modules: ['mozilla_django_oidc'],
    keys: [
      { key: 'oidc_login_next', ...both, description: 'Where to redirect after the OIDC login: set from `next` when it starts (by the app, or a project starting it itself), read by the callback.' },
      { key: 'oidc_states', ...both, description: 'The pending OIDC states by state id, each with its nonce and PKCE code verifier.' },
      { key: 'oidc_id_token_expiration', ...both, description: 'When the ID token expires; the SessionRefresh middleware renews the login after it.' },
      { key: 'oidc_access_token', writes: true, reads: false, writtenWith: 'OIDC_STORE_ACCESS_TOKEN', description: 'The access token, stored with OIDC_STORE_ACCESS_TOKEN for the project to use.' },
      { key: 'oidc_id_token', writes: true, reads: false, writtenWith: 'OIDC_STORE_ID_TOKEN', description: 'The ID token, stored with OIDC_STORE_ID_TOKEN for the project to use (for logout).' },
    ],
  },
  // mfa/views.py (django-mfa3): LoginView stores the user and the success URL, MFAAuthView reads them.
  {
    package: 'django-mfa3',
    modules: ['mfa'],
    keys: [
      { key: 'mfa_user', ...both, description: 'The user who passed the password step, until the second factor is checked.' },
      { key: 'mfa_success_url', ...both, description: 'Where to go once the second factor is checked.' },
    ],
  },
  // formtools/wizard/storage/base.py: the storage prefix is 'wizard_%s' % the view's normalized name.
  {
    package: 'django-formtools',
    modules: ['formtools'],
    keys: [{ key: 'wizard_', prefix: true, ...both, description: "A form wizard's SessionStorage: the current step, each step's data and files, and extra data." }],
  },
  // impersonate/views.py (impersonate, stop_impersonate).
  {
    package: 'django-impersonate',
    modules: ['impersonate'],
    keys: [
      { key: '_impersonate', ...both, description: 'The primary key of the user being impersonated.' },
      { key: '_impersonate_start', ...both, description: 'When impersonation started, as a UTC timestamp.' },
      { key: '_impersonate_prev_path', ...both, description: 'The page impersonation started from, to return to when it stops.' },
    ],
  },
  // hijack/views.py (AcquireUserView, ReleaseUserView).
  {
    package: 'django-hijack',
    modules: ['hijack'],
    keys: [{ key: 'hijack_history', ...both, description: 'The primary keys of the hijacking users, as strings, the last one released first.' }],
  },
  // src/django_otp/__init__.py DEVICE_ID_SESSION_KEY (login), middleware.py (OTPMiddleware).
  {
    package: 'django-otp',
    modules: ['django_otp'],
    keys: [{ key: 'otp_device_id', ...both, description: "The persistent id of the OTP device that verified the user; OTPMiddleware sets user.otp_device from it." }],
  },
  // two_factor/views/core.py: SetupView and QRGeneratorView.session_key_name, LoginView.done and
  // SetupCompleteView (next). Its login and setup wizards keep their steps in formtools' storage (wizard_<view>).
  {
    package: 'django-two-factor-auth',
    modules: ['two_factor'],
    keys: [
      { key: 'django_two_factor-qr_secret_key', ...both, description: 'The base32 secret of the TOTP device being set up, from which the QR code view draws the code.' },
      { key: 'next', ...both, common: true, description: 'Where to go once a user without a device has set one up, saved by the login view for the setup-complete view.' },
    ],
  },
  // two_factor/plugins/webauthn/forms.py (the token and device validation forms), views.py (the credential scripts).
  {
    package: 'django-two-factor-auth',
    modules: ['two_factor.plugins.webauthn'],
    keys: [
      { key: 'webauthn_request_options', ...both, description: 'The WebAuthn credential request options of the login in progress, served to the get-credential script.' },
      { key: 'webauthn_request_challenge', ...both, description: 'The challenge the WebAuthn login response must answer.' },
      { key: 'webauthn_creation_options', ...both, description: 'The WebAuthn credential creation options of the device being set up, served to the create-credential script.' },
      { key: 'webauthn_creation_challenge', ...both, description: 'The challenge the WebAuthn registration response must answer.' },
    ],
  },
  // allauth_2fa/adapter.py OTPAdapter.login (writes), views.py TwoFactorAuthenticate (reads), middleware.py (deletes).
  {
    package: 'django-allauth-2fa',
    modules: ['allauth_2fa'],
    keys: [{ key: 'allauth_2fa_user_id', ...both, description: 'The id of the user who passed the password step and must still give a one-time code; the authenticate view logs them in with it.' }],
  },
  // oscar/apps/checkout/utils.py CheckoutSessionData.SESSION_KEY.
  {
    package: 'django-oscar',
    modules: ['oscar.apps.checkout'],
    keys: [{ key: 'checkout_data', ...both, description: 'The checkout in progress by namespace: shipping and billing address, shipping method, payment.' }],
  },
  // cms/middleware/toolbar.py (edit and preview mode), cms/toolbar/toolbar.py (cms_log_latest),
  // cms/admin/pageadmin.py (cms_admin_site).
  {
    package: 'django-cms',
    modules: ['cms'],
    keys: [
      { key: 'cms_edit', ...both, description: 'Whether the toolbar is in edit mode, switched by ?edit and ?edit_off.' },
      { key: 'cms_preview', ...both, description: 'Whether the toolbar is in preview mode.' },
      { key: 'cms_log_latest', writes: false, reads: true, description: 'The admin LogEntry of the latest change, which the toolbar shows once and removes.' },
      { key: 'cms_admin_site', ...both, description: 'The id of the site whose page tree the admin shows, as last chosen there.' },
    ],
  },
  // wagtail/models (wagtail/core/models before 3.0: PageViewRestriction, CollectionViewRestriction.passed_view_restrictions_session_key).
  {
    package: 'wagtail',
    modules: ['wagtail', 'wagtail.core'],
    keys: [
      { key: 'passed_page_view_restrictions', ...both, description: 'The ids of the page view restrictions whose password this session gave.' },
      { key: 'passed_collection_view_restrictions', ...both, description: 'The ids of the collection view restrictions whose password this session gave.' },
    ],
  },
  // wagtail/admin/views/generic/preview.py PreviewOnEdit.session_key_prefix, followed by the model and primary key.
  {
    package: 'wagtail',
    modules: ['wagtail.admin'],
    keys: [{ key: 'wagtail-preview-', prefix: true, ...both, description: 'The form data of an object being previewed in the admin, with the time it was posted.' }],
  },
  // cas_server/views.py (LoginView, FederateAuth, LogoutMixin).
  {
    package: 'django-cas-server',
    modules: ['cas_server'],
    keys: [
      { key: 'username', ...both, common: true, description: 'The username the CAS session is authenticated as.' },
      { key: 'authenticated', ...both, common: true, description: 'Whether the user has authenticated to the CAS server in this session.' },
      { key: 'warn', ...both, common: true, description: 'Whether to warn the user before a ticket is issued to a service.' },
      { key: 'lt', ...both, common: true, description: 'The login tickets still valid for the login form, the last 100 at most.' },
      { key: 'federate_username', ...both, description: 'The username the federated identity provider validated, handed from FederateAuth to the login view.' },
      { key: 'federate_ticket', ...both, description: "The identity provider's ticket, handed from FederateAuth to the login view as the password." },
    ],
  },
  // django_cas_ng/backends.py (CASBackend.authenticate), views.py (LoginView).
  {
    package: 'django-cas-ng',
    modules: ['django_cas_ng'],
    keys: [
      { key: 'attributes', writes: true, reads: false, common: true, description: "The attributes the CAS server released with the user's ticket, as the backend verified it." },
      { key: 'pgtiou', ...both, description: 'The proxy-granting ticket IOU of the login, with CAS_PROXY_CALLBACK, until the login view pairs it with its ticket.' },
      { key: 'CASNEXT', ...both, description: 'Where to go once the CAS login returns, with CAS_STORE_NEXT.' },
    ],
  },
  // carton/settings.py CART_SESSION_KEY (the default; the setting of that name renames it), carton/cart.py Cart.
  {
    package: 'django-carton',
    modules: ['carton'],
    keys: [{ key: 'CART', ...both, common: true, description: 'The cart, by product primary key: product, quantity and price.' }],
  },
  // lockdown/settings.py SESSION_KEY (the default; LOCKDOWN_SESSION_KEY renames it), lockdown/middleware.py.
  {
    package: 'django-lockdown',
    modules: ['lockdown'],
    keys: [{ key: 'lockdown-allow', ...both, description: 'The token that lets this browser past the lockdown: True, or the preview password the lockdown form took.' }],
  },
  // django_su/views.py (login_as_user, su_logout), context_processors.py (is_su).
  {
    package: 'django-su',
    modules: ['django_su'],
    keys: [{ key: 'exit_users_pk', ...both, description: 'The (user pk, backend) pairs to return to when a superuser leaves the user it switched to, the last one first.' }],
  },
  // loginas/settings.py USER_SESSION_FLAG (the default; LOGINAS_FROM_USER_SESSION_FLAG renames it), loginas/utils.py.
  {
    package: 'django-loginas',
    modules: ['loginas'],
    keys: [{ key: 'loginas_from_user', ...both, description: 'The signed primary key of the admin logged in as another user, to log back in as when done.' }],
  },
  // filer/admin/folderadmin.py (directory_listing), filer/admin/clipboardadmin.py (ajax_upload).
  {
    package: 'django-filer',
    modules: ['filer'],
    keys: [{ key: 'filer_last_folder_id', ...both, description: 'The folder last browsed in the admin, where an upload without a folder goes.' }],
  },
  // session_security/utils.py (set_last_activity, get_last_activity).
  {
    package: 'django-session-security',
    modules: ['session_security'],
    keys: [{ key: '_session_security', ...both, description: 'The time of the last activity, as text, from which the session expires when idle.' }],
  },
];

/** Every app the table knows. */
export function thirdPartyApps(): readonly ThirdPartyApp[] {
  return APPS;
}

/**
 * Whether an INSTALLED_APPS entry installs the app: its module, or an AppConfig in its `apps`
 * module (`allauth.account.apps.AccountConfig`).
 */
function installsApp(entry: string, app: ThirdPartyApp): boolean {
  return app.modules.some((module) => entry === module || (entry.startsWith(`${module}.apps.`) && !entry.slice(`${module}.apps.`.length).includes('.')));
}

/**
 * The apps of the table the project installs. With INSTALLED_APPS unknown (undefined), every app
 * counts as installed: a key exempted wrongly hides only a read of exactly that app's key,
 * while one not exempted warns on correct code.
 */
export function installedThirdPartyApps(installedApps: readonly string[] | undefined): readonly ThirdPartyApp[] {
  return installedApps === undefined ? APPS : APPS.filter((app) => installedApps.some((entry) => installsApp(entry, app)));
}

/** Whether a third-party key names `key`: the same key, or a prefix it starts with. */
function matchesKey(entry: ThirdPartyKey, key: string): boolean {
  return entry.prefix ? key.startsWith(entry.key) && key.length > entry.key.length : entry.key === key;
}

/** The apps of the table that use `key`, with how they use it. */
export function thirdPartyUsesOf(key: string): { app: ThirdPartyApp; entry: ThirdPartyKey }[] {
  return APPS.flatMap((app) => app.keys.filter((entry) => matchesKey(entry, key)).map((entry) => ({ app, entry })));
}

/**
 * The uses of `key` by the apps the project installs, which the lint and rename go by. With
 * INSTALLED_APPS unknown only exact, distinctive keys count: a prefix (formtools' `wizard_`)
 * would hide every misspelt key starting with it, and a common name (`username`) the project's
 * own key, in projects that may not have the app at all.
 */
export function installedUsesOf(key: string, installedApps: readonly string[] | undefined, prefixKeys?: PrefixKeys): { app: ThirdPartyApp; entry: ThirdPartyKey }[] {
  const installed = installedThirdPartyApps(installedApps);
  return thirdPartyUsesOf(key).filter(({ app, entry }) => installed.includes(app) && countsUnlessKnown(entry, installedApps) && (!entry.prefix || (prefixKeys?.get(entry.key)?.has(key) ?? true)));
}

/** The exact keys a prefix stands for in a project, where its code tells them (formtools' wizards, see wizardSessionKeys), by prefix. */
export type PrefixKeys = ReadonlyMap<string, ReadonlySet<string>>;

/** The exact keys the apps counted as installed write (see installedUsesOf): what a misspelt read of one most likely meant. */
export function installedWrittenKeys(installedApps: readonly string[] | undefined): string[] {
  return installedThirdPartyApps(installedApps).flatMap((app) => app.keys.filter((entry) => entry.writes && !entry.prefix && countsUnlessKnown(entry, installedApps)).map((entry) => entry.key));
}

function countsUnlessKnown(entry: ThirdPartyKey, installedApps: readonly string[] | undefined): boolean {
  return installedApps !== undefined || (!entry.prefix && !entry.common);
}

/**
 * The exact keys that the installed apps write, for completion. With INSTALLED_APPS unknown,
 * none: a suggestion of a key the project may not have is noise, unlike a lint exemption.
 */
export function installedAppWrites(installedApps: readonly string[] | undefined): { app: ThirdPartyApp; entry: ThirdPartyKey }[] {
  return installedApps === undefined
    ? []
    : installedThirdPartyApps(installedApps).flatMap((app) => app.keys.filter((entry) => entry.writes && !entry.prefix).map((entry) => ({ app, entry })));
}

/** The settings some app writes a key only under (see ThirdPartyKey.writtenWith). */
export const WRITTEN_WITH_SETTINGS: readonly string[] = [...new Set(APPS.flatMap((app) => app.keys.flatMap((entry) => (entry.writtenWith ? [entry.writtenWith] : []))))];
