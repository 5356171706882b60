import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findDjangoVersion } from '../../../../engine/src/project/djangoVersion';

function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-version-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('findDjangoVersion', () => {
  const cases: [string, Record<string, string>, { version: string; exact: boolean; specifier: string; line: number } | undefined][] = [
    ['a pinned requirement', { 'requirements.txt': 'requests==2.0\nDjango==3.2.25  # LTS\n' }, { version: '3.2.25', exact: true, specifier: '==3.2.25', line: 2 }],
    ['a range with extras', { 'requirements/base.txt': 'django[argon2]>=4.2,<5.0\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5.0', line: 1 }],
    ['poetry.lock over pyproject', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^4.2"\n', 'poetry.lock': '[[package]]\nname = "django"\nversion = "4.2.11"\n' }, { version: '4.2.11', exact: true, specifier: '==4.2.11', line: 1 }],
    ['a poetry caret', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^5.0"\n' }, { version: '5.0', exact: false, specifier: '>=5.0', line: 3 }],
    ['PEP 621 dependencies', { 'pyproject.toml': '[project]\ndependencies = ["Django>=5.1", "psycopg"]\n' }, { version: '5.1', exact: false, specifier: '>=5.1', line: 2 }],
    ['Pipfile.lock', { 'Pipfile.lock': '{"default": {"django": {"hashes": [], "version": "==4.1.13"}}}' }, { version: '4.1.13', exact: true, specifier: '==4.1.13', line: 1 }],
    ['a Poetry inline table', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = {version = "^4.2", extras = ["argon2"]}\n' }, { version: '4.2', exact: false, specifier: '>=4.2', line: 3 }],
    ['the pip-tools pin over its requirements.in', { 'requirements.in': 'django>=4.2\n', 'requirements.txt': '#\n# pip-compile\n#\ndjango==4.2.11\n    # via -r requirements.in\n' }, { version: '4.2.11', exact: true, specifier: '==4.2.11', line: 4 }],
    ['an exact pin anywhere over a range', { 'requirements/base.txt': 'Django>=4.2\n', 'pyproject.toml': '[project]\ndependencies = ["Django[argon2]==4.2.9"]\n' }, { version: '4.2.9', exact: true, specifier: '==4.2.9', line: 2 }],
    ['a Poetry bare version as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "4.2.7"\n' }, { version: '4.2.7', exact: true, specifier: '==4.2.7', line: 3 }],
    ['a Poetry inline table with a bare version as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = {extras = ["argon2"], version = "5.0.1"}\n' }, { version: '5.0.1', exact: true, specifier: '==5.0.1', line: 2 }],
    ['a Poetry bare pre-release as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "5.1rc1"\n' }, { version: '5.1rc1', exact: true, specifier: '==5.1rc1', line: 2 }],
    ['a Poetry wildcard as a range', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "4.2.*"\n' }, { version: '4.2', exact: false, specifier: '>=4.2', line: 2 }],
    ['a Poetry tilde as a range', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "~4.2.7"\n' }, { version: '4.2.7', exact: false, specifier: '>=4.2.7', line: 2 }],
    ['a Poetry bare pin over a requirements range', { 'requirements.txt': 'Django>=4.2\n', 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "4.2.9"\n' }, { version: '4.2.9', exact: true, specifier: '==4.2.9', line: 2 }],
    ['nothing about Django', { 'requirements.txt': 'flask==3.0\ndjango-environ==0.11\n' }, undefined],
  ];
  for (const [name, files, expected] of cases) {
    it(`reads ${name}`, () => {
      const dir = projectWith(files);
      try {
        const found = findDjangoVersion(dir);
        assert.deepEqual(found && { version: found.version, exact: found.exact, specifier: found.specifier, line: found.source.line }, expected);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
