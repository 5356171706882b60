import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadedDotEnvValues, readDotEnvFile } from '../../engine/src/project/dotEnv';
import { expandDotEnvVariables } from '../../engine/src/project/dotEnvExpansion';
import { PYTHON, requireDjango } from './realDjango';

/** The environment both readers read the files in: `${FROM_ENV}` and a name the file sets again. */
const ENVIRONMENT = { PATH: '/usr/bin:/bin', FROM_ENV: 'environment', SHADOWED: 'environment' };

/**
 * Lines python-dotenv 0.21 (Debian's) reads as the current 1.2 does: a difference in any is a
 * different value handed to Django, a database or cache other than the one the project uses.
 */
const CASES: { name: string; text: string }[] = [
  { name: 'export, and spaces around =', text: 'export A=1\nexport  B = 2 \n  C=3\nD\t=\t4\n' },
  { name: 'quotes of both kinds', text: "A='single'\nB=\"double\"\nC=''\nD=\"\"\nE=\n" },
  { name: 'escapes inside double quotes, and single', text: 'A="n\\n t\\t q\\" s\\\' b\\\\ x\\x41 u\\u00e9"\nB=\'n\\n q\\\' b\\\\\'\nC=un\\nquoted\n' },
  { name: '# inside and outside quotes', text: "A=a # note\nB=a#b\nC='a # b' # note\nD=\"a # b\"# note\n# E=commented\nF=# value\n" },
  { name: 'text after a closing quote', text: "W='val' trailing\nII=\"a\"b\nOK=1\nQ=\"q\"   \n" },
  { name: 'a quote never closed', text: 'U="abc\nX=1\nY=2\n' },
  { name: 'a single quote never closed', text: "U='abc\nX=1\n" },
  { name: 'multi-line quoted values', text: 'KEY="-----BEGIN KEY-----\nDB=inside\n-----END KEY-----"\nAFTER=1\nS=\'l1\nl2\'\n' },
  { name: '${VAR} and ${VAR:-default}', text: 'HOST=db\nURL=postgres://${HOST}:${PORT:-5432}/${FROM_ENV}\nRAW=$HOST\nSHADOWED=file\nS=${SHADOWED}\nE=${NOPE}${EMPTY:-}\nESC="\\${HOST}"\nNEST=${NOPE:-${HOST}}\nODD=${}${:-d}${HOST\n' },
  { name: 'expansion in single quotes and of a name assigned again', text: "A=1\nB='${A}'\nA=2\nC=${A}\n" },
  { name: 'a name without a value', text: 'A=1\nA\nB=${A}\nNONE\nC=${NONE:-default}\nexport\n' },
  { name: 'CRLF line endings', text: 'A=1\r\nB="x\r\ny"\r\nC=3 # c\r\n' },
  { name: 'old Mac line endings', text: 'A=1\rB=2\r' },
  { name: 'keys with dots, dashes and other characters', text: "A.B=1\nC-D=2\n1E=3\nÄ=4\n'Q K'=5\n" },
  { name: 'malformed lines between good ones', text: 'A=1\n=x\nB C=2\nD=3\nA:B\nE="x"y # c\n' },
  { name: 'no newline at the end, = in values, tabs', text: 'URL=redis://h:1/0?a=b\nT=a\tb  \nLAST=x' },
];

function pythonDotenv(files: string[]): { values: Record<string, string | null>; loaded: Record<string, string> }[] {
  const run = spawnSync(PYTHON, [path.join(__dirname, 'python', 'dotenv_files.py')], { input: JSON.stringify(files), encoding: 'utf8', env: ENVIRONMENT });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { values: Record<string, string | null>; loaded: Record<string, string> }[];
}

describe(".env files read as python-dotenv's dotenv_values() and load_dotenv() read them", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-dotenv-'));
  const files = CASES.map((_, i) => path.join(dir, `case${i}.env`));
  let python: ReturnType<typeof pythonDotenv>;

  before(function () {
    requireDjango(this);
    CASES.forEach(({ text }, i) => fs.writeFileSync(files[i]!, text));
    python = pythonDotenv(files);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const environment = (name: string) => (ENVIRONMENT as Record<string, string>)[name];
  CASES.forEach(({ name }, i) => {
    it(name, () => {
      const entries = readDotEnvFile(files[i]!)!;
      const values = Object.fromEntries([...expandDotEnvVariables(entries, environment, true)].map(([key, value]) => [key, value ?? null]));
      assert.deepEqual(values, python[i]!.values, 'dotenv_values()');
      const loaded = [...loadedDotEnvValues(expandDotEnvVariables(entries, environment, false))].filter(([key, value]) => environment(key) !== value && !(key in ENVIRONMENT));
      assert.deepEqual(Object.fromEntries(loaded), python[i]!.loaded, 'load_dotenv()');
    });
  });
});
