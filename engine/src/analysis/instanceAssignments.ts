import { tripleQuotedSpans } from './tripleQuotedSpans';

/** Where a method assigns an instance attribute: `self.prefix = "wizard_%s" % prefix` in `__init__`. */
export interface InstanceAssignment {
  method: string;
  /** The 0-based line of the assignment. */
  line: number;
  /** The method's parameter the attribute is set to, when it is one (`self.key = key`); otherwise the value is computed. */
  parameter?: string;
}

/** Instance attributes by class name, then attribute name. */
export type InstanceAssignments = Map<string, Map<string, InstanceAssignment>>;

/**
 * A statement line: a class header, a method header (with the rest of its line, its parameters
 * when they fit on it), `self.NAME = value`, or any other statement, which ends the blocks it is
 * outside of.
 */
const STATEMENT = /^([ \t]*)(?:class[ \t]+([A-Za-z_]\w*)|(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(([^\n]*)|self\.([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*([^\n]*)|[^ \t\r\n#])/gm;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * The instance attributes each class's methods assign as `self.NAME = value` on a line of its
 * own, the first assignment of a name winning. Read from the lines, without parsing, so a base
 * class in a module that never mentions sessions tells them as a parsed one does: a key read as
 * `self.prefix` in a subclass is then explained as the base's instance attribute.
 */
export function instanceAssignments(text: string): InstanceAssignments {
  const found: InstanceAssignments = new Map();
  if (!text.includes('self.')) {
    return found;
  }
  const insideString = tripleQuotedSpans(text);
  const open: { indent: number; className?: string; method?: string; header?: string }[] = [];
  let line = 0;
  let lineStart = 0;
  for (const match of text.matchAll(STATEMENT)) {
    const offset = match.index ?? 0;
    if (insideString(offset)) {
      continue;
    }
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const indent = match[1]!.length;
    while (open.length > 0 && open[open.length - 1]!.indent >= indent) {
      open.pop();
    }
    const [, , className, method, header, name, value] = match;
    if (className !== undefined || method !== undefined) {
      open.push({ indent, className, method, header });
      continue;
    }
    const inMethod = open[open.length - 1];
    const cls = open[open.length - 2]?.className;
    if (name === undefined || inMethod?.method === undefined || cls === undefined) {
      continue;
    }
    const attributes = found.get(cls) ?? new Map<string, InstanceAssignment>();
    found.set(cls, attributes);
    if (!attributes.has(name)) {
      const assigned = value!.replace(/#.*$/, '').trim();
      const isParameter = IDENTIFIER.test(assigned) && new RegExp(`\\b${assigned}\\b`).test(inMethod.header ?? '');
      attributes.set(name, isParameter ? { method: inMethod.method, line, parameter: assigned } : { method: inMethod.method, line });
    }
  }
  return found;
}
