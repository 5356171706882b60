import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { discoverProjects } from '../../engine/src';
import { tempProject } from '../unit/engine/project/tempProject';
import { PYTHON, requireDjango } from './realDjango';

const MANAGE = (body: string) =>
  `#!/usr/bin/env python\nimport os\nimport sys\n\nfrom dotenv import load_dotenv\n\n\ndef main():\n${body}    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n`;
const SETTINGS = Object.fromEntries([
  ['proj/__init__.py', ''],
  ...['dev', 'test', 'prod'].map((name) => [`proj/${name}.py`, `SECRET_KEY = "${name}"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "${name}.sqlite3"}}\n`]),
]);

/** manage.py layouts that choose their settings by the command or the environment, with the environment each is run in. */
const CASES: { name: string; manage: string; files?: Record<string, string>; env?: Record<string, string> }[] = [
  {
    name: 'an if/else on sys.argv for "test"',
    manage: MANAGE('    if len(sys.argv) > 1 and sys.argv[1] == "test":\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.test")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n'),
  },
  {
    name: 'an f-string of os.getenv with ENV in the .env that load_dotenv() loads',
    manage: MANAGE('    load_dotenv()\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{os.getenv(\'ENV\', \'dev\')}")\n'),
    files: { '.env': 'ENV=prod\n' },
  },
  {
    name: 'an f-string of os.getenv with ENV unset',
    manage: MANAGE('    load_dotenv()\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{os.getenv(\'ENV\', \'dev\')}")\n'),
  },
  {
    name: 'DJANGO_SETTINGS_MODULE in a file load_dotenv() loads before the setdefault',
    manage: MANAGE('    load_dotenv("config/app.env")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n'),
    files: { 'config/app.env': 'DJANGO_SETTINGS_MODULE=proj.prod\n' },
  },
  {
    name: 'DJANGO_SETTINGS_MODULE in the .env that load_dotenv() loads after the setdefault',
    manage: MANAGE('    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n    load_dotenv()\n'),
    files: { '.env': 'DJANGO_SETTINGS_MODULE=proj.prod\n' },
  },
  {
    name: '`… if "WEBSITE_HOSTNAME" in os.environ else …` with the variable set',
    manage: MANAGE('    module = "proj.prod" if "WEBSITE_HOSTNAME" in os.environ else "proj.dev"\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", module)\n'),
    env: { WEBSITE_HOSTNAME: 'app.azurewebsites.net' },
  },
];

describe("manage.py's settings module, as real Django's manage.py shell imports it", function () {
  before(function () {
    requireDjango(this);
  });

  for (const { name, manage, files, env = {} } of CASES) {
    it(`agrees with Django on ${name}`, async () => {
      const dir = tempProject({ 'manage.py': manage, ...SETTINGS, ...files });
      try {
        const processEnv = { ...process.env, ...env };
        delete processEnv.DJANGO_SETTINGS_MODULE;
        delete processEnv.ENV;
        const run = spawnSync(PYTHON, ['manage.py', 'shell', '-c', 'from django.conf import settings; print(settings.SETTINGS_MODULE)'], { cwd: dir, encoding: 'utf8', env: processEnv });
        assert.equal(run.status, 0, run.stderr);
        const [project] = await discoverProjects(dir, { env: processEnv });
        assert.equal(project?.settingsModule, run.stdout.trim());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
