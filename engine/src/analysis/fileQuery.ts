import { type Node, Query, type QueryMatch } from 'web-tree-sitter';
import type { PythonParser } from './pythonParser';

/** A `.session` attribute, not the `requests.session` function. */
const SESSION = '(attribute object: (_) @_object attribute: (identifier) @_session (#eq? @_session "session") (#not-eq? @_object "requests")) @receiver';

/**
 * Every pattern one file's analysis needs, so tree-sitter walks each tree once inside WASM.
 * `RECEIVER` is replaced by the session expression: a `.session` attribute, or a local alias.
 */
const PATTERNS = `
(module (expression_statement (assignment left: (identifier) @module.name right: (_) @module.value)))
(class_definition name: (identifier) @class.name superclasses: (argument_list)? @class.bases body: (block) @class.body) @class
(function_definition) @function
(assignment left: (identifier) @bind.name right: (_) @bind.value)
(for_statement left: (identifier) @bind.loop)
(named_expression name: (identifier) @bind.loop)
(parameters (identifier) @bind.param)
(parameters (default_parameter name: (identifier) @bind.param))
(parameters (typed_parameter (identifier) @bind.param))
(parameters (typed_default_parameter name: (identifier) @bind.param))
(parameters (list_splat_pattern (identifier) @bind.param))
(parameters (dictionary_splat_pattern (identifier) @bind.param))
(import_statement) @import
(import_from_statement) @from
(assignment left: (identifier) @alias.name right: (attribute object: (_) @_object attribute: (identifier) @_session (#eq? @_session "session") (#not-eq? @_object "requests"))) @alias
(assignment left: (subscript value: RECEIVER subscript: (_) @set.key) right: (_) @set.value)
(augmented_assignment left: (subscript value: RECEIVER subscript: (_) @set.key))
(delete_statement (subscript value: RECEIVER subscript: (_) @delete.key))
(delete_statement (expression_list (subscript value: RECEIVER subscript: (_) @delete.key)))
(subscript value: RECEIVER subscript: (_) @read.key)
(comparison_operator (_) @contains.key ["in" "not in"] RECEIVER)
(call function: (attribute object: RECEIVER attribute: (identifier) @call.method) arguments: (argument_list) @call.args)
(assignment left: (attribute object: RECEIVER attribute: (identifier) @_modified (#eq? @_modified "modified"))) @modified
(assignment left: (subscript value: (subscript value: RECEIVER subscript: (_) @mutation.key) @mutation.target)) @mutation
(augmented_assignment left: (subscript value: (subscript value: RECEIVER subscript: (_) @mutation.key) @mutation.target)) @mutation
(delete_statement (subscript value: (subscript value: RECEIVER subscript: (_) @mutation.key) @mutation.target)) @mutation
(expression_statement (call function: (attribute object: (subscript value: RECEIVER subscript: (_) @mutation.key) @mutation.target attribute: (identifier) @mutation.method))) @mutation
`;

const queries = new Map<string, Query>();

/** A compiled query; compiling costs more than running, so each is compiled once per process. */
function cachedQuery(python: PythonParser, source: string): Query {
  let query = queries.get(source);
  if (!query) {
    query = new Query(python.language, source);
    queries.set(source, query);
  }
  return query;
}

const SESSION_PATTERNS = PATTERNS.replaceAll('RECEIVER', SESSION);
const ALIAS_PATTERNS = PATTERNS.split('\n')
  .filter((line) => line.includes('RECEIVER'))
  .join('\n');

/** The matches of the file patterns with `.session` receivers. */
export function fileMatches(python: PythonParser, root: Node): QueryMatch[] {
  return cachedQuery(python, SESSION_PATTERNS).matches(root);
}

/** The session-access matches whose receiver is one of the given local alias names. */
export function aliasMatches(python: PythonParser, root: Node, aliases: string[]): QueryMatch[] {
  const names = aliases.map((alias) => JSON.stringify(alias)).join(' ');
  const receiver = `((identifier) @receiver (#any-of? @receiver ${names}))`;
  return cachedQuery(python, ALIAS_PATTERNS.replaceAll('RECEIVER', receiver)).matches(root);
}

/** The captures of one match by name (the first of each name). */
export function capturesOf(match: QueryMatch): Map<string, Node> {
  const byName = new Map<string, Node>();
  for (const capture of match.captures) {
    if (!byName.has(capture.name)) {
      byName.set(capture.name, capture.node);
    }
  }
  return byName;
}
