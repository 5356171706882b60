import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { discoverProjects } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

const MANAGE = (body: string) => `#!/usr/bin/env python\nimport os\nimport sys\n\n\ndef main():\n${body}    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n`;
const SETTINGS = (...names: string[]) => Object.fromEntries([['proj/__init__.py', ''], ...names.map((name) => [`proj/${name}.py`, `SECRET_KEY = "${name}"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "${name}.sqlite3"}}\n`])]);

/** The settings module discovery reads for `files`, its note and problems, with `env` as the environment. */
async function discovered(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const dir = tempProject(files, 'ds-managepy-');
  try {
    const [project] = await discoverProjects(dir, { env });
    return { module: project?.settingsModule, note: project?.settingsNote, keys: project?.stores[0]?.secretKeys.values, problems: project?.problems.map((p) => [p.message, p.location?.line]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("manage.py's settings module for a normal run", () => {
  it('takes the branch a normal run takes where manage.py tests sys.argv for "test", whichever way the test is written', async () => {
    const bodies = [
      '    if len(sys.argv) > 1 and sys.argv[1] == "test":\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.test")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n',
      '    if "test" not in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.test")\n',
      '    module = "proj.test" if sys.argv[1:2] == ["test"] else "proj.dev"\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", module)\n',
    ];
    for (const body of bodies) {
      const found = await discovered({ 'manage.py': MANAGE(body), ...SETTINGS('dev', 'test') });
      assert.deepEqual([found.module, found.keys, found.problems], ['proj.dev', ['dev'], []], body);
    }
  });

  it('evaluates an f-string of os.getenv after load_dotenv() as settings are, and says which variable chose the module or that its default did', async () => {
    const files = {
      'manage.py': MANAGE('    load_dotenv()\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{os.getenv(\'ENV\', \'dev\')}")\n').replace('import sys\n', 'import sys\n\nfrom dotenv import load_dotenv\n'),
      ...SETTINGS('dev', 'prod'),
    };
    assert.deepEqual(await discovered(files), { module: 'proj.dev', note: 'settings module proj.dev: manage.py:10 chose it with ENV not set (its default taken)', keys: ['dev'], problems: [] });
    assert.deepEqual(await discovered({ ...files, '.env': 'ENV=prod\n' }), { module: 'proj.prod', note: 'settings module proj.prod: manage.py:10 chose it with ENV=prod (from .env)', keys: ['prod'], problems: [] });
    assert.deepEqual((await discovered({ ...files, '.env': 'ENV=prod\n' }, { ENV: 'dev' })).note, 'settings module proj.dev: manage.py:10 chose it with ENV=dev (from the environment)');
  });

  it("says which variable chose the module where manage.py reads it through django-environ's env(), env.str() or a name bound to one", async () => {
    const manage = (body: string) => MANAGE(`    env = environ.Env()\n    environ.Env.read_env()\n${body}`).replace('import sys\n', 'import sys\n\nimport environ\n');
    const bodies = [
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", env("SETTINGS", default="proj.dev"))\n',
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{env.str(\'ENV\', \'dev\')}")\n',
      '    module = env("SETTINGS", str, "proj.dev")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", module)\n',
    ];
    const notes = [];
    for (const body of bodies) {
      notes.push((await discovered({ 'manage.py': manage(body), ...SETTINGS('dev', 'prod') })).note);
      notes.push((await discovered({ 'manage.py': manage(body), ...SETTINGS('dev', 'prod'), '.env': 'SETTINGS=proj.prod\nENV=prod\n' })).note);
    }
    assert.deepEqual(notes, [
      'settings module proj.dev: manage.py:11 chose it with SETTINGS not set (its default taken)',
      'settings module proj.prod: manage.py:11 chose it with SETTINGS=proj.prod (from .env)',
      'settings module proj.dev: manage.py:11 chose it with ENV not set (its default taken)',
      'settings module proj.prod: manage.py:11 chose it with ENV=prod (from .env)',
      'settings module proj.dev: manage.py:12 chose it with SETTINGS not set (its default taken)',
      'settings module proj.prod: manage.py:12 chose it with SETTINGS=proj.prod (from .env)',
    ]);
  });

  it("decides `… if NAME in os.environ else …` by the environment, not by wsgi.py (Azure's sample)", async () => {
    const files = {
      'manage.py': MANAGE('    settings_module = "proj.production" if "WEBSITE_HOSTNAME" in os.environ else "proj.dev"\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)\n'),
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.wsgisettings")\n',
      ...SETTINGS('dev', 'production', 'wsgisettings'),
    };
    assert.deepEqual(await discovered(files), { module: 'proj.dev', note: 'settings module proj.dev: manage.py:8 chose it with WEBSITE_HOSTNAME not set', keys: ['dev'], problems: [] });
    assert.deepEqual((await discovered(files, { WEBSITE_HOSTNAME: 'x.azurewebsites.net' })).module, 'proj.production');
  });

  it('names the candidates and asks to pick one where the condition cannot be told, reading no other file instead', async () => {
    const files = {
      'manage.py': MANAGE('    if socket.gethostname() == "prod-1":\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.production")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n').replace('import sys\n', 'import socket\nimport sys\n'),
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.wsgisettings")\n',
      ...SETTINGS('dev', 'production', 'wsgisettings'),
    };
    assert.deepEqual(await discovered(files), {
      module: undefined,
      note: undefined,
      keys: undefined,
      problems: [
        [
          'manage.py sets DJANGO_SETTINGS_MODULE to proj.production or proj.dev, and which one depends on a condition that cannot be evaluated statically (socket.gethostname() == "prod-1": cannot evaluate a call to socket.gethostname statically); pick one of proj.production, proj.dev with --settings in the CLI or djangoSessions.project.settingsModule in VS Code',
          9,
        ],
      ],
    });
    assert.equal((await discovered(files, { DJANGO_SETTINGS_MODULE: 'proj.dev' })).module, 'proj.dev');
  });

  it('does not take the settings of runserver for those of shell where manage.py tells them apart', async () => {
    const files = { 'manage.py': MANAGE('    if "runserver" in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n'), ...SETTINGS('dev') };
    assert.deepEqual((await discovered(files)).problems, [
      ['manage.py sets DJANGO_SETTINGS_MODULE to proj.dev for runserver and nothing for shell; name the settings module (--settings in the CLI, djangoSessions.project.settingsModule in VS Code)', 8],
    ]);
  });

  it('follows a function of the project that manage.py calls into, where that function sets DJANGO_SETTINGS_MODULE (from proj.boot import run; run(sys.argv))', async () => {
    const launcher = 'import sys\nfrom proj.boot import run\n\nif __name__ == "__main__":\n    run(sys.argv)\n';
    const boot = (body: string) => `import os\nimport sys\n\n\ndef configure():\n    os.environ["DJANGO_SETTINGS_MODULE"] = "proj.prod"\n\n\ndef run(argv):\n${body}    from django.core.management import execute_from_command_line\n    execute_from_command_line(argv)\n`;
    const fromEnv = { 'manage.py': launcher, 'proj/boot.py': boot('    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{os.getenv(\'ENV\', \'dev\')}")\n'), ...SETTINGS('dev', 'prod') };
    assert.deepEqual(await discovered(fromEnv), { module: 'proj.dev', note: 'settings module proj.dev: proj/boot.py:10 chose it with ENV not set (its default taken)', keys: ['dev'], problems: [] });
    assert.deepEqual((await discovered(fromEnv, { ENV: 'prod' })).keys, ['prod']);
    // A helper of that module it calls is followed too, and its assignment replaces the environment's.
    const viaHelper = { ...fromEnv, 'proj/boot.py': boot('    configure()\n') };
    assert.deepEqual((await discovered(viaHelper, { DJANGO_SETTINGS_MODULE: 'proj.dev' })).keys, ['prod']);
    // Run as manage.py runs it: sys.argv is that of the command.
    const byCommand = { ...fromEnv, 'proj/boot.py': boot('    if "runserver" in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n') };
    assert.match((await discovered(byCommand)).problems![0]![0] as string, /^manage\.py sets DJANGO_SETTINGS_MODULE to proj\.dev for runserver and nothing for shell;/);
  });

  it("runs such a function past a call it cannot follow, as manage.py's own code runs, so a later write of DJANGO_SETTINGS_MODULE wins", async () => {
    const launcher = 'import sys\nfrom proj.boot import run\n\nif __name__ == "__main__":\n    run(sys.argv)\n';
    const body = '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n    tooling.prepare()\n    os.environ["DJANGO_SETTINGS_MODULE"] = "proj.prod"\n';
    const boot = `import os\nimport tooling\n\n\ndef run(argv):\n${body}    from django.core.management import execute_from_command_line\n    execute_from_command_line(argv)\n`;
    const inBoot = await discovered({ 'manage.py': launcher, 'proj/boot.py': boot, 'tooling.py': '', ...SETTINGS('dev', 'prod') });
    assert.deepEqual([inBoot.module, inBoot.keys], ['proj.prod', ['prod']]);
    // The same lines in manage.py's main() read the same.
    const inline = await discovered({ 'manage.py': MANAGE(body).replace('import sys\n', 'import sys\nimport tooling\n'), 'tooling.py': '', ...SETTINGS('dev', 'prod') });
    assert.deepEqual([inline.module, inline.keys], ['proj.prod', ['prod']]);
  });
});

describe("manage.py's settings module and the env files manage.py loads", () => {
  const loading = (lines: string) => MANAGE(lines).replace('import sys\n', 'import sys\n\nfrom dotenv import load_dotenv\n');

  it("reads DJANGO_SETTINGS_MODULE from a file manage.py loads before its setdefault, and says where it came from", async () => {
    const files = { 'manage.py': loading('    load_dotenv("config/app.env")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n'), 'config/app.env': 'DJANGO_SETTINGS_MODULE=proj.prod\n', ...SETTINGS('dev', 'prod') };
    assert.deepEqual(await discovered(files), { module: 'proj.prod', note: 'settings module proj.prod: manage.py:9 chose it with DJANGO_SETTINGS_MODULE=proj.prod in config/app.env', keys: ['prod'], problems: [] });
    // The process environment still wins over the file, as load_dotenv() leaves it.
    assert.deepEqual((await discovered(files, { DJANGO_SETTINGS_MODULE: 'proj.dev' })).keys, ['dev']);
    // A variable the module is computed from is said to come from that file.
    const computed = await discovered({ ...files, 'manage.py': loading('    load_dotenv("config/app.env")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.{os.getenv(\'ENV\', \'dev\')}")\n'), 'config/app.env': 'ENV=prod\n' });
    assert.deepEqual([computed.module, computed.note], ['proj.prod', 'settings module proj.prod: manage.py:10 chose it with ENV=prod (from config/app.env)']);
  });

  it("keeps manage.py's setdefault where the .env it loads after it names other settings, as Django does", async () => {
    const files = { 'manage.py': loading('    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n    load_dotenv()\n'), '.env': 'DJANGO_SETTINGS_MODULE=proj.prod\n', ...SETTINGS('dev', 'prod') };
    const found = await discovered(files);
    assert.deepEqual([found.module, found.keys, found.problems], ['proj.dev', ['dev'], []]);
    // Loaded before the setdefault, the .env's module is the one.
    const first = await discovered({ ...files, 'manage.py': loading('    load_dotenv()\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.dev")\n') });
    assert.deepEqual([first.module, first.keys], ['proj.prod', ['prod']]);
  });
});

describe("manage.py's settings module chosen in a function of the project that uses global, nonlocal, yield or await", () => {
  const launcher = 'import sys\nfrom proj.boot import run\n\nif __name__ == "__main__":\n    run(sys.argv)\n';
  const boot = (body: string) => `import os\n\nSTARTED = False\n\n\ndef run(argv):\n${body}    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.prod")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(argv)\n`;
  const read = (body: string) => discovered({ 'manage.py': launcher, 'proj/boot.py': boot(body), ...SETTINGS('prod') });

  it('follows one that declares a global of its module, or whose inner functions use nonlocal or yield', async () => {
    const bodies = [
      '    global STARTED\n    STARTED = True\n',
      '    count = 0\n\n    def bump():\n        nonlocal count\n        count += 1\n\n',
      '    def lines():\n        yield "x"\n\n',
    ];
    for (const body of bodies) {
      const found = await read(body);
      assert.deepEqual([found.module, found.keys, found.problems], ['proj.prod', ['prod'], []], body);
    }
  });

  it('says that the module is chosen in a function that cannot be read statically, naming it, where its own body awaits or yields', async () => {
    const found = await read('    yield\n');
    assert.deepEqual(found.problems, [
      [
        "manage.py's DJANGO_SETTINGS_MODULE is chosen in run() (proj/boot.py:6), which cannot be read statically: it uses yield; name the settings module (--settings in the CLI, djangoSessions.project.settingsModule in VS Code)",
        6,
      ],
    ]);
  });
});
