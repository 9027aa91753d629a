"""The import contracts: what may import what, checked on every test run and in CI.

1. The contracts in `pyproject.toml` (`[tool.importlinter]`), run by import-linter: the
   targeting engine imports no Django and nothing else of `onehome`; only the allowed
   modules use the compiled-query kit.
2. No app imports another app's views (pages and API views are an app's own door).
3. No import cycles between modules — function-level imports included, which grimp sees
   like any other — and a function-level import stays only with a comment saying why.
"""

import ast
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[3]
ONEHOME = ROOT / "onehome"


def _is_app_code(module: str) -> bool:
    parts = module.split(".")
    return not ({"tests", "migrations", "conftest"} & set(parts))


@cache
def graph() -> grimp.ImportGraph:
    # Imports under `if TYPE_CHECKING:` are for annotations only and never run.
    return grimp.build_graph("onehome", cache_dir=None, exclude_type_checking_imports=True)


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def is_views(module: str) -> bool:
    """A module of pages or API views: `views`, `api`, or anything under a `views` or
    `pages` package."""
    parts = module.split(".")
    return parts[-1] in ("views", "api") or "views" in parts[:-1] or "pages" in parts[:-1]


def test_the_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pyproject.toml)"
    result = subprocess.run(  # noqa: S603 - our own tool, our own config
        [lint, str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


WIRING = {"onehome.urls", "onehome.api.urls"}


def views_imported_across_apps(g: grimp.ImportGraph) -> list[str]:
    found = []
    for module in sorted(g.modules):
        if not module.startswith("onehome.") or not _is_app_code(module):
            continue
        for imported in g.find_modules_directly_imported_by(module):
            if not imported.startswith("onehome.") or app_of(imported) == app_of(module):
                continue
            # The URL confs wire every app's pages and API; that is their job.
            if module in WIRING:
                continue
            if is_views(imported):
                found.append(f"{module} imports {imported}")
    return found


def test_no_app_imports_another_apps_views():
    assert views_imported_across_apps(graph()) == []


def test_the_views_rule_sees_an_import_of_another_apps_views():
    g = grimp.ImportGraph()
    for m in ("onehome.cases.intake.views", "onehome.registry.services"):
        g.add_module(m)
    g.add_import(importer="onehome.registry.services", imported="onehome.cases.intake.views")
    assert views_imported_across_apps(g) == [
        "onehome.registry.services imports onehome.cases.intake.views"
    ]


def import_cycles(g: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's
    strongly connected components over the module graph, packages' `__init__` included)."""
    modules = sorted(m for m in g.modules if m.startswith("onehome") and _is_app_code(m))
    inside = set(modules)
    edges = {m: sorted(g.find_modules_directly_imported_by(m) & inside) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(root: str) -> None:
        # Iterative, so that a long chain of imports does not reach the recursion limit.
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_no_module_imports_form_a_cycle():
    assert import_cycles(graph()) == []


def test_the_cycle_rule_sees_a_cycle_hidden_in_a_function():
    g = grimp.ImportGraph()
    for m in ("onehome.a", "onehome.b", "onehome.c"):
        g.add_module(m)
    g.add_import(importer="onehome.a", imported="onehome.b")
    g.add_import(importer="onehome.b", imported="onehome.c")
    g.add_import(importer="onehome.c", imported="onehome.a")  # as inside a function
    assert import_cycles(g) == [["onehome.a", "onehome.b", "onehome.c"]]


def function_imports_without_a_reason(source: str) -> list[int]:
    """Lines of imports inside a function with no comment on the line itself or on the
    line just above."""
    lines = source.splitlines()
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                here = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                if "#" not in here and not above.strip().startswith("#"):
                    missing.append(inner.lineno)
    return missing


def test_the_reason_rule_sees_a_bare_function_level_import():
    bare = "def f():\n    from x import y\n    return y\n"
    said = "def f():\n    # x imports this module\n    from x import y\n    return y\n"
    assert function_imports_without_a_reason(bare) == [2]
    assert function_imports_without_a_reason(said) == []


def test_a_function_level_import_says_why():
    missing = {}
    for path in sorted(ONEHOME.rglob("*.py")):
        if not _is_app_code(".".join(path.relative_to(ROOT).with_suffix("").parts)):
            continue
        lines = function_imports_without_a_reason(path.read_text(encoding="utf-8"))
        if lines:
            missing[path.relative_to(ONEHOME).as_posix()] = lines
    assert missing == {}, "say why the import is inside the function, or move it up"
