import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf, sourceSnippet } from './evaluationContext';
import { type Branch, runBranches } from './settingsStatements';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, truthiness, unknown } from './settingValue';

/** Patterns that match by value: Python compares them with `==` (None, True and False by identity). */
const LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'none', 'true', 'false']);

/**
 * `match SUBJECT:` as the if/elif chain it amounts to, where its cases are literals, `|` of them
 * or `_`, with or without a guard (paperless-ngx's `match engine: case "sqlite": …`). A case
 * with another pattern (a capture, a class, a sequence) cannot be told statically: from there
 * the cases are undecided branches.
 */
export function runMatch(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const subjectNode = statement.childForFieldName('subject');
  const clauses = statement.childForFieldName('body')?.namedChildren.filter((child): child is Node => child?.type === 'case_clause') ?? [];
  if (!subjectNode) {
    return;
  }
  const subject = evaluateExpression(subjectNode, ctx);
  const branches: Branch[] = [];
  for (const clause of clauses) {
    const pattern = clause.namedChildren.find((child) => child?.type === 'case_pattern');
    const body = clause.childForFieldName('consequence');
    if (!pattern || !body) {
      continue;
    }
    const guard = clause.childForFieldName('guard')?.namedChildren[0] ?? undefined;
    const conditionText = `${sourceSnippet(subjectNode)} matches ${pattern.text || '_'}${guard ? ` if ${sourceSnippet(guard)}` : ''}`;
    branches.push({ condition: pattern, conditionText, body, test: (at) => caseHolds(subject, pattern, guard, at) });
  }
  runBranches(branches, ctx, inTry);
}

/** Whether a case runs for `subject`: its pattern matches and its guard holds. */
function caseHolds(subject: SettingValue, pattern: Node, guard: Node | undefined, ctx: EvaluationContext): SettingValue {
  const matched = patternMatches(subject, pattern, ctx);
  if (matched.kind !== 'bool' || !matched.value || !guard) {
    return matched;
  }
  const holds = evaluateExpression(guard, ctx);
  const truth = truthiness(holds);
  return truth === undefined ? holds : { kind: 'bool', value: truth };
}

function patternMatches(subject: SettingValue, pattern: Node, ctx: EvaluationContext): SettingValue {
  const [inner] = pattern.namedChildren;
  if (!inner) {
    return { kind: 'bool', value: true };
  }
  const alternatives = inner.type === 'union_pattern' ? inner.namedChildren.filter((child): child is Node => child !== null) : [inner];
  if (!alternatives.every((alternative) => LITERALS.has(alternative.type))) {
    return unknown(`cannot match the pattern ${sourceSnippet(pattern)} statically`, locationOf(ctx.file, pattern));
  }
  if (subject.kind === 'unknown') {
    return subject;
  }
  const values = alternatives.map((alternative) => evaluateExpression(alternative, ctx));
  return { kind: 'bool', value: values.some((value) => sameLiteral(subject, value)) };
}

/** `==` between a subject and a literal pattern's value, as Python compares numbers, strings, bools and None. */
function sameLiteral(a: SettingValue, b: SettingValue): boolean {
  const number = (v: SettingValue) => (v.kind === 'int' || v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : undefined);
  if (number(a) !== undefined && number(b) !== undefined) {
    return number(a) === number(b);
  }
  return a.kind === b.kind && (a.kind === 'none' || (a.kind === 'str' && b.kind === 'str' && a.value === b.value));
}
