"""The peer of `django-sessions scan` for bench/scan.bench.ts: the same job on CPython's `ast`.

Walks a project (skipping virtualenvs, node_modules, VCS dirs and migrations), parses every file
that mentions "session" (others only have their string constants read, as the TS index does),
finds `.session` receivers and their local aliases, classifies each access (read, set, delete,
contains, get, pop, setdefault, update and the async variants) and resolves keys: literals,
placeholder-free f-strings, function-local literals, module constants, imported constants
(relative and absolute), class attributes and Django's own constants.

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
CONSTANT_LINE = re.compile(r"""^([A-Za-z_]\w*)[ \t]*=[ \t]*[rRuU]?(['"])([^'"\\\n]*)\2[ \t]*(?:#.*)?$""", re.M)


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
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, literal(stmt.value)
            if name in seen or value is None:
                out.pop(name, None)
            else:
                out[name] = value
            seen.add(name)
    return out


class Scanner(ast.NodeVisitor):
    def __init__(self, facts):
        self.facts = facts
        self.scopes = []
        self.classes = []

    def receiver(self, node):
        if isinstance(node, ast.Attribute) and node.attr == "session":
            return not (isinstance(node.value, ast.Name) and node.value.id == "requests")
        return isinstance(node, ast.Name) and bool(self.scopes) and node.id in self.scopes[-1]["aliases"]

    def key(self, node):
        value = literal(node)
        if value is not None:
            return ("literal", value)
        if isinstance(node, ast.JoinedStr):
            return ("dynamic", "the key is an f-string with placeholders")
        if isinstance(node, ast.Name):
            scope = self.scopes[-1] if self.scopes else None
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
        aliases = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                name = sub.targets[0].id
                if isinstance(sub.value, ast.Attribute) and sub.value.attr == "session":
                    aliases.add(name)
                value = literal(sub.value)
                assigned[name] = value if name not in assigned and value is not None else False
            elif isinstance(sub, ast.For) and isinstance(sub.target, ast.Name):
                assigned[sub.target.id] = False
        self.scopes.append({"params": params, "locals": assigned, "aliases": aliases})
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

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

    def resolve(self, facts, key):
        kind = key[0]
        if kind == "literal":
            return key[1]
        if kind == "name":
            return self.name(facts, key[1])
        if kind == "class":
            cls = facts.classes.get(key[1])
            return cls[1].get(key[2]) if cls else None
        if kind == "member":
            owner, attr = key[1], key[2]
            if owner in facts.classes:
                return facts.classes[owner][1].get(attr)
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
            for match in CONSTANT_LINE.finditer(text):
                facts.constants[match.group(1)] = match.group(3)
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
            Scanner(facts).visit(tree)
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
