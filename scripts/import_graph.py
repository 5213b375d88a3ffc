"""The project's import graph by layer, its checks, and a drawing of it (docs/architecture.md).

Every product module's imports are read with `ast` (imports inside functions too) and mapped
to top-level packages and layers. `tests/test_architecture.py` fails on what `problems()`
returns; `python -m scripts.import_graph` rewrites the Mermaid drawing in
docs/architecture.md from the same graph, so the picture cannot drift from the code.

    python -m scripts.import_graph          # rewrite docs/architecture.md
    python -m scripts.import_graph --check  # print the problems, exit 1 if any
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LAYERS: dict[str, int] = {
    "core": 0,
    "storage": 1,
    "crawlers": 2,
    "nlp": 2,
    "outbox": 3,
    "dashboard": 4,
    "digest": 4,
    "alerts": 4,
    "api": 4,
    "newsroom": 5,
    "scheduler": 5,
    "jobs": 5,
    "bench": 5,
    "scripts": 5,
    "workers": 5,
    "devtools": 5,
}
"""Top-level package (or module) -> layer: floor 0, store 1, work 2, shared delivery 3,
outputs 4, roof 5. An import may only point to a lower layer, or sideways where allowed."""

ROOF = tuple(name for name, layer in LAYERS.items() if layer == 5)

LAYER_NAMES = {0: "floor", 1: "store", 2: "work", 3: "shared delivery", 4: "outputs", 5: "roof"}

SIDEWAYS_ALLOWED: frozenset[tuple[str, str]] = frozenset({
    # The roof wires things together; its parts may use each other as long as no cycle forms.
    ("newsroom", "scheduler"), ("newsroom", "jobs"), ("scheduler", "jobs"),
    ("bench", "newsroom"), ("bench", "scheduler"), ("bench", "jobs"),
    ("workers", "jobs"), ("newsroom", "workers"), ("scheduler", "workers"),
    ("bench", "workers"),
    # The real servers the tests and the benchmarks share; a port from the demo's helper.
    ("bench", "devtools"), ("devtools", "newsroom"),
})
"""(importer, imported) pairs on one layer that may import each other (one way only)."""

SQL_ALLOWED = ("storage",)
"""The only top-level package that may hold SQL text or call `.execute(`."""

MAX_LINES = 400
LONG_MODULES_ALLOWED = frozenset({
    "newsroom/demo/vocab.py",  # the demo corpus's word lists: a data table
})
"""Product modules allowed over MAX_LINES lines: data tables only."""

_SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|"
                  r"DELETE\s+FROM)\b", re.S)
_EXECUTE_NAMES = {"execute", "executemany", "executescript"}
_SKIP_DIRS = {"tests", "docs", "build", "dist", "var", "bench-results"}


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module, dotted (`digest.send`)."""
    target: str
    """The imported module, dotted (`outbox.smtp`)."""
    line: int
    path: str

    @property
    def source_package(self) -> str:
        return self.module.split(".")[0]

    @property
    def target_package(self) -> str:
        return self.target.split(".")[0]

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def product_files(root: Path = ROOT) -> list[Path]:
    """Every .py file of the product: the layered packages and scheduler.py."""
    files = []
    for name in LAYERS:
        package = root / name
        if package.is_dir():
            files += [p for p in sorted(package.rglob("*.py")) if not _skipped(p, root)]
        elif (root / f"{name}.py").is_file():
            files.append(root / f"{name}.py")
    return files


def _skipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(part in _SKIP_DIRS or part.startswith(".") for part in parts[1:-1])


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> Iterator[Import]:
    """The project-internal imports of one file, wherever in the file they are."""
    module = module_name(path, root)
    is_package = path.name == "__init__.py"
    rel = str(path.relative_to(root))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.module, node.level)
            # `from pkg import name` may name a submodule; checks walk up to a real module.
            targets = [f"{base}.{alias.name}" if alias.name != "*" else base
                       for alias in node.names] if base else []
        else:
            continue
        for target in targets:
            if target.split(".")[0] in LAYERS:
                yield Import(module, target, node.lineno, rel)


def _resolve(module: str, is_package: bool, name: str | None, level: int) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    keep = len(parts) - level + (1 if is_package else 0)
    base = parts[:max(keep, 0)]
    return ".".join(base + ([name] if name else []))


def all_imports(root: Path = ROOT) -> list[Import]:
    return [imp for path in product_files(root) for imp in imports_of(path, root)]


def package_edges(imports: Iterable[Import]) -> dict[tuple[str, str], list[Import]]:
    """(importer package, imported package) -> the imports behind that arrow."""
    edges: dict[tuple[str, str], list[Import]] = {}
    for imp in imports:
        if imp.source_package != imp.target_package:
            edges.setdefault((imp.source_package, imp.target_package), []).append(imp)
    return edges


def upward_imports(imports: Iterable[Import]) -> list[Import]:
    return [imp for imp in imports
            if LAYERS[imp.target_package] > LAYERS[imp.source_package]]


def sideways_imports(imports: Iterable[Import]) -> list[Import]:
    return [imp for imp in imports
            if imp.source_package != imp.target_package
            and LAYERS[imp.target_package] == LAYERS[imp.source_package]
            and (imp.source_package, imp.target_package) not in SIDEWAYS_ALLOWED]


def package_cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
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
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def module_cycles(
    imports: Iterable[Import], packages: Iterable[str], root: Path = ROOT
) -> list[list[str]]:
    """Import cycles between single modules of `packages` (the roof: its parts may use each
    other, but only one way round)."""
    wanted = set(packages)
    names = {module_name(p, root) for p in product_files(root)}
    modules = {name for name in names if name.split(".")[0] in wanted}
    edges = set()
    for imp in imports:
        if imp.source_package not in wanted or imp.target_package not in wanted:
            continue
        target = imp.target
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != imp.module:
            edges.add((imp.module, target))
    return package_cycles(edges)


def sql_outside_storage(root: Path = ROOT) -> list[str]:
    """`path:line: what` for SQL text or `.execute(` calls in product code outside storage."""
    found = []
    for path in product_files(root):
        rel = path.relative_to(root)
        if rel.parts[0] in SQL_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = _SQL.search(node.value)
                if match:
                    found.append(f"{rel}:{node.lineno}: SQL text {match.group(0)[:40]!r}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in _EXECUTE_NAMES):
                found.append(f"{rel}:{node.lineno}: .{node.func.attr}( call")
    return found


def guarded_imports(root: Path = ROOT) -> list[str]:
    """Our own modules imported inside `try: ... except ImportError`, or by name through
    importlib: such guards turn a real import error into a silently missing feature."""
    found = []
    for path in product_files(root):
        rel = path.relative_to(root)
        module = module_name(path, root)
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Try) and _catches_import_error(node):
                for inner in (n for stmt in node.body for n in ast.walk(stmt)):
                    if not isinstance(inner, ast.Import | ast.ImportFrom):
                        continue
                    name = _own_import(inner, module, is_package)
                    if name:
                        found.append(f"{rel}:{inner.lineno}: try-import of {name}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in {"import_module", "find_spec"} and node.args
                  and isinstance(node.args[0], ast.Constant)
                  and str(node.args[0].value).split(".")[0] in LAYERS):
                found.append(f"{rel}:{node.lineno}: {node.func.attr}({node.args[0].value!r})")
    return found


def _catches_import_error(node: ast.Try) -> bool:
    names = set()
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names |= {kind.id for kind in kinds if isinstance(kind, ast.Name)}
    return bool(names & {"ImportError", "ModuleNotFoundError"})


def _own_import(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> str:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        names = [_resolve(module, is_package, node.module, node.level)]
    return next((name for name in names if name.split(".")[0] in LAYERS), "")


def long_modules(root: Path = ROOT) -> list[str]:
    found = []
    for path in product_files(root):
        rel = str(path.relative_to(root))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and rel not in LONG_MODULES_ALLOWED:
            found.append(f"{rel}: {lines} lines (limit {MAX_LINES})")
    return found


def _describe(imp: Import) -> str:
    src, dst = imp.source_package, imp.target_package
    return (f"{imp.where()}: {imp.module} ({LAYER_NAMES[LAYERS[src]]}) imports {imp.target} "
            f"({LAYER_NAMES[LAYERS[dst]]})")


def problems(root: Path = ROOT) -> dict[str, list[str]]:
    """Every rule and its offenders, readable; all lists empty when the house is in order."""
    imports = all_imports(root)
    edges = package_edges(imports)
    return {
        "upward imports": [_describe(imp) for imp in upward_imports(imports)],
        "imports between packages on one level": [
            _describe(imp) for imp in sideways_imports(imports)
        ],
        "package cycles": [" <-> ".join(group) for group in package_cycles(edges)],
        "cycles between roof modules": [
            " <-> ".join(group) for group in module_cycles(imports, ROOF, root)
        ],
        "SQL outside storage": sql_outside_storage(root),
        "guarded imports of our own modules": guarded_imports(root),
        "modules over the line limit": long_modules(root),
    }


def mermaid(root: Path = ROOT) -> str:
    """The package graph as a Mermaid flowchart: one row per layer, roof on top."""
    edges = package_edges(all_imports(root))
    present = sorted({p for edge in edges for p in edge} | {
        name for name in LAYERS if (root / name).is_dir() or (root / f"{name}.py").is_file()
    })
    lines = ["flowchart TB"]
    for layer in sorted(LAYER_NAMES, reverse=True):
        members = [p for p in present if LAYERS[p] == layer]
        if not members:
            continue
        lines.append(f'  subgraph L{layer}["{LAYER_NAMES[layer]}"]')
        lines += [f"    {p}" for p in members]
        lines.append("  end")
    for a, b in sorted(edges):
        lines.append(f"  {a} --> {b}")
    return "\n".join(lines)


def _may_import(layer: int) -> str:
    below = [LAYER_NAMES[lower] for lower in sorted(LAYER_NAMES, reverse=True) if lower < layer]
    extra = " (and each other, without cycles)" if layer == 5 else ""
    return (", ".join(below) or "nothing of ours") + extra


def render_doc(root: Path = ROOT) -> str:
    found = problems(root)
    imports = all_imports(root)
    edges = package_edges(imports)
    upward = len({(i.source_package, i.target_package) for i in upward_imports(imports)})
    cycles = len(package_cycles(edges))
    return (
        "# The import graph\n\n"
        "Generated by `python -m scripts.import_graph` from the code (imports inside functions\n"
        "included); `tests/test_architecture.py` checks the same graph. Arrows point from the\n"
        "importing package to the imported one; rows are layers, the roof on top.\n\n"
        f"- packages: {len({p for e in edges for p in e})}, arrows: {len(edges)}\n"
        f"- arrows that run back up: {upward}\n"
        f"- cycles between packages: {cycles}\n"
        f"- problems found: {sum(len(v) for v in found.values())}\n\n"
        "| layer | packages | may import |\n|---|---|---|\n"
        + "".join(
            f"| {LAYER_NAMES[layer]} | {', '.join(p for p in LAYERS if LAYERS[p] == layer)} | "
            f"{_may_import(layer)} |\n"
            for layer in sorted(LAYER_NAMES, reverse=True)
        )
        + "\n"
        "```mermaid\n" + mermaid(root) + "\n```\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only print problems.")
    parser.add_argument("--out", default=str(ROOT / "docs" / "architecture.md"))
    args = parser.parse_args(argv)
    found = problems()
    for rule, offenders in found.items():
        for offender in offenders:
            print(f"{rule}: {offender}")
    if not args.check:
        Path(args.out).write_text(render_doc(), encoding="utf-8")
        print(f"wrote {args.out}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
