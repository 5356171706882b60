import type { HashAlgorithm } from './saltedHmac';

/**
 * Why the configured Django would not accept session data whose hash or signature we could
 * verify (or could not, when no key was given):
 * - `legacy-format`: the pre-3.1 format, which Django 4.0 stopped reading;
 * - `sha1-signature`: a sha1 signature, which Django 4.0 stopped accepting;
 * - `sha256-signature`: Django 3.1/3.2 with `DEFAULT_HASHING_ALGORITHM = 'sha1'` verifies sha1 only;
 * - `fallback-key`: only a fallback key matches, and `SECRET_KEY_FALLBACKS` came in Django 4.1.
 */
export type SignatureRejectionReason = 'legacy-format' | 'sha1-signature' | 'sha256-signature' | 'fallback-key';

/** A rejection with a one-line explanation for the UI and the CLI. */
export interface SignatureRejection {
  reason: SignatureRejectionReason;
  message: string;
}

/** The settings that decide which signatures a Django accepts. */
interface SignatureRulesOptions {
  /** The Django that reads the data, e.g. '3.2' or '5.2'. */
  djangoVersion?: string;
  /** `DEFAULT_HASHING_ALGORITHM` (Django 3.1/3.2 only; 4.0 removed the setting). */
  hashingAlgorithm?: HashAlgorithm;
}

/** What the data carries: its format, the algorithm its signature has, and which key matched. */
interface SignatureFound {
  format: 'signed' | 'legacy';
  algorithm: HashAlgorithm;
  keyIndex?: number;
}

let lastVersion = '';
let lastParsed = { major: 0, minor: 0 };

/** `X.Y[.Z]` as numbers, remembered for the next call: a store decodes page after page with one version. */
function parseVersion(version: string): { major: number; minor: number } {
  if (version !== lastVersion) {
    const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
    lastVersion = version;
    lastParsed = { major, minor };
  }
  return lastParsed;
}

/**
 * Whether the configured Django would reject this data although (or before) a key matches,
 * following `Signer.unsign` and `SessionBase.decode` of 3.1/3.2 (sha1 `legacy_algorithm`,
 * `_legacy_decode`) and 4.0+ (sha256 only; 4.1+ also `SECRET_KEY_FALLBACKS`).
 * Undefined when it would accept it, or when nothing is known of the version or setting.
 */
export function signatureRejection(opts: SignatureRulesOptions, found: SignatureFound): SignatureRejection | undefined {
  const version = opts.djangoVersion === undefined ? undefined : parseVersion(opts.djangoVersion);
  const name = opts.djangoVersion === undefined ? 'Django' : `Django ${opts.djangoVersion}`;
  const from40 = version !== undefined && version.major >= 4;
  if (from40 && found.format === 'legacy') {
    return { reason: 'legacy-format', message: `${name} no longer reads the pre-3.1 session format (removed in 4.0); it starts an empty session` };
  }
  if (from40 && found.algorithm === 'sha1') {
    return { reason: 'sha1-signature', message: `${name} no longer accepts sha1 signatures (removed in 4.0); only Django 3.1/3.2 do` };
  }
  if (!from40 && opts.hashingAlgorithm === 'sha1' && found.format === 'signed' && found.algorithm === 'sha256') {
    return { reason: 'sha256-signature', message: `with DEFAULT_HASHING_ALGORITHM = 'sha1', ${name} verifies sha1 signatures only` };
  }
  if (version !== undefined && (version.major < 4 || (version.major === 4 && version.minor < 1)) && found.keyIndex !== undefined && found.keyIndex > 0) {
    return {
      reason: 'fallback-key',
      message: `only SECRET_KEY_FALLBACKS[${found.keyIndex - 1}] matches, and ${name} has no SECRET_KEY_FALLBACKS (added in 4.1)`,
    };
  }
  return undefined;
}
