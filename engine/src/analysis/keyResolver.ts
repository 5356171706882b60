import * as path from 'node:path';
import { DJANGO_SESSION_KEY_CONSTANTS, isDjangoModule } from './djangoConstants';
import type { FileAnalysis } from './fileAnalysis';
import type { KeyPart } from './composedKey';
import type { KeyExpression } from './keyExpression';
import type { ModuleFacts, StringConstant } from './moduleFacts';
import { childModule, type ModuleRef } from './moduleRef';
import { type ProjectSettingKeys, settingKey } from './settingKeys';

/** Where a key constant is defined in the project. */
export interface ConstantDefinition {
  file: string;
  name: string;
  constant: StringConstant;
}

/** A key expression resolved to its string, or the reason it cannot be. */
export type KeyResolution = { key: string; definition?: ConstantDefinition } | { reason: string; prefix?: string; unset?: true };

const MAX_IMPORT_HOPS = 8;
/** The bases that make a class an Enum (by their last name, as `enum.Enum` or `models.TextChoices` is written). */
const ENUM_BASES = new Set(['Enum', 'StrEnum', 'TextChoices', 'Choices']);
/** Django's settings object, as `from django.conf import settings` imports it. */
const DJANGO_SETTINGS = 'django.conf.settings';

/** Resolves key names across the modules of one index snapshot. */
export class KeyResolver {
  /**
   * File paths by module base name; paths, not analyses, so a re-analysed file is seen as it
   * is now. Made on the first absolute import to look up: many projects import keys only
   * relatively or from Django, and the set of files does not change while this resolver lives.
   */
  private byModuleName: Map<string, string[]> | undefined;
  /** By attribute name, the classes binding it by each class they inherit from (see holdersBelow); made as `self.NAME` lookups ask. */
  private classesByAttribute: Map<string, Map<string, { file: string; className: string }[]>> | undefined;

  /**
   * `files` is read live: the resolver stays valid while the set of files does not change.
   * `scopeOf` names the workspace folder a file is in: imports resolve within it only.
   * `settingsOf` gives the Django projects whose settings `settings.NAME` may mean in a file.
   */
  constructor(
    private readonly files: ReadonlyMap<string, FileAnalysis>,
    private readonly scopeOf: (file: string) => string = () => '',
    private readonly settingsOf: (file: string) => readonly ProjectSettingKeys[] = () => [],
  ) {}

  private modulesByName(): Map<string, string[]> {
    if (!this.byModuleName) {
      this.byModuleName = new Map();
      for (const file of this.files.keys()) {
        const name = moduleBaseName(file);
        const list = this.byModuleName.get(name) ?? [];
        list.push(file);
        this.byModuleName.set(name, list);
      }
    }
    return this.byModuleName;
  }

  /** Forgets what was read from the files' classes: the index calls this when a file's module facts change. */
  classesChanged(): void {
    this.classesByAttribute = undefined;
  }

  /**
   * The other keys an access's key takes at run time: for `self.NAME` in a method of a class, the
   * NAME of each subclass in the project that binds its own (a mixin's `filter_session_key`, set
   * per view); for a key put together from such attributes (`f"{self.prefix}_cart"`, the base
   * leaving `prefix = None` for its subclasses to fill), the key each of those subclasses makes.
   * None for any other key.
   */
  overrides(from: FileAnalysis, key: KeyExpression): Extract<KeyResolution, { key: string }>[] {
    if (key.kind === 'classAttribute' && key.onSelf) {
      return this.subclassesBinding(from, key.className, key.name).map(({ resolved }) => resolved);
    }
    return key.kind === 'composed' ? this.composedOverrides(from, key.parts) : [];
  }

  /** The subclasses of a class (however far down) that bind NAME to a str, each with that str. */
  private subclassesBinding(from: FileAnalysis, className: string, name: string): { className: string; resolved: Extract<KeyResolution, { key: string }> }[] {
    const found: { className: string; resolved: Extract<KeyResolution, { key: string }> }[] = [];
    for (const holder of this.holdersBelow(name).get(classId(from.file, className)) ?? []) {
      const file = this.files.get(holder.file);
      const resolved = file ? this.resolveClassConstant(file, holder.className, name, 0) : undefined;
      if (resolved && 'key' in resolved) {
        found.push({ className: holder.className, resolved });
      }
    }
    return found;
  }

  /** The keys a composition makes with the `self.NAME` pieces of each subclass that binds one of them, in its place. */
  private composedOverrides(from: FileAnalysis, parts: readonly KeyPart<KeyExpression>[]): Extract<KeyResolution, { key: string }>[] {
    const holders = new Map<string, { file: FileAnalysis; className: string }>();
    for (const part of parts) {
      if (typeof part === 'string' || part.kind !== 'classAttribute' || !part.onSelf) {
        continue;
      }
      for (const holder of this.holdersBelow(part.name).get(classId(from.file, part.className)) ?? []) {
        const file = this.files.get(holder.file);
        if (file) {
          holders.set(classId(holder.file, holder.className), { file, className: holder.className });
        }
      }
    }
    return [...holders.values()].flatMap((self) => {
      const resolved = this.resolveParts(from, parts, 0, self);
      return 'key' in resolved ? [{ key: resolved.key }] : [];
    });
  }

  /**
   * For one attribute name, the classes binding it by each class they inherit from, however far
   * up (by classId): built once per name, so asking for every `self.NAME` of a large project
   * costs each holder's bases once, not once per access.
   */
  private holdersBelow(name: string): Map<string, { file: string; className: string }[]> {
    this.classesByAttribute ??= new Map();
    let below = this.classesByAttribute.get(name);
    if (!below) {
      below = new Map();
      for (const [file, analysis] of this.files) {
        for (const [className, facts] of analysis.module.classes) {
          if (!facts.constants.has(name) && !facts.aliases.has(name)) {
            continue;
          }
          for (const ancestor of this.ancestorsOf(analysis, className)) {
            const list = below.get(ancestor) ?? [];
            list.push({ file, className });
            below.set(ancestor, list);
          }
        }
      }
      this.classesByAttribute.set(name, below);
    }
    return below;
  }

  /** The classes a class inherits from, however far up, as inClassTree walks them, by classId. */
  private ancestorsOf(file: FileAnalysis, className: string): Set<string> {
    const seen = new Set<string>();
    this.inClassTree(file, className, 0, (at, cls) => void seen.add(classId(at.file, cls)));
    seen.delete(classId(file.file, className));
    return seen;
  }

  /** Resolves the key of one access in `from`. */
  resolve(from: FileAnalysis, key: KeyExpression): KeyResolution {
    switch (key.kind) {
      case 'literal':
        return { key: key.value };
      case 'dynamic':
        return key.prefix ? { reason: key.reason, prefix: key.prefix } : { reason: key.reason };
      case 'name':
        return this.resolveName(from, key.name, 0);
      case 'classAttribute': {
        const resolved = this.resolveClassConstant(from, key.className, key.name, 0);
        if ('key' in resolved || !key.onSelf) {
          return resolved;
        }
        const assigned = this.instanceAttributeReason(from, key.className, key.name);
        return (
          assigned ??
          (key.setOnInstance ? { reason: `'self.${key.name}' is an instance attribute set at runtime (${key.className}'s methods assign it), not a str class attribute` } : undefined) ??
          this.placeholderReason(from, key.className, key.name) ??
          resolved
        );
      }
      case 'member':
        return this.resolveMember(from, key.owner, key.name);
      case 'composed': {
        const resolved = this.resolveParts(from, key.parts, 0);
        return 'key' in resolved ? resolved : { ...resolved, reason: `the key is built from ${partsText(key.parts)}: ${resolved.reason}` };
      }
    }
  }

  /**
   * The str a composition's pieces put together make, or why one piece has none, with the
   * literal the key starts with as far as the pieces before it tell.
   */
  private resolveParts(from: FileAnalysis, parts: readonly KeyPart<KeyExpression>[], hops: number, self?: { file: FileAnalysis; className: string }): KeyResolution {
    let key = '';
    for (const part of parts) {
      const resolved =
        typeof part === 'string'
          ? { key: part }
          : part.kind === 'name'
            ? this.resolveName(from, part.name, hops)
            : part.kind === 'member'
              ? this.resolveMember(from, part.owner, part.name, hops)
              : self && part.kind === 'classAttribute' && part.onSelf
                ? this.resolveClassConstant(self.file, self.className, part.name, hops)
                : this.resolve(from, part);
      if (!('key' in resolved)) {
        return key === '' ? { reason: resolved.reason } : { reason: resolved.reason, prefix: key };
      }
      key += resolved.key;
    }
    return { key };
  }

  /**
   * `owner.NAME`: a constant of a module (`keys.CART`, also Django's), or of a class here, imported
   * or reached through a module (`Keys.CART`, `keys.Keys.CART`).
   */
  /** `hops` counts the names followed to get here, so a cycle through class attributes and aliases ends. */
  private resolveMember(from: FileAnalysis, owner: string, name: string, hops = 0): KeyResolution {
    const module = from.module.classes.has(owner) ? undefined : moduleNamed(from.module, owner);
    if (module?.kind === 'dotted' && module.name === DJANGO_SETTINGS) {
      return this.resolveSetting(from, name);
    }
    if (module?.kind === 'dotted' && isDjangoModule(module.name)) {
      return djangoConstant(name);
    }
    const target = module && this.findModule(module, from);
    if (target) {
      return this.resolveName(target, name, hops + 1);
    }
    const defined = this.findClass(from, owner, hops);
    if (defined) {
      const enumKind = this.enumKind(defined.file, defined.className, defined.hops);
      const resolved = this.resolveClassConstant(defined.file, defined.className, name, defined.hops);
      // A plain Enum's member is no str: JSON cannot store it as a key, and no str key equals it.
      return enumKind === 'plain' && 'key' in resolved
        ? { reason: `'${owner}.${name}' is a member of the Enum ${defined.className}, not a str (no str key equals it, and JSON cannot store it as a key): its str is ${owner}.${name}.value` }
        : resolved;
    }
    const enumValue = name === 'value' ? this.resolveEnumValue(from, owner, hops) : undefined;
    if (enumValue) {
      return enumValue;
    }
    if (!module) {
      return { reason: `'${owner}.${name}' is not a constant the scanner can find` };
    }
    // The module the owner was looked up in: its parent module, or the one it is imported from.
    const dot = owner.lastIndexOf('.');
    const source = dot === -1 ? from.module.imports.get(owner)?.module : moduleNamed(from.module, owner.slice(0, dot));
    return { reason: source && this.findModule(source, from) ? `'${owner}' is neither a module nor a class the scanner can find` : `module '${owner}' is not in the project` };
  }

  /**
   * `Owner.MEMBER.value` of an Enum the index finds: the str its MEMBER is bound to, named (for
   * DS106 and hover) as code must write it, with `.value` for a plain Enum's member.
   */
  private resolveEnumValue(from: FileAnalysis, owner: string, hops: number): KeyResolution | undefined {
    const dot = owner.lastIndexOf('.');
    const defined = dot === -1 ? undefined : this.findClass(from, owner.slice(0, dot), hops);
    const enumKind = defined && this.enumKind(defined.file, defined.className, defined.hops);
    if (!defined || !enumKind) {
      return undefined;
    }
    const resolved = this.resolveClassConstant(defined.file, defined.className, owner.slice(dot + 1), defined.hops);
    return enumKind === 'plain' && 'key' in resolved && resolved.definition ? { ...resolved, definition: { ...resolved.definition, name: `${resolved.definition.name}.value` } } : resolved;
  }

  /**
   * Whether a class is an Enum, by the bases of its class tree: `'str'` where its members are strs
   * too (`class Keys(str, Enum)`, `StrEnum`, Django's `TextChoices`), `'plain'` where they are not.
   */
  private enumKind(from: FileAnalysis, className: string, hops: number): 'str' | 'plain' | undefined {
    const bases = new Set<string>();
    this.inClassTree(from, className, hops, (file, cls) => {
      for (const base of file.module.classes.get(cls)?.bases ?? []) {
        bases.add(base.slice(base.lastIndexOf('.') + 1));
      }
      return undefined;
    });
    if (![...bases].some((base) => ENUM_BASES.has(base))) {
      return undefined;
    }
    return bases.has('str') || bases.has('StrEnum') || bases.has('TextChoices') ? 'str' : 'plain';
  }

  /**
   * `settings.NAME` on Django's settings object: the value the settings of the file's project
   * give it, defined where the settings module the index holds assigns it that literal.
   */
  private resolveSetting(from: FileAnalysis, name: string): KeyResolution {
    const projects = this.settingsOf(from.file);
    if (projects.length !== 1) {
      return {
        reason: projects.length === 0
          ? `settings.${name} is read from the project's settings, and no Django project (manage.py) was found for this file`
          : `settings.${name} is read from the settings of whichever of ${projects.length} Django projects runs this file, which is not known`,
      };
    }
    const setting = settingKey(projects[0]!, name);
    if ('reason' in setting) {
      return setting;
    }
    const { key, assigned } = setting;
    const constant = assigned && this.files.get(assigned.file)?.module.constants.get(name);
    // Discovery reads the file on disk, the index an editor's text: the literal counts only where both agree.
    if (assigned && constant?.value === key && constant.range.start.line === assigned.line - 1 && constant.range.start.character === assigned.column) {
      return { key, definition: { file: assigned.file, name: `settings.${name}`, constant } };
    }
    return { key };
  }

  private resolveName(from: FileAnalysis, name: string, hops: number): KeyResolution {
    const constant = from.module.constants.get(name);
    if (constant) {
      return { key: constant.value, definition: { file: from.file, name, constant } };
    }
    const settingDefault = from.module.settingDefaults.get(name);
    if (settingDefault) {
      const setting = this.resolveSetting(from, settingDefault.setting);
      // Unset in the project's settings, the literal stands (Seahub's password-hash key).
      return 'key' in setting || !setting.unset
        ? setting
        : { key: settingDefault.fallback.value, definition: { file: from.file, name, constant: settingDefault.fallback } };
    }
    const alias = from.module.aliases.get(name);
    if (alias !== undefined) {
      return this.resolveAlias(from, name, alias, hops);
    }
    const composed = from.module.composed.get(name);
    if (composed !== undefined) {
      const resolved = hops < MAX_IMPORT_HOPS ? this.resolveParts(from, composed.parts, hops + 1) : chainTooLong(name);
      return 'key' in resolved || resolved.reason.startsWith('the key is the constant ')
        ? resolved
        : { reason: `the key is the constant ${name} (${this.placeOf(from.file, composed.line)}), built from ${partsText(composed.parts)}: ${resolved.reason}` };
    }
    const computed = from.module.computed.get(name);
    if (computed !== undefined) {
      return { reason: `the key is the constant ${name} (${this.placeOf(from.file, computed)}), bound to something other than a str literal` };
    }
    if (hops < MAX_IMPORT_HOPS) {
      const imported = from.module.imports.get(name);
      if (imported) {
        if (imported.module.kind === 'dotted' && isDjangoModule(imported.module.name)) {
          return djangoConstant(imported.name);
        }
        const target = this.findModule(imported.module, from);
        return target ? this.resolveName(target, imported.name, hops + 1) : { reason: `'${name}' is imported from a module that is not in the project` };
      }
      for (const star of from.module.starImports) {
        const target = this.findModule(star, from);
        const resolved = target ? this.resolveName(target, name, hops + 1) : undefined;
        if (resolved && 'key' in resolved) {
          return resolved;
        }
      }
    }
    return { reason: `'${name}' is not a str constant the scanner can find` };
  }

  /** `ALIAS = OTHER` or `KEY = Owner.NAME`: the key of what it names; where that cannot be told, why, with the alias. */
  private resolveAlias(from: FileAnalysis, name: string, alias: { target: string; line: number }, hops: number): KeyResolution {
    const dot = alias.target.lastIndexOf('.');
    const resolved =
      hops >= MAX_IMPORT_HOPS
        ? chainTooLong(alias.target)
        : dot < 0
          ? this.resolveName(from, alias.target, hops + 1)
          : this.resolveMember(from, alias.target.slice(0, dot), alias.target.slice(dot + 1), hops + 1);
    // The innermost alias says why; each one around it would only repeat it.
    return 'key' in resolved || resolved.reason.startsWith('the key is the constant ') ? resolved : { reason: `the key is the constant ${name} (${this.placeOf(from.file, alias.line)}), bound to ${alias.target}: ${resolved.reason}` };
  }

  private resolveClassConstant(from: FileAnalysis, className: string, name: string, hops: number): KeyResolution {
    const found = this.inClassTree(from, className, hops, (file, cls) => {
      const facts = file.module.classes.get(cls);
      const constant = facts?.constants.get(name);
      if (constant) {
        return { key: constant.value, definition: { file: file.file, name: `${cls}.${name}`, constant } };
      }
      const alias = facts?.aliases.get(name);
      return alias === undefined ? undefined : this.resolveClassAlias(file, cls, name, alias, hops);
    });
    return found ?? { reason: `'${className}.${name}' is not a str class attribute the scanner can find` };
  }

  /**
   * `name = TARGET` in a class body (`state_key = WIZARD_KEY`, `key = constants.CART`): a bare
   * name is the class's own attribute bound before it, else the module's name, as Python looks
   * it up while running the body.
   */
  private resolveClassAlias(file: FileAnalysis, className: string, name: string, target: string, hops: number): KeyResolution {
    if (hops >= MAX_IMPORT_HOPS) {
      return chainTooLong(`${className}.${name}`);
    }
    const dot = target.lastIndexOf('.');
    if (dot !== -1) {
      return this.resolveMember(file, target.slice(0, dot), target.slice(dot + 1), hops + 1);
    }
    const own = file.module.classes.get(className);
    return own?.constants.has(target) || own?.aliases.has(target) ? this.resolveClassConstant(file, className, target, hops + 1) : this.resolveName(file, target, hops + 1);
  }

  /**
   * Why `self.NAME` has no str where the class leaves NAME to its subclasses (`cart_prefix = None`
   * in a mixin, set per view): their keys are counted, and only the class's own is unknown.
   */
  private placeholderReason(from: FileAnalysis, className: string, name: string): { reason: string } | undefined {
    const names = [...new Set(this.subclassesBinding(from, className, name).map((holder) => holder.className))];
    if (names.length === 0) {
      return undefined;
    }
    const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    return { reason: `'self.${name}' is set by ${className}'s subclasses (${listed}), whose keys are counted here, while ${className} itself binds no str to ${name} the scanner can find` };
  }

  /**
   * Why `self.NAME` has no str: a method of the class or of a base the index finds assigns it on
   * the instance (formtools' `self.prefix = "wizard_%s" % prefix` in BaseStorage.__init__).
   */
  private instanceAttributeReason(from: FileAnalysis, className: string, name: string): { reason: string } | undefined {
    return this.inClassTree(from, className, 0, (file, cls) => {
      const assigned = file.module.instanceAssignments.get(cls)?.get(name);
      if (!assigned) {
        return undefined;
      }
      const value = assigned.parameter === undefined ? 'to a computed value' : `from its parameter '${assigned.parameter}'`;
      return { reason: `'self.${name}' is an instance attribute ${cls}.${assigned.method} sets at run time (${this.placeOf(file.file, assigned.line)}) ${value}, not a str class attribute` };
    });
  }

  /**
   * The first answer `pick` gives for a class or, in order, its bases the index finds (see
   * findClass), depth first.
   */
  private inClassTree<T>(from: FileAnalysis, className: string, hops: number, pick: (file: FileAnalysis, className: string) => T | undefined): T | undefined {
    const own = pick(from, className);
    if (own !== undefined) {
      return own;
    }
    for (const base of from.module.classes.get(className)?.bases ?? []) {
      const defined = hops < MAX_IMPORT_HOPS && !(base === className && from.module.classes.has(base)) ? this.findClass(from, base, hops + 1) : undefined;
      const found = defined && this.inClassTree(defined.file, defined.className, defined.hops, pick);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  /** `file:line` (`line` 0-based) by the file's path in its workspace folder. */
  private placeOf(file: string, line: number): string {
    return placeInFolder(this.scopeOf(file), file, line);
  }

  /**
   * Where a class named in `from` (a base class: `Mixin`, `mixins.Mixin`, `shop.mixins.Mixin`)
   * is defined: in `from` itself, or in a project module it is imported from, following
   * re-exports and star imports. `hops` counts modules visited, against import cycles.
   */
  private findClass(from: FileAnalysis, dotted: string, hops: number): { file: FileAnalysis; className: string; hops: number } | undefined {
    if (hops > MAX_IMPORT_HOPS) {
      return undefined;
    }
    const dot = dotted.lastIndexOf('.');
    if (dot !== -1) {
      const owner = dotted.slice(0, dot);
      const target = this.findModule(moduleNamed(from.module, owner) ?? { kind: 'dotted', name: owner }, from);
      return target ? this.findClass(target, dotted.slice(dot + 1), hops + 1) : undefined;
    }
    if (from.module.classes.has(dotted)) {
      return { file: from, className: dotted, hops };
    }
    const imported = from.module.imports.get(dotted);
    if (imported) {
      const target = this.findModule(imported.module, from);
      return target ? this.findClass(target, imported.name, hops + 1) : undefined;
    }
    for (const star of from.module.starImports) {
      const target = this.findModule(star, from);
      const found = target ? this.findClass(target, dotted, hops + 1) : undefined;
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  /**
   * The analysed file of a module imported in `from`, if the module is in its workspace folder.
   * Of several files a dotted name fits (two projects with a `shop/keys.py`), the nearest to
   * `from` wins, as each project's own directory comes first on its `sys.path`.
   */
  findModule(ref: ModuleRef, from: FileAnalysis): FileAnalysis | undefined {
    if (ref.kind === 'path') {
      return this.files.get(`${ref.path}.py`) ?? this.files.get(path.join(ref.path, '__init__.py'));
    }
    const segments = ref.name.split('.');
    const candidates = this.modulesByName().get(segments[segments.length - 1] ?? '') ?? [];
    const suffix = segments.join('/');
    const scope = this.scopeOf(from.file);
    const shared = (candidate: string) => sharedPrefixLength(candidate, from.file);
    const best = candidates
      .filter((candidate) => (modulePath(candidate).endsWith(`/${suffix}`) || modulePath(candidate) === suffix) && this.scopeOf(candidate) === scope)
      .sort((a, b) => shared(b) - shared(a) || a.length - b.length)[0];
    return best === undefined ? undefined : this.files.get(best);
  }
}

/**
 * The module a dotted name refers to in a file: an `import` alias, a name imported by
 * `from … import` taken as a submodule, or a submodule of either (`shop.keys` after `import shop`).
 */
function moduleNamed(module: ModuleFacts, dotted: string): ModuleRef | undefined {
  const alias = module.moduleAliases.get(dotted);
  if (alias) {
    return alias;
  }
  const imported = module.imports.get(dotted);
  if (imported) {
    return childModule(imported.module, imported.name);
  }
  const dot = dotted.lastIndexOf('.');
  const parent = dot === -1 ? undefined : moduleNamed(module, dotted.slice(0, dot));
  return parent && childModule(parent, dotted.slice(dot + 1));
}

/** `file:line` (`line` 0-based) by the file's path in `scope`, its workspace folder ('' for none). */
export function placeInFolder(scope: string, file: string, line: number): string {
  const where = scope === '' ? file : path.relative(scope, file).split(path.sep).join('/');
  return `${where}:${line + 1}`;
}

/** How many leading path segments two files share. */
function sharedPrefixLength(a: string, b: string): number {
  const left = a.split(/[\\/]/);
  const right = b.split(/[\\/]/);
  let n = 0;
  while (n < left.length && n < right.length && left[n] === right[n]) {
    n++;
  }
  return n;
}

/** Why a name is not followed further: past MAX_IMPORT_HOPS names, it most likely names itself again. */
function chainTooLong(name: string): { reason: string } {
  return { reason: `${name} starts a chain of names too long to follow (one that names itself again?)` };
}

/** A class by its file and name, as a key. */
function classId(file: string, className: string): string {
  return `${file}\u0000${className}`;
}

/** How a composition's named pieces are written: `PREFIX and self.SUFFIX`. */
function partsText(parts: readonly KeyPart<KeyExpression>[]): string {
  const names = parts.flatMap((part) => (typeof part === 'string' ? [] : [partText(part)]));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

function partText(part: KeyExpression): string {
  switch (part.kind) {
    case 'name':
      return part.name;
    case 'member':
      return `${part.owner}.${part.name}`;
    case 'classAttribute':
      return `${part.onSelf ? 'self' : part.className}.${part.name}`;
    case 'literal':
      return JSON.stringify(part.value);
    case 'composed':
      return partsText(part.parts);
    case 'dynamic':
      return part.reason;
  }
}

function djangoConstant(name: string): KeyResolution {
  const key = DJANGO_SESSION_KEY_CONSTANTS.get(name);
  return key !== undefined ? { key } : { reason: `'${name}' is not one of Django's session key constants` };
}

/** `/p/shop/constants.py` → `/p/shop/constants`; a package's `__init__.py` → the package dir. */
function modulePath(file: string): string {
  const noExt = file.replace(/\\/g, '/').replace(/\.py$/, '');
  return noExt.endsWith('/__init__') ? noExt.slice(0, -'/__init__'.length) : noExt;
}

function moduleBaseName(file: string): string {
  return path.posix.basename(modulePath(file));
}
