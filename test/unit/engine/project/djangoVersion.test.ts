import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findDjangoVersion, mayBeOnEitherSide } from '../../../../engine/src/project/djangoVersion';
import { tempProject } from './tempProject';

function projectWith(files: Record<string, string>): string {
  return tempProject(files, 'ds-version-');
}

describe('findDjangoVersion', () => {
  const cases: [string, Record<string, string>, { version: string; exact: boolean; specifier: string; line: number } | undefined][] = [
    ['a pinned requirement', { 'requirements.txt': 'requests==2.0\nDjango==3.2.25  # LTS\n' }, { version: '3.2.25', exact: true, specifier: '==3.2.25', line: 2 }],
    ['a range with extras', { 'requirements/base.txt': 'django[argon2]>=4.2,<5.0\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5.0', line: 1 }],
    ['poetry.lock over pyproject', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^4.2"\n', 'poetry.lock': '[[package]]\nname = "django"\nversion = "4.2.11"\n' }, { version: '4.2.11', exact: true, specifier: '==4.2.11', line: 1 }],
    ['a poetry caret', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^5.0"\n' }, { version: '5.0', exact: false, specifier: '>=5.0,<6', line: 3 }],
    ['PEP 621 dependencies', { 'pyproject.toml': '[project]\ndependencies = ["Django>=5.1", "psycopg"]\n' }, { version: '5.1', exact: false, specifier: '>=5.1', line: 2 }],
    ['Pipfile.lock', { 'Pipfile.lock': '{"default": {"django": {"hashes": [], "version": "==4.1.13"}}}' }, { version: '4.1.13', exact: true, specifier: '==4.1.13', line: 1 }],
    ['a Poetry inline table', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = {version = "^4.2", extras = ["argon2"]}\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5', line: 3 }],
    ['the pip-tools pin over its requirements.in', { 'requirements.in': 'django>=4.2\n', 'requirements.txt': '#\n# pip-compile\n#\ndjango==4.2.11\n    # via -r requirements.in\n' }, { version: '4.2.11', exact: true, specifier: '==4.2.11', line: 4 }],
    ['an exact pin anywhere over a range', { 'requirements/base.txt': 'Django>=4.2\n', 'pyproject.toml': '[project]\ndependencies = ["Django[argon2]==4.2.9"]\n' }, { version: '4.2.9', exact: true, specifier: '==4.2.9', line: 2 }],
    ['a Poetry bare version as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "4.2.7"\n' }, { version: '4.2.7', exact: true, specifier: '==4.2.7', line: 3 }],
    ['a Poetry inline table with a bare version as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = {extras = ["argon2"], version = "5.0.1"}\n' }, { version: '5.0.1', exact: true, specifier: '==5.0.1', line: 2 }],
    ['a Poetry bare pre-release as an exact pin', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "5.1rc1"\n' }, { version: '5.1rc1', exact: true, specifier: '==5.1rc1', line: 2 }],
    ['a Poetry wildcard as a range', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "4.2.*"\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<4.3', line: 2 }],
    ['a Poetry tilde as a range', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "~4.2.7"\n' }, { version: '4.2.7', exact: false, specifier: '>=4.2.7,<4.3', line: 2 }],
    ['a Poetry bare pin over a requirements range', { 'requirements.txt': 'Django>=4.2\n', 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "4.2.9"\n' }, { version: '4.2.9', exact: true, specifier: '==4.2.9', line: 2 }],
    ['PEP 621 dependencies with parenthesised clauses', { 'pyproject.toml': '[project]\ndependencies = ["django (>=4.2,<5.0)"]\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5.0', line: 2 }],
    ['PEP 621 dependencies with extras and parenthesised clauses', { 'pyproject.toml': '[project]\ndependencies = ["django[argon2](>=4.2)"]\n' }, { version: '4.2', exact: false, specifier: '>=4.2', line: 2 }],
    ['a parenthesised PEP 621 pin as exact', { 'pyproject.toml': '[project]\ndependencies = ["Django (==4.2.7)"]\n' }, { version: '4.2.7', exact: true, specifier: '==4.2.7', line: 2 }],
    ['a PEP 621 range over lines', { 'pyproject.toml': '[project]\ndependencies = [\n  "psycopg",\n  "Django>=4.2,<5",\n]\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5', line: 4 }],
    ['PEP 621 dependencies with extras', { 'pyproject.toml': '[project]\ndependencies = ["django[argon2]>=4.2"]\n' }, { version: '4.2', exact: false, specifier: '>=4.2', line: 2 }],
    ['a PEP 621 literal string', { 'pyproject.toml': "[project]\ndependencies = ['Django>=4.2']\n" }, { version: '4.2', exact: false, specifier: '>=4.2', line: 2 }],
    ['a PEP 621 requirement without its environment marker', { 'pyproject.toml': '[project]\ndependencies = ["django>=4.2,<5; python_version >= \'3.10\'"]\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5', line: 2 }],
    ['a parenthesised requirement', { 'requirements.txt': 'Django (>=4.2, <5.0)\n' }, { version: '4.2', exact: false, specifier: '>=4.2,<5.0', line: 1 }],
    ['a parenthesised setup.cfg requirement', { 'setup.cfg': '[options]\ninstall_requires =\n    Django (>=3.2)\n' }, { version: '3.2', exact: false, specifier: '>=3.2', line: 3 }],
    ['Django, not django-environ, from PEP 621 dependencies', { 'pyproject.toml': '[project]\ndependencies = ["django-environ (>=0.11)", "django (>=5.0)"]\n' }, { version: '5.0', exact: false, specifier: '>=5.0', line: 2 }],
    ["a package's own requirements folder (CVAT)", { 'cvat/__init__.py': '', 'cvat/requirements/base.in': 'attrs\ndjango~=5.2.4\n' }, { version: '5.2.4', exact: false, specifier: '~=5.2.4', line: 2 }],
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

describe('mayBeOnEitherSide of Django 5.0, where USE_TZ began to default to True', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['no requirement at all', {}, true],
    ['an open range from 4.2, which pip fills with 5.x', { 'requirements.txt': 'Django>=4.2\n' }, true],
    ['a range kept below 5.0', { 'requirements.txt': 'Django>=4.2,<5.0\n' }, false],
    ['a range kept below 5', { 'requirements.txt': 'Django>=4.2,<5\n' }, false],
    ['a range reaching 5.0 inclusive', { 'requirements.txt': 'Django>=4.2,<=5.0\n' }, true],
    ['a range up to 5.1', { 'requirements.txt': 'Django>=4.2,<5.1\n' }, true],
    ['a compatible release of 4.2 (below 5)', { 'requirements.txt': 'Django~=4.2\n' }, false],
    ['a compatible release of 4.2.7 (below 4.3)', { 'requirements.txt': 'Django~=4.2.7\n' }, false],
    ['a wildcard pin of 4.2', { 'requirements.txt': 'Django==4.2.*\n' }, false],
    ['Poetry caret of 4.2 (below 5)', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^4.2"\n' }, false],
    ['Poetry caret of 3.2 (below 4)', { 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^3.2"\n' }, false],
    ['an exact 4.2 pin', { 'requirements.txt': 'Django==4.2.11\n' }, false],
    ['a range from 5.0', { 'requirements.txt': 'Django>=5.0\n' }, false],
  ];
  for (const [name, files, expected] of cases) {
    it(`${expected ? 'may' : 'may not'} be: ${name}`, () => {
      const dir = projectWith(files);
      try {
        assert.equal(mayBeOnEitherSide(findDjangoVersion(dir), 5, 0), expected);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
