import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';

/** The Django version a project pins or allows, read from its requirement or lock files. */
export interface DjangoVersion {
  /** `4.2.7` when pinned or locked; otherwise the lowest version the specifier allows, e.g. `4.2`. */
  version: string;
  /** Whether the file pins one exact version (a lock file, `==`, or a bare version in Poetry). */
  exact: boolean;
  /** The specifier as written, e.g. `>=4.2,<5.0`; Poetry's `^4.2` is written as the range it means. */
  specifier: string;
  /** The highest version a range allows, when it names one (`<5.0`, `<=4.2.7`, `~=4.2`). */
  upper?: { version: string; inclusive: boolean };
  source: SourceLocation;
}

const LOCK_FILES: [string, RegExp][] = [
  ['poetry.lock', /\[\[package\]\]\s*\nname\s*=\s*"django"\s*\nversion\s*=\s*"([^"]+)"/i],
  ['uv.lock', /\[\[package\]\]\s*\nname\s*=\s*"django"\s*\nversion\s*=\s*"([^"]+)"/i],
  ['pdm.lock', /\[\[package\]\]\s*\nname\s*=\s*"django"\s*\nversion\s*=\s*"([^"]+)"/i],
  ['Pipfile.lock', /"django"\s*:\s*\{[^}]*?"version"\s*:\s*"==([^"]+)"/i],
];
const VERSION_CLAUSE = String.raw`(?:===|[=<>!~]=?)\s*[\w.*]+`;
/**
 * A PEP 508 requirement on Django: extras, then the version clauses, which older tools wrote in
 * parentheses (`django (>=4.2,<5.0)`); an environment marker after `;` is no part of them.
 * Group 1 is the clauses.
 */
const DJANGO_REQUIREMENT = String.raw`django\s*(?:\[[^\]]*\])?\s*\(?\s*(${VERSION_CLAUSE}(?:\s*,\s*${VERSION_CLAUSE})*)`;
const REQUIREMENT = new RegExp(String.raw`^\s*${DJANGO_REQUIREMENT}`, 'im');
/**
 * PEP 621 `"django>=4.2"`, Poetry or Pipfile `django = "^4.2"`, or an inline table
 * `django = {version = "^4.2", extras = [...]}`; TOML strings may use either quote.
 */
const TOML_DEPENDENCY = new RegExp(
  String.raw`["']${DJANGO_REQUIREMENT}|^\s*django\s*=\s*["']([^"'\n]+)["']|^\s*django\s*=\s*\{[^}\n]*?\bversion\s*=\s*["']([^"'\n]+)["']`,
  'im',
);

/**
 * Reads the Django version: lock files first (exact), then requirements*.txt / *.in (also in a
 * `requirements/` folder of the project or of one of its packages),
 * pyproject.toml, Pipfile and setup.cfg, where an exact pin wins over a range wherever it is
 * (pip-tools' `requirements.txt` pins what `requirements.in` allows). Undefined when none
 * names Django.
 */
export function findDjangoVersion(projectRoot: string): DjangoVersion | undefined {
  for (const [name, pattern] of LOCK_FILES) {
    const found = search(path.join(projectRoot, name), pattern);
    if (found) {
      return { version: found.match[1]!, exact: true, specifier: `==${found.match[1]}`, source: found.location };
    }
  }
  const requirementFiles = listFiles(projectRoot).filter((name) => /^requirements.*\.(txt|in)$/.test(name)).sort();
  // Also a package's own requirements folder (CVAT's cvat/requirements/base.in).
  const packages = listFiles(projectRoot).filter((name) => !name.startsWith('.') && fs.existsSync(path.join(projectRoot, name, '__init__.py')));
  for (const dir of ['requirements', 'reqs', ...packages.sort().map((name) => path.join(name, 'requirements'))]) {
    requirementFiles.push(...listFiles(path.join(projectRoot, dir)).filter((name) => /\.(txt|in)$/.test(name)).map((name) => path.join(dir, name)));
  }
  const candidates: (DjangoVersion | undefined)[] = [];
  for (const name of requirementFiles) {
    const found = search(path.join(projectRoot, name), REQUIREMENT);
    if (found) {
      candidates.push(fromSpecifier(found.match[1]!.replace(/\s+/g, ''), found.location));
    }
  }
  for (const name of ['pyproject.toml', 'Pipfile', 'setup.cfg']) {
    const found = search(path.join(projectRoot, name), name === 'setup.cfg' ? REQUIREMENT : TOML_DEPENDENCY);
    if (found) {
      const specifier = (found.match[3] ?? found.match[2] ?? found.match[1] ?? '').replace(/\s+/g, '');
      candidates.push(fromSpecifier(poetryToSpecifier(specifier), found.location));
    }
  }
  return candidates.find((candidate) => candidate?.exact) ?? candidates.find((candidate) => candidate !== undefined);
}

function fromSpecifier(specifier: string, source: SourceLocation): DjangoVersion | undefined {
  const exact = /^===?([\w.]+)$/.exec(specifier);
  if (exact) {
    return { version: exact[1]!, exact: true, specifier, source };
  }
  const lower = /(?:>=|~=|==)([\d.]+)/.exec(specifier);
  if (!lower) {
    return undefined;
  }
  const found: DjangoVersion = { version: lower[1]!.replace(/\.$/, ''), exact: false, specifier, source };
  const upper = upperBound(specifier);
  if (upper) {
    found.upper = upper;
  }
  return found;
}

/** The upper end of a range: `<X` or `<=X`, or what `~=4.2` (below 5) and `==4.2.*` (below 4.3) imply. */
function upperBound(specifier: string): DjangoVersion['upper'] {
  const stated = /<(=?)\s*([\d.]+)/.exec(specifier);
  if (stated) {
    return { version: stated[2]!.replace(/\.$/, ''), inclusive: stated[1] === '=' };
  }
  const compatible = /~=\s*([\d.]+)/.exec(specifier);
  if (compatible) {
    const parts = compatible[1]!.split('.').filter(Boolean);
    return parts.length >= 2 ? { version: bumped(parts.slice(0, -1)), inclusive: false } : undefined;
  }
  const wildcard = /==\s*([\d.]+)\.\*/.exec(specifier);
  return wildcard ? { version: bumped(wildcard[1]!.split('.')), inclusive: false } : undefined;
}

/** The version after a prefix's last part: 4.2 → 4.3, 4 → 5. */
function bumped(parts: string[]): string {
  return [...parts.slice(0, -1), String(Number(parts[parts.length - 1]) + 1)].join('.');
}

/**
 * Poetry's own constraints as PEP 440: a bare version (`4.2.7`) is an exact pin, `==4.2.7`;
 * `^4.2` is `>=4.2,<5.0`, `~4.2.7` and `4.2.*` stay below 4.3. Others (`>=4.2`, `==4.2.7`) are
 * PEP 440 already.
 */
function poetryToSpecifier(specifier: string): string {
  if (/^\d[\w.]*$/.test(specifier)) {
    return `==${specifier}`;
  }
  if (!/^[\^~](?!=)|^[\d*]/.test(specifier)) {
    return specifier;
  }
  const version = specifier.replace(/^[\^~]/, '').replace(/\.\*$/, '');
  if (!/^\d+(\.\d+)*$/.test(version)) {
    return specifier;
  }
  const parts = version.split('.');
  // Caret keeps the leftmost non-zero part; tilde and a wildcard keep the minor version (or the major one, given alone).
  const kept = specifier.startsWith('^') ? parts.findIndex((part) => part !== '0') + 1 || parts.length : Math.min(parts.length, 2);
  const upper = specifier.endsWith('.*') ? parts : parts.slice(0, Math.max(1, kept));
  return `>=${version},<${bumped(upper)}`;
}

function search(file: string, pattern: RegExp): { match: RegExpExecArray; location: SourceLocation } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = pattern.exec(text);
  if (!match) {
    return undefined;
  }
  const before = text.slice(0, match.index + (match[0].length - match[0].trimStart().length));
  return { match, location: { file, line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') - 1 } };
}

function listFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Whether the project's Django may be older than `major.minor` and may also be it or newer: the
 * version is unknown, or a range reaches across it (`>=4.2` where pip installs 5.x), so a default
 * that changed there is not known.
 */
export function mayBeOnEitherSide(found: DjangoVersion | undefined, major: number, minor: number): boolean {
  if (!found) {
    return true;
  }
  if (found.exact || versionAtLeast(found.version, major, minor)) {
    return false;
  }
  const upper = found.upper;
  if (!upper) {
    return true;
  }
  const [a = 0, b = 0, c = 0] = upper.version.split('.').map((part) => Number.parseInt(part, 10));
  // Below `<5.0` every version is older; `<5.1` or `<=5.0` lets 5.0 in.
  return upper.inclusive ? versionAtLeast(upper.version, major, minor) : a > major || (a === major && (b > minor || (b === minor && c > 0)));
}

/** Whether a version is at least `major.minor`. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return a > major || (a === major && b >= minor);
}
