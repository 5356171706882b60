import type { Node } from 'web-tree-sitter';
import type { KeyExpression } from './keyExpression';
import type { Scopes } from './scopes';
import { stringLiteralValue } from './stringLiteral';
import { isExpressionNode, nodesSpelled } from './textAnchors';

/** How a function binds one name: as a parameter, or by the values assigned to it. */
interface NameBinding {
  parameter: boolean;
  /** One entry per binding; undefined for loop and walrus targets. */
  values: (Node | undefined)[];
}

const NAMED_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter']);
const PARAMETERS_WITH_NAME_CHILD = new Set(['typed_parameter', 'list_splat_pattern', 'dictionary_splat_pattern']);

/**
 * Parameters and local assignments per function, so a bare name used as a key can be told
 * apart: a local literal, a parameter, or a module-level name. Only the names used as keys
 * are looked up, from their occurrences in the function's text.
 */
export class LocalBindings {
  private readonly cache = new Map<string, NameBinding>();

  constructor(
    private readonly scopes: Scopes,
    private readonly root: Node,
    private readonly text: string,
  ) {}

  /** What a bare name used as a key refers to. */
  resolve(identifier: Node): KeyExpression {
    const name = identifier.text;
    const fn = this.scopes.functionOf(identifier);
    if (!fn) {
      return { kind: 'name', name };
    }
    const binding = this.binding(fn, name);
    if (binding.parameter) {
      return { kind: 'dynamic', reason: `the key is the parameter '${name}'` };
    }
    if (binding.values.length === 0) {
      return { kind: 'name', name };
    }
    const value = binding.values.length === 1 && binding.values[0] ? stringLiteralValue(binding.values[0]) : undefined;
    return value !== undefined ? { kind: 'literal', value } : { kind: 'dynamic', reason: `the key is the local variable '${name}', which is not a single str literal` };
  }

  /** Whether a name is a local its function binds exactly once, by a plain assignment. */
  assignedOnce(identifier: Node): boolean {
    return this.singleValue(identifier) !== undefined;
  }

  /** The value a local is bound to, when its function binds it exactly once, by a plain assignment. */
  singleValue(identifier: Node): Node | undefined {
    const fn = this.scopes.functionOf(identifier);
    const binding = fn ? this.binding(fn, identifier.text) : undefined;
    return binding && !binding.parameter && binding.values.length === 1 ? binding.values[0] : undefined;
  }

  private binding(fn: Node, name: string): NameBinding {
    const cacheKey = `${fn.startIndex}:${name}`;
    let binding = this.cache.get(cacheKey);
    if (!binding) {
      binding = this.bindingIn(fn, name);
      this.cache.set(cacheKey, binding);
    }
    return binding;
  }

  /** How `fn` itself binds `name`; bindings in nested functions belong to those. */
  private bindingIn(fn: Node, name: string): NameBinding {
    const binding: NameBinding = { parameter: false, values: [] };
    for (const identifier of nodesSpelled(this.root, this.text, name, fn.startIndex, fn.endIndex)) {
      if (identifier.type !== 'identifier' || this.scopes.functionOf(identifier)?.startIndex !== fn.startIndex) {
        continue;
      }
      const parent = identifier.parent;
      if (parent && isParameter(identifier, parent)) {
        binding.parameter = true;
      } else if (parent) {
        readAssignment(identifier, parent, binding.values);
      }
    }
    return binding;
  }
}

function isParameter(identifier: Node, parent: Node): boolean {
  if (parent.type === 'parameters') {
    return true;
  }
  if (parent.parent?.type !== 'parameters') {
    return false;
  }
  if (NAMED_PARAMETERS.has(parent.type)) {
    return isField(parent, 'name', identifier);
  }
  return PARAMETERS_WITH_NAME_CHILD.has(parent.type);
}

function readAssignment(identifier: Node, parent: Node, values: (Node | undefined)[]): void {
  switch (parent.type) {
    case 'assignment': {
      const right = parent.childForFieldName('right');
      if (isExpressionNode(right) && isField(parent, 'left', identifier)) {
        values.push(right);
      }
      return;
    }
    case 'for_statement':
      if (isField(parent, 'left', identifier)) {
        values.push(undefined);
      }
      return;
    case 'named_expression':
      if (isField(parent, 'name', identifier)) {
        values.push(undefined);
      }
      return;
    default:
  }
}

function isField(parent: Node, field: string, child: Node): boolean {
  return parent.childForFieldName(field)?.id === child.id;
}
