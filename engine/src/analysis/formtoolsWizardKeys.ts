import type { FileAnalysis } from './fileAnalysis';

/** The prefix django-formtools' SessionStorage puts before a wizard's name (formtools/wizard/storage/base.py). */
export const WIZARD_PREFIX = 'wizard_';

/** formtools' `normalize_name()`: `BaselineWizardView` to `baseline_wizard_view`, as it names a wizard's storage. */
export function normalizeWizardName(name: string): string {
  return name
    .replace(/(?<=[a-z])[A-Z]|[A-Z](?![A-Z]|$)/g, '_$&')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
}

/**
 * The session keys formtools keeps the wizards of the analysed files in: `wizard_` and each
 * wizard class's normalized name. A class is a wizard when a base's name ends in `WizardView`
 * (`SessionWizardView`, a third-party wizard) or is such a class of the project; a cookie
 * wizard keeps its data in a cookie, so it has no key. So a `wizard_data` key of the project's
 * own is judged as any other key, instead of hiding behind the prefix.
 */
export function wizardSessionKeys(analyses: Iterable<FileAnalysis>): Set<string> {
  const bases = new Map<string, string[]>();
  for (const analysis of analyses) {
    for (const [name, facts] of analysis.module.classes) {
      bases.set(name, [...(bases.get(name) ?? []), ...facts.bases]);
    }
  }
  const wizards = new Set<string>();
  const cookies = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, of] of bases) {
      const baseNames = of.map((base) => base.split('.').pop()!);
      if (!wizards.has(name) && baseNames.some((base) => base.endsWith('WizardView') || wizards.has(base))) {
        wizards.add(name);
        grew = true;
      }
      if (!cookies.has(name) && baseNames.some((base) => /CookieWizardView$/.test(base) || cookies.has(base))) {
        cookies.add(name);
        grew = true;
      }
    }
  }
  return new Set([...wizards].filter((name) => !cookies.has(name)).map((name) => `${WIZARD_PREFIX}${normalizeWizardName(name)}`));
}
