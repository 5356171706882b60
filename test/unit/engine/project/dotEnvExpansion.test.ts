import * as assert from 'node:assert/strict';
import { settingValueToJson } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

/** The settings' value of NAME once they have loaded `.env` beside manage.py with `load`. */
async function loaded(load: string, dotEnv: string, env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const project = await projectWithSettings(`import os\nimport dotenv\nimport environ\nenv = environ.Env()\n${load}\nNAME = env("URL")\n`, { 'app/.env': dotEnv }, env);
  return settingValueToJson(project.settings.find((s) => s.name === 'NAME')!.value);
}

describe('variables in .env files, per loader', () => {
  const file = 'HOST=cache.internal\nURL=redis://${HOST}:${PORT:-6379}/4\n';

  it("expands ${NAME} and ${NAME:-default} as python-dotenv's load_dotenv does, the environment first", async () => {
    assert.equal(await loaded('dotenv.load_dotenv(os.path.join(os.path.dirname(__file__), ".env"))', file), 'redis://cache.internal:6379/4');
    assert.equal(await loaded('dotenv.load_dotenv(os.path.join(os.path.dirname(__file__), ".env"))', file, { HOST: 'from-env', PORT: '7000' }), 'redis://from-env:7000/4');
    assert.equal(await loaded('dotenv.load_dotenv(os.path.join(os.path.dirname(__file__), ".env"), override=True)', file, { HOST: 'from-env' }), 'redis://cache.internal:6379/4');
    assert.equal(await loaded('dotenv.load_dotenv(os.path.join(os.path.dirname(__file__), ".env"), interpolate=False)', file), 'redis://${HOST}:${PORT:-6379}/4');
  });

  it('expands ${NAME} by the value the file assigned it before, as python-dotenv does, where the file assigns the name again later', async () => {
    const reassigned = 'HOST=localhost\nURL=redis://${HOST}:6379/4\n# in docker\nHOST=cache.internal\n';
    assert.equal(await loaded('dotenv.load_dotenv(os.path.join(os.path.dirname(__file__), ".env"))', reassigned), 'redis://localhost:6379/4');
    const project = await projectWithSettings('import os\nNAME = os.environ["URL"]\nHOST = os.environ["HOST"]\n', { '.env': reassigned });
    assert.deepEqual(
      ['NAME', 'HOST'].map((name) => settingValueToJson(project.settings.find((s) => s.name === name)!.value)),
      ['redis://localhost:6379/4', 'cache.internal'],
    );
  });

  it("keeps ${NAME} as written in a file django-environ's read_env loads, and follows its $NAME proxies", async () => {
    assert.equal(await loaded('env.read_env()', file), 'redis://${HOST}:${PORT:-6379}/4');
    assert.equal(await loaded('env.read_env()', 'REDISCLOUD=redis://cloud:6379/0\nURL=$REDISCLOUD\n'), 'redis://cloud:6379/0');
  });

  it("expands a project's own .env, whose loader is not known, as python-dotenv would", async () => {
    const project = await projectWithSettings('import os\nNAME = os.environ["URL"]\n', { '.env': file });
    assert.equal(settingValueToJson(project.settings.find((s) => s.name === 'NAME')!.value), 'redis://cache.internal:6379/4');
  });
});
