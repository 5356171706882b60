/**
 * The environment variables one settings evaluation reads. The process environment always
 * wins: `.env` files only fill in names it lacks, as python-dotenv's `load_dotenv()`
 * (override=False) and django-environ's `read_env()` (overwrite=False) behave.
 */
export class EvaluationEnvironment {
  private readonly values: Map<string, string>;
  /** Names a later file may not change: the process environment, then each explicitly loaded file's. */
  private readonly settled: Set<string>;

  /** `dotEnv` holds the project's own `.env` files, read before any code loads them. */
  constructor(processEnv: ReadonlyMap<string, string>, dotEnv: ReadonlyMap<string, string> = new Map()) {
    this.values = new Map([...dotEnv, ...processEnv]);
    this.settled = new Set(processEnv.keys());
  }

  /** A copy for a branch that may not run: what it loads must not leak into the rest of the module. */
  clone(): EvaluationEnvironment {
    const copy = new EvaluationEnvironment(new Map());
    this.values.forEach((value, name) => copy.values.set(name, value));
    this.settled.forEach((name) => copy.settled.add(name));
    return copy;
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value the process environment or a file the settings loaded gives: not one only the project's `.env`, read by guess, gives. */
  loaded(name: string): string | undefined {
    return this.settled.has(name) ? this.values.get(name) : undefined;
  }

  /**
   * Merges a file the settings load (`read_env(path)`, `load_dotenv(path)`). At run time that
   * file is in effect rather than a `.env` read by guess, so it replaces those names, but not
   * the process environment or an earlier loaded file unless `override` is set.
   */
  load(values: ReadonlyMap<string, string>, override = false): void {
    for (const [name, value] of values) {
      if (override || !this.settled.has(name)) {
        this.values.set(name, value);
        this.settled.add(name);
      }
    }
  }
}
