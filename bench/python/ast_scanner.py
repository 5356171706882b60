"""The peer of `django-sessions scan` for bench/scan.bench.ts: the same job on CPython's `ast`.

Walks a project (skipping virtualenvs, node_modules, VCS dirs and migrations), parses every file
that mentions "session" (others only have their string constants read, as the TS index does),
finds `.session` receivers (not those the code assigns from a call, like `requests.Session()`,
on the same owner in that function; a SessionStore or a test double like `MagicMock()` is still
the session) and their local aliases (ended by a rebinding, seen by closures, bound by walrus too,
shadowed inside a comprehension or lambda that binds the name itself), classifies
each access (read, set, delete, contains, get, pop, setdefault, update and the async variants;
`+=` reads and sets) and resolves keys: literals, placeholder-free f-strings, function-local
literals, module constants (annotated or not), imported constants (relative and absolute), class
attributes (inherited through bases in the project too) and Django's own constants.

Usage: ast_scanner.py DIR [--parse-all]  ->  prints one JSON line with counts, seconds and max RSS.
With --parse-all the pre-filter is off and every file is parsed, as a plain ast scanner would.
"""
import ast
import json
import os
import re
import resource
import sys
import time

SKIPPED = {"node_modules", ".git", ".hg", ".svn", "__pycache__", "migrations", "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache"}
METHOD_OPS = {"get": "get", "aget": "get", "pop": "pop", "apop": "pop", "setdefault": "setdefault", "asetdefault": "setdefault",
              "aset": "set", "has_key": "contains", "ahas_key": "contains", "update": "update", "aupdate": "update"}
DJANGO = {"SESSION_KEY": "_auth_user_id", "BACKEND_SESSION_KEY": "_auth_user_backend", "HASH_SESSION_KEY": "_auth_user_hash",
          "LANGUAGE_SESSION_KEY": "_language", "CSRF_SESSION_KEY": "_csrftoken", "INTERNAL_RESET_SESSION_TOKEN": "_password_reset_token",
          "TEST_COOKIE_NAME": "testcookie"}
FROM_IMPORT = re.compile(r"^from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)
CONSTANT_LINE = re.compile(r"""^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*([rRuUfF]|[rR][fF]|[fF][rR])?(['"])([^'"\\\n]*)\3[ \t]*(?:#.*)?$""", re.M)
# Only a `.session` (or a class body's `session`) assigned from a call can be a lookalike: files
# without such a line skip the extra walk, as the TS index only looks at those assignments.
MAYBE_LOOKALIKE = re.compile(r"(?:\.session|^[ \t]+session)[ \t]*=[^=\n]*\(", re.M)


def skipped(name):
    return name in SKIPPED or re.match(r"^\.?venv|^\.?env$|^virtualenv$", name)


def python_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath != root and "pyvenv.cfg" in filenames:
            dirnames[:] = []
            continue
        dirnames[:] = [d for d in dirnames if not skipped(d)]
        for name in filenames:
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(v.value for v in node.values)
    return None


def own_nodes(function):
    """The nodes of a function's body, not of the functions, lambdas and classes nested in it."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))


def bound_names(node):
    """The names a statement or expression binds, each with its value when it is a plain `name = value`."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target, node.value
            else:
                yield from ((name, None) for name in target_names(target))
    elif isinstance(node, ast.NamedExpr):
        yield node.target, node.value
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        yield from ((name, None) for name in target_names(node.target))
    elif isinstance(node, ast.Delete):
        yield from ((target, None) for target in node.targets if isinstance(target, ast.Name))
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield from ((name, None) for name in target_names(node.optional_vars))
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield ast.Name(node.name, lineno=node.lineno, col_offset=node.col_offset), None
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            if alias.asname:
                yield ast.Name(alias.asname, lineno=alias.lineno, col_offset=alias.col_offset), None


def target_names(target):
    """The names an assignment target binds: itself, or those in a tuple or list (not `a[k]`, `a.b`)."""
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


SESSION_OR_DOUBLE = {"SessionStore", "Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "dict"}


def from_call(value):
    """A call (awaited or not) to anything but a SessionStore or a test double, or a fallback to one."""
    if isinstance(value, ast.BoolOp):
        return any(from_call(operand) for operand in value.values)
    if isinstance(value, ast.IfExp):
        return from_call(value.body) or from_call(value.orelse)
    call = value.value if isinstance(value, ast.Await) else value
    return isinstance(call, ast.Call) and ast.unparse(call.func).split(".")[-1] not in SESSION_OR_DOUBLE


def function_key(node):
    return (node.lineno, node.col_offset)


def lookalikes(tree):
    """Owners of a `.session` assigned from a call: ("class", name) for self/cls, ("scope", function, text) otherwise."""
    found = set()

    def statements(node):
        # Assignments are statements, so only statement lists need walking, not expressions.
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from getattr(node, field, None) or ()

    def visit(node, cls, function):
        for child in statements(node):
            if isinstance(child, ast.ClassDef):
                for stmt in child.body:
                    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "session" for t in stmt.targets) and from_call(stmt.value):
                        found.add(("class", child.name))
                visit(child, child.name, function)
                continue
            if isinstance(child, ast.Assign) and from_call(child.value):
                for target in child.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "session":
                        owner = ast.unparse(target.value)
                        found.add(("class", cls) if owner in ("self", "cls") else ("scope", function, owner))
            visit(child, cls, function_key(child) if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function)

    visit(tree, None, None)
    return found


class FileFacts:
    def __init__(self, path):
        self.path = path
        self.constants = {}
        self.classes = {}
        self.imports = {}
        self.module_aliases = {}
        self.star_imports = []
        self.accesses = []


def module_ref(path, module, level):
    if level == 0:
        return ("dotted", module or "")
    base = os.path.dirname(path)
    for _ in range(level - 1):
        base = os.path.dirname(base)
    return ("path", os.path.join(base, *module.split(".")) if module else base)


def string_constants(body):
    out, seen = {}, set()
    for stmt in body:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else stmt.target if isinstance(stmt, ast.AnnAssign) and stmt.value else None
        if isinstance(target, ast.Name):
            name, value = target.id, literal(stmt.value)
            if name in seen or value is None:
                out.pop(name, None)
            else:
                out[name] = value
            seen.add(name)
    return out


class Scanner(ast.NodeVisitor):
    def __init__(self, facts, text, tree):
        self.facts = facts
        self.scopes = []
        self.classes = []
        self.lookalikes = lookalikes(tree) if MAYBE_LOOKALIKE.search(text) else set()

    def receiver(self, node):
        if isinstance(node, ast.Attribute) and node.attr == "session":
            return not (isinstance(node.value, ast.Name) and node.value.id == "requests") and not any(owner in self.lookalikes for owner in self.owners(node))
        if isinstance(node, ast.NamedExpr):
            return self.receiver(node.value)
        if not isinstance(node, ast.Name):
            return False
        at = (node.lineno, node.col_offset)
        # Only functions passed on the way out make a closure: a comprehension or lambda is no function here.
        depth = 0
        for scope in reversed(self.scopes):
            bindings = scope["bindings"].get(node.id)
            if bindings:
                before = [session for pos, session in bindings if pos < at]
                return before[-1] if before else depth > 0 and bindings[-1][1]
            depth += "function" in scope
        return False

    def owners(self, attribute):
        """The lookalike keys that would hide a `.session` here: its class, or its owner in each function around it and the module."""
        owner = ast.unparse(attribute.value)
        if owner in ("self", "cls"):
            return [("class", self.classes[-1] if self.classes else None)]
        return [("scope", scope["function"], owner) for scope in self.scopes if "function" in scope] + [("scope", None, owner)]

    def key(self, node):
        value = literal(node)
        if value is not None:
            return ("literal", value)
        if isinstance(node, ast.JoinedStr):
            return ("dynamic", "the key is an f-string with placeholders")
        if isinstance(node, ast.Name):
            scope = next((scope for scope in reversed(self.scopes) if "function" in scope), None)
            if scope is None:
                return ("name", node.id)
            if node.id in scope["params"]:
                return ("dynamic", "the key is the parameter '%s'" % node.id)
            bound = scope["locals"].get(node.id)
            if bound is None:
                return ("name", node.id)
            return ("literal", bound) if isinstance(bound, str) else ("dynamic", "local variable")
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                return ("class", self.classes[-1] if self.classes else None, node.attr)
            if isinstance(node.value, (ast.Name, ast.Attribute)):
                return ("member", ast.unparse(node.value), node.attr)
        return ("dynamic", "the key is computed")

    def add(self, key_node, op):
        self.facts.accesses.append((self.key(key_node), op, key_node.lineno, key_node.col_offset))

    def visit_ClassDef(self, node):
        self.facts.classes[node.name] = ([ast.unparse(b) for b in node.bases], string_constants(node.body))
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node):
        params = {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
        assigned = {}
        bindings = {}
        for name in params:
            bindings[name] = [((node.lineno, node.col_offset), False)]
        for sub in own_nodes(node):
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                name = sub.targets[0].id
                value = literal(sub.value)
                assigned[name] = value if name not in assigned and value is not None else False
            elif isinstance(sub, ast.For) and isinstance(sub.target, ast.Name):
                assigned[sub.target.id] = False
            for target, value in bound_names(sub):
                is_session = isinstance(value, ast.Attribute) and value.attr == "session" and self.receiver(value)
                bindings.setdefault(target.id, []).append(((target.lineno, target.col_offset), is_session))
        for found in bindings.values():
            found.sort(key=lambda binding: binding[0])
        self.scopes.append({"function": function_key(node), "params": params, "locals": assigned, "bindings": bindings})
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def own_scope(self, names, outside, inside):
        """Python 3 scopes a comprehension's targets and a lambda's parameters to it: `outside` is evaluated
        in the enclosing scope, `inside` sees the names bound to no session."""
        for node in outside:
            self.visit(node)
        self.scopes.append({"bindings": {name: [((0, 0), False)] for name in names}})
        for node in inside:
            self.visit(node)
        self.scopes.pop()

    def visit_comprehension_node(self, node):
        first, *rest = node.generators
        names = {name.id for generator in node.generators for name in target_names(generator.target)}
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        inside = [first.target, *first.ifs] + [part for generator in rest for part in (generator.target, generator.iter, *generator.ifs)]
        self.own_scope(names, [first.iter], inside + elements)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_comprehension_node

    def visit_Lambda(self, node):
        args = node.args
        names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} | {a.arg for a in (args.vararg, args.kwarg) if a}
        self.own_scope(names, [d for d in args.defaults + args.kw_defaults if d is not None], [node.body])

    def visit_ImportFrom(self, node):
        ref = module_ref(self.facts.path, node.module, node.level)
        for alias in node.names:
            if alias.name == "*":
                self.facts.star_imports.append(ref)
            else:
                self.facts.imports[alias.asname or alias.name] = (ref, alias.name)

    def visit_Import(self, node):
        for alias in node.names:
            self.facts.module_aliases[alias.asname or alias.name] = ("dotted", alias.name)

    def visit_Assign(self, node):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and self.receiver(target.value):
                self.add(target.slice, "set")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        if isinstance(node.target, ast.Subscript) and self.receiver(node.target.value):
            self.add(node.target.slice, "read")
            self.add(node.target.slice, "set")
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and self.receiver(target.value):
                self.add(target.slice, "delete")
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, ast.Load) and self.receiver(node.value):
            self.add(node.slice, "read")
        self.generic_visit(node)

    def visit_Compare(self, node):
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) and self.receiver(node.comparators[0]):
            self.add(node.left, "contains")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in METHOD_OPS and self.receiver(func.value):
            op = METHOD_OPS[func.attr]
            if op == "update":
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for k in arg.keys:
                            self.add(k, "update") if k is not None else None
                for kw in node.keywords:
                    if kw.arg:
                        self.facts.accesses.append((("literal", kw.arg), "update", node.lineno, node.col_offset))
            elif node.args:
                self.add(node.args[0], op)
        self.generic_visit(node)


class Resolver:
    def __init__(self, files):
        self.files = files
        self.by_name = {}
        for facts in files.values():
            stem = facts.path[:-3]
            if stem.endswith("/__init__"):
                stem = stem[: -len("/__init__")]
            self.by_name.setdefault(os.path.basename(stem), []).append((stem, facts))

    def find(self, ref):
        kind, name = ref
        if kind == "path":
            return self.files.get(name + ".py") or self.files.get(os.path.join(name, "__init__.py"))
        suffix = "/" + name.replace(".", "/")
        found = [(len(stem), f) for stem, f in self.by_name.get(name.split(".")[-1], []) if stem.endswith(suffix)]
        return min(found, key=lambda x: x[0])[1] if found else None

    def name(self, facts, name, hops=0):
        if name in facts.constants:
            return facts.constants[name]
        imported = facts.imports.get(name)
        if imported and hops < 8:
            (kind, module), target_name = imported
            if kind == "dotted" and module.split(".")[0] == "django":
                return DJANGO.get(target_name)
            target = self.find(imported[0])
            return self.name(target, target_name, hops + 1) if target else None
        for star in facts.star_imports if hops < 8 else []:
            target = self.find(star)
            value = self.name(target, name, hops + 1) if target else None
            if value is not None:
                return value
        return None

    def class_constant(self, facts, class_name, attr, hops=0):
        cls = facts.classes.get(class_name)
        if cls is None:
            return None
        if attr in cls[1]:
            return cls[1][attr]
        for base in cls[0]:
            if hops >= 8 or (base == class_name and base in facts.classes):
                continue
            found = self.find_class(facts, base, hops + 1)
            value = self.class_constant(found[0], found[1], attr, found[2]) if found else None
            if value is not None:
                return value
        return None

    def find_class(self, facts, dotted, hops):
        """Where a class named in `facts` is defined: there, or in a module it is imported from."""
        if hops > 8:
            return None
        if "." in dotted:
            owner, name = dotted.rsplit(".", 1)
            ref = facts.module_aliases.get(owner)
            if ref is None and owner in facts.imports:
                (k, module), imported = facts.imports[owner]
                ref = (k, module + "." + imported) if k == "dotted" else (k, os.path.join(module, imported))
            target = self.find(ref or ("dotted", owner))
            return self.find_class(target, name, hops + 1) if target else None
        if dotted in facts.classes:
            return facts, dotted, hops
        if dotted in facts.imports:
            ref, name = facts.imports[dotted]
            target = self.find(ref)
            return self.find_class(target, name, hops + 1) if target else None
        for star in facts.star_imports:
            target = self.find(star)
            found = self.find_class(target, dotted, hops + 1) if target else None
            if found:
                return found
        return None

    def resolve(self, facts, key):
        kind = key[0]
        if kind == "literal":
            return key[1]
        if kind == "name":
            return self.name(facts, key[1])
        if kind == "class":
            return self.class_constant(facts, key[1], key[2])
        if kind == "member":
            owner, attr = key[1], key[2]
            if owner in facts.classes:
                return self.class_constant(facts, owner, attr)
            ref = facts.module_aliases.get(owner)
            if ref is None and owner in facts.imports:
                (k, module), name = facts.imports[owner]
                if k == "dotted" and module.split(".")[0] == "django":
                    return DJANGO.get(attr)
                ref = (k, module + "." + name) if k == "dotted" else (k, os.path.join(module, name))
            target = self.find(ref) if ref else None
            return self.name(target, attr) if target else None
        return None


def scan(root, parse_all):
    files = {}
    for path in python_files(root):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        facts = FileFacts(path)
        if not parse_all and "session" not in text.lower():
            seen = set()
            for match in CONSTANT_LINE.finditer(text):
                name, prefix, value = match.group(1), match.group(2) or "", match.group(4)
                if name in seen or ("f" in prefix.lower() and ("{" in value or "}" in value)):
                    facts.constants.pop(name, None)
                else:
                    facts.constants[name] = value
                seen.add(name)
            for match in FROM_IMPORT.finditer(text):
                module = match.group(1)
                level = len(module) - len(module.lstrip("."))
                ref = module_ref(path, module.lstrip("."), level)
                names = re.sub(r"#.*$", "", match.group(2).replace("(", "").replace(")", ""), flags=re.M)
                for item in names.split(","):
                    parts = re.split(r"\s+as\s+", item.strip())
                    if parts[0] == "*":
                        facts.star_imports.append(ref)
                    elif parts[0] and re.match(r"^\w+$", parts[0]):
                        facts.imports[(parts[1] if len(parts) > 1 else parts[0]).strip()] = (ref, parts[0])
        else:
            tree = ast.parse(text, path)
            facts.constants = string_constants(tree.body)
            Scanner(facts, text, tree).visit(tree)
        files[path] = facts
    resolver = Resolver(files)
    usages, unresolved = [], 0
    for path in sorted(files):
        facts = files[path]
        for key, op, line, column in facts.accesses:
            value = resolver.resolve(facts, key)
            if value is None:
                unresolved += 1
            else:
                usages.append((value, op, path, line, column))
    return usages, unresolved


def main():
    started = time.perf_counter()
    cpu_started = resource.getrusage(resource.RUSAGE_SELF)
    usages, unresolved = scan(sys.argv[1], "--parse-all" in sys.argv[2:])
    seconds = time.perf_counter() - started
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (cpu.ru_utime - cpu_started.ru_utime) + (cpu.ru_stime - cpu_started.ru_stime)
    print(json.dumps({
        "usages": len(usages),
        "unresolved": unresolved,
        "keys": len({u[0] for u in usages}),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
