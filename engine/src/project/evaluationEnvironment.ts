import type { SourceLocation } from '../stores/storeDescriptor';

/** A load of an environment file by the code read: the file, relative to the project, and the call that loads it. */
export interface EnvFileLoad {
  file: string;
  /** The call, as `proj/settings.py:8`. */
  at: string;
  location: SourceLocation;
}

/**
 * The environment variables one settings evaluation reads. The process environment always
 * wins: `.env` files only fill in names it lacks, as python-dotenv's `load_dotenv()`
 * (override=False) and django-environ's `read_env()` (overwrite=False) behave.
 *
 * A load that may or may not run (under a condition that cannot be evaluated) or whose file
 * cannot be told leaves the names it may set undecided: reading one gives its reason instead
 * of the value the environment would have without that load.
 */
export class EvaluationEnvironment {
  private readonly values: Map<string, string>;
  /** Names a later file may not change: the process environment, then each explicitly loaded file's. */
  private readonly settled: Set<string>;
  /** Names whose value depends on a load that may not run, with why. */
  private readonly undecided = new Map<string, string>();
  /** What loaded each name, for the reasons of undecided names and to tell where a value came from. */
  private readonly loadedBy = new Map<string, EnvFileLoad>();
  /** A load whose file cannot be told: any name it may change is undecided. */
  private unknownLoad?: { reason: string; override: boolean };
  /** Names the settings set to a value that cannot be known (`os.environ['X'] = f()`): set, but to what is undecided. */
  private readonly setUnknown = new Set<string>();

  /**
   * The names read whose value only a `.env` that nothing loads gave (see `guessed`), with that
   * file: shared by every clone, since a read on any way evaluation may go counts.
   */
  readonly guessedReads: Map<string, string>;
  /** The file each name of the `.env` files read by guess comes from. */
  private readonly guessed: ReadonlyMap<string, string>;

  /**
   * `dotEnv` holds the project's own `.env` files, read before any code loads them, each value
   * with its file; `tracking` is a clone's, shared with the environment it copies.
   */
  constructor(
    processEnv: ReadonlyMap<string, string>,
    dotEnv: ReadonlyMap<string, { value: string; file: string }> = new Map(),
    tracking = { guessed: new Map([...dotEnv].map(([name, { file }]) => [name, file])) as ReadonlyMap<string, string>, reads: new Map<string, string>() },
  ) {
    this.values = new Map([...[...dotEnv].map(([name, { value }]): [string, string] => [name, value]), ...processEnv]);
    this.settled = new Set(processEnv.keys());
    this.guessed = tracking.guessed;
    this.guessedReads = tracking.reads;
  }

  /** A copy for a branch that may not run: what it loads must not leak into the rest of the module. */
  clone(): EvaluationEnvironment {
    const copy = new EvaluationEnvironment(new Map(), new Map(), { guessed: this.guessed, reads: this.guessedReads });
    this.values.forEach((value, name) => copy.values.set(name, value));
    this.settled.forEach((name) => copy.settled.add(name));
    this.undecided.forEach((reason, name) => copy.undecided.set(name, reason));
    this.loadedBy.forEach((by, name) => copy.loadedBy.set(name, by));
    this.setUnknown.forEach((name) => copy.setUnknown.add(name));
    copy.unknownLoad = this.unknownLoad;
    return copy;
  }

  get(name: string): string | undefined {
    const value = this.values.get(name);
    const file = value === undefined || this.settled.has(name) ? undefined : this.guessed.get(name);
    if (file !== undefined) {
      this.guessedReads.set(name, file);
    }
    return value;
  }

  /** Whether `name` is set, even if to a value that cannot be known. */
  has(name: string): boolean {
    return this.values.has(name) || this.setUnknown.has(name);
  }

  /**
   * Why reading `name` gives no value that can be known here: a load that may not have run, or
   * whose file cannot be told, may set it. Undefined for a name that is not set and has no
   * default, which the caller reports as needed: setting it decides it, since the process
   * environment wins over loaded files.
   */
  undecidedRead(name: string, hasDefault: boolean): string | undefined {
    return this.has(name) || hasDefault ? this.undecidedReason(name) : undefined;
  }

  private undecidedReason(name: string): string | undefined {
    const undecided = this.undecided.get(name);
    if (undecided !== undefined) {
      return undecided;
    }
    const load = this.unknownLoad;
    return load && (load.override || !this.settled.has(name)) ? `environment variable ${name} may be set by ${load.reason}` : undefined;
  }

  /** The value the process environment or a file the settings loaded gives: not one only the project's `.env`, read by guess, gives. */
  loaded(name: string): string | undefined {
    return this.settled.has(name) ? this.values.get(name) : undefined;
  }

  /** The last load of a file that set `name`, if one did. */
  loadOf(name: string): EnvFileLoad | undefined {
    return this.loadedBy.get(name);
  }

  /**
   * Merges a file the settings load (`read_env(path)`, `load_dotenv(path)`). At run time that
   * file is in effect rather than a `.env` read by guess, so it replaces those names, but not
   * the process environment or an earlier loaded file unless `override` is set. `by` says
   * what loaded them, for the reasons given if the load turns out to be undecided.
   */
  load(values: ReadonlyMap<string, string>, override = false, by?: EnvFileLoad): void {
    for (const [name, value] of values) {
      if (override || !this.settled.has(name)) {
        this.values.set(name, value);
        this.settled.add(name);
        if (by !== undefined) {
          this.loadedBy.set(name, by);
        }
        // Whether or not the undecided load ran, an overriding one decides the value.
        if (override) {
          this.undecided.delete(name);
        }
      }
    }
  }

  /** A load whose file cannot be told (`load_dotenv(SOME_UNKNOWN_PATH)`): `what` names it and says why. */
  loadUnknown(what: string, override: boolean): void {
    this.unknownLoad = { reason: what, override: override || this.unknownLoad?.override === true };
  }

  /** `os.environ[name] = value`: set whatever was there before; undefined when the value cannot be known. */
  set(name: string, value: string | undefined, reason: string): void {
    this.settled.add(name);
    if (value === undefined) {
      this.values.delete(name);
      this.undecided.set(name, reason);
      this.setUnknown.add(name);
    } else {
      this.values.set(name, value);
      this.undecided.delete(name);
      this.setUnknown.delete(name);
    }
  }

  /**
   * Takes the ways evaluation may have gone (each a clone of this environment, `this` among
   * them or not): a name they all leave alike keeps that value; one they leave differently
   * becomes undecided, its reason naming what loaded it and `why` that may not have run.
   */
  join(outcomes: EvaluationEnvironment[], why: string): void {
    const names = new Set(outcomes.flatMap((outcome) => [...outcome.values.keys(), ...outcome.undecided.keys()]));
    const decided = new Map<string, string | undefined>();
    const undecided = new Map<string, string>();
    for (const name of names) {
      const reason = outcomes.map((outcome) => outcome.undecided.get(name)).find((found) => found !== undefined);
      const values = new Set(outcomes.map((outcome) => outcome.values.get(name)));
      if (reason !== undefined) {
        undecided.set(name, reason);
      } else if (values.size > 1) {
        const by = outcomes.map((outcome) => outcome.loadedBy.get(name)).find((found) => found !== undefined);
        undecided.set(name, `environment variable ${name} may be set by ${by ? `${by.file} (loaded at ${by.at})` : 'a load'} or not: ${why}`);
      } else {
        decided.set(name, [...values][0]);
      }
    }
    for (const [name, value] of decided) {
      if (value === undefined) {
        this.values.delete(name);
      } else {
        this.values.set(name, value);
      }
    }
    for (const [name, reason] of undecided) {
      this.values.delete(name);
      this.undecided.set(name, reason);
    }
    for (const outcome of outcomes) {
      outcome.settled.forEach((name) => this.settled.add(name));
      outcome.setUnknown.forEach((name) => this.setUnknown.add(name));
      outcome.loadedBy.forEach((by, name) => this.loadedBy.set(name, by));
    }
    const unknownLoad = outcomes.find((outcome) => outcome.unknownLoad && outcome.unknownLoad !== this.unknownLoad)?.unknownLoad;
    if (unknownLoad) {
      // A load in nested branches or loops is joined once per level: each cause is said once. A
      // single outcome is the way evaluation went (see adoptOutcome): its load is not conditional.
      const certain = outcomes.length === 1 || unknownLoad.reason.includes(why);
      this.unknownLoad = { reason: certain ? unknownLoad.reason : `${unknownLoad.reason}, if it runs: ${why}`, override: unknownLoad.override };
    }
  }
}
