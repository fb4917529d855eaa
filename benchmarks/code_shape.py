"""Print the shape of the package: lines, longest module and function, import cycles.

    python benchmarks/code_shape.py [src/analysis]

Imports are read with `ast`, both at module level and inside functions, so a cycle hidden by an
import inside a function is still found. A cycle is reported as the strongly connected groups
of modules with more than one member.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path, root: Path, modules: set[str]) -> tuple[set[str], int]:
    name = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    inner = 0
    top_level = set(map(id, tree.body))
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(name, path.name == "__init__.py", node)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        hits = {t for t in targets if t in modules and t != name}
        if hits and id(node) not in top_level and not _under_type_checking(tree, node):
            inner += 1
        found |= hits
    return found, inner


def _under_type_checking(tree: ast.Module, target: ast.AST) -> bool:
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            if any(child is target for child in ast.walk(node)):
                return True
    return False


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def package_graph(root: Path) -> dict[str, set[str]]:
    """Module → modules of the package it imports; a package's own `__init__` is not an edge."""
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    graph: dict[str, set[str]] = {}
    for f in files:
        name = module_name(f, root)
        found, _ = imports(f, root, modules)
        # importing a sibling through its package's __init__ is not a cycle of the sibling
        graph[name] = {m for m in found if not name.startswith(m + ".")}
    return graph


def shape(root: Path) -> dict:
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    lines = {module_name(f, root): len(f.read_text(encoding="utf-8").splitlines()) for f in files}
    functions: list[tuple[int, str]] = []
    inner_total = 0
    for f in files:
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append((length, f"{module_name(f, root)}.{node.name}"))
        inner_total += imports(f, root, modules)[1]
    functions.sort(reverse=True)
    longest = max(lines.items(), key=lambda kv: kv[1])
    return {
        "modules": len(files),
        "lines": sum(lines.values()),
        "longest_module": longest,
        "modules_over_700": sorted(m for m, n in lines.items() if n > 700),
        "longest_function": functions[0],
        "functions_over_80": [f"{name} ({n})" for n, name in functions if n > 80],
        "import_cycles": cycles(package_graph(root)),
        "imports_inside_functions": inner_total,
    }


def main(argv: list[str]) -> None:
    root = Path(argv[0] if argv else "src/analysis")
    result = shape(root)
    print(f"modules                    {result['modules']}")
    print(f"lines                      {result['lines']}")
    print(f"longest module             {result['longest_module'][0]} ({result['longest_module'][1]} lines)")
    print(f"modules over 700 lines     {len(result['modules_over_700'])} {result['modules_over_700']}")
    print(f"longest function           {result['longest_function'][1]} ({result['longest_function'][0]} lines)")
    print(f"functions over 80 lines    {len(result['functions_over_80'])}")
    for item in result["functions_over_80"]:
        print(f"    {item}")
    print(f"import cycles              {len(result['import_cycles'])}")
    for group in result["import_cycles"]:
        print(f"    {' ↔ '.join(group)}")
    print(f"imports inside functions   {result['imports_inside_functions']}")


if __name__ == "__main__":
    main(sys.argv[1:])
