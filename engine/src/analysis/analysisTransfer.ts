import type { FileAnalysis } from './fileAnalysis';
import type { InstanceAssignment } from './instanceAssignments';
import type { ClassFacts, ModuleFacts } from './moduleFacts';

type Entries<M> = M extends Map<infer K, infer V> ? [K, V][] : never;

/** A module's facts with each Map as its entries, so JSON carries them. */
interface PlainModuleFacts {
  constants: Entries<ModuleFacts['constants']>;
  composed: Entries<ModuleFacts['composed']>;
  computed: Entries<ModuleFacts['computed']>;
  aliases: Entries<ModuleFacts['aliases']>;
  settingDefaults: Entries<ModuleFacts['settingDefaults']>;
  classes: [string, { bases: string[]; constants: Entries<ClassFacts['constants']>; aliases: Entries<ClassFacts['aliases']> }][];
  instanceAssignments: [string, [string, InstanceAssignment][]][];
  imports: Entries<ModuleFacts['imports']>;
  moduleAliases: Entries<ModuleFacts['moduleAliases']>;
  starImports: ModuleFacts['starImports'];
}

type PlainAnalysis = Omit<FileAnalysis, 'module'> & { module: PlainModuleFacts };

/**
 * Encodes analyses (undefined for skipped files) as one JSON string for a worker's message.
 * Structured cloning of thousands of small Maps cost the receiving main thread more than
 * JSON.parse of the same facts does.
 */
export function encodeAnalyses(analyses: (FileAnalysis | undefined)[]): string {
  return JSON.stringify(analyses.map((analysis) => (analysis ? { ...analysis, module: plainModule(analysis.module) } : null)));
}

/** Decodes `encodeAnalyses`' string into analyses equal to the encoded ones. */
export function decodeAnalyses(json: string): (FileAnalysis | undefined)[] {
  return (JSON.parse(json) as (PlainAnalysis | null)[]).map((plain) => (plain ? { ...plain, module: moduleFromPlain(plain.module) } : undefined));
}

function plainModule(module: ModuleFacts): PlainModuleFacts {
  return {
    constants: [...module.constants],
    composed: [...module.composed],
    computed: [...module.computed],
    aliases: [...module.aliases],
    settingDefaults: [...module.settingDefaults],
    classes: [...module.classes].map(([name, cls]) => [name, { bases: cls.bases, constants: [...cls.constants], aliases: [...cls.aliases] }]),
    instanceAssignments: [...module.instanceAssignments].map(([name, attributes]) => [name, [...attributes]]),
    imports: [...module.imports],
    moduleAliases: [...module.moduleAliases],
    starImports: module.starImports,
  };
}

function moduleFromPlain(plain: PlainModuleFacts): ModuleFacts {
  return {
    constants: new Map(plain.constants),
    composed: new Map(plain.composed),
    computed: new Map(plain.computed),
    aliases: new Map(plain.aliases),
    settingDefaults: new Map(plain.settingDefaults),
    classes: new Map(plain.classes.map(([name, cls]) => [name, { bases: cls.bases, constants: new Map(cls.constants), aliases: new Map(cls.aliases) }])),
    instanceAssignments: new Map(plain.instanceAssignments.map(([name, attributes]) => [name, new Map(attributes)])),
    imports: new Map(plain.imports),
    moduleAliases: new Map(plain.moduleAliases),
    starImports: plain.starImports,
  };
}
