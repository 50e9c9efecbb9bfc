"""The package's layers: cli → commands → {site, authoring, importing} → {printing, source} → core.

Every module's imports are read from its source (ast: top-level and function-level lazy imports alike, so an
import moved into a function to dodge a cycle still counts), mapped to the sub-package they belong to, and
checked against the layer order; the graph between sub-packages must have no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import qm_site

PACKAGE = Path(qm_site.__file__).parent

# What each part may import, lowest first. core: the modules beside cli at the top (errors, i18n, cache, parallel,
# lifeline, heap, headers, urls …), which import only each other.
ALLOWED = {
    "core": {"core"},
    "source": {"core", "source"},
    "printing": {"core", "source", "printing"},
    "importing": {"core", "source", "importing"},
    "site": {"core", "source", "printing", "site"},
    # `serve` previews the built site, `start` and `inbox` run imports: authoring sits on site and importing.
    "authoring": {"core", "source", "printing", "site", "importing", "authoring"},
    "commands": {"core", "source", "printing", "site", "importing", "authoring", "commands"},
    "cli": {"core", "source", "printing", "site", "importing", "authoring", "commands", "cli"},
}


def part_of(module: str, package: Path = PACKAGE) -> str:
    """The layer part of a dotted module name under the package: a sub-package, cli, or core."""
    parts = module.split(".")
    if len(parts) == 1:
        return "core"  # qm_site itself (`from .. import cache` names its modules)
    if (package / parts[1]).is_dir():
        return parts[1]
    return "cli" if parts[1] == "cli" else "core"


def module_name(path: Path, package: Path) -> str:
    """The dotted name of a module file under `package`."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The qm_site modules (or names in them) one import statement names, resolved from relative form."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = module.split(".") if is_package else module.split(".")[:-1]
        if node.level:
            base = base[:len(base) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        # `from . import fmt` names a module; `from .x import name` a name in x: both are read as x's part.
        yield from (f"{target}.{a.name}" for a in node.names)


def edges(package: Path) -> list[tuple[str, str, str, int]]:
    """(from part, to part, module, line) of every import between parts of the package."""
    found = []
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            for target in imported(node, module, path.name == "__init__.py"):
                if target == package.name or target.startswith(package.name + "."):
                    here, there = part_of(module, package), part_of(target, package)
                    if here != there:
                        found.append((here, there, module, node.lineno))
    return found


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as its nodes in order (first repeated at the end), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return []


def test_every_part_of_the_package_has_a_place_in_the_layers():
    parts = {part_of(module_name(p, PACKAGE)) for p in PACKAGE.rglob("*.py")}
    assert parts <= set(ALLOWED), f"place the new sub-package in ALLOWED: {sorted(parts - set(ALLOWED))}"


def test_the_import_graph_between_sub_packages_has_no_cycle():
    graph: dict[str, set[str]] = {}
    for here, there, _, _ in edges(PACKAGE):
        graph.setdefault(here, set()).add(there)
    assert cycle(graph) == [], "sub-packages import each other: " + " → ".join(cycle(graph))


def test_each_part_imports_only_the_layers_below_it():
    wrong = [f"{module}:{line}: {here} imports {there}" for here, there, module, line in edges(PACKAGE)
             if there not in ALLOWED[here]]
    assert wrong == []


def test_printing_and_importing_stand_without_site_and_authoring():
    """The brief's own cases, said plainly: a regression here names the edge."""
    said = {(here, there) for here, there, _, _ in edges(PACKAGE)}
    for here, there in [("printing", "site"), ("importing", "authoring"), ("source", "site"), ("source", "printing"),
                        ("site", "authoring"), ("site", "importing")]:
        assert (here, there) not in said, f"{here} imports {there}"


@pytest.mark.parametrize("source, expected", [
    ("from ..site.pages import LANG_PREFIX", [("printing", "site")]),
    ("def f():\n    from ..site import pages  # lazy, to dodge a cycle\n", [("printing", "site")]),
    ("import qm_site.authoring.scaffold", [("printing", "authoring")]),
    ("from .. import cache\nfrom . import fonts\nfrom ..source.model import Campaign",
     [("printing", "core"), ("printing", "source")]),
])
def test_the_reader_finds_every_form_of_import(tmp_path, source, expected):
    package = tmp_path / "qm_site"
    for folder in ("printing", "site", "authoring", "source"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "printing" / "x.py").write_text(source, encoding="utf-8")
    assert [(h, t) for h, t, m, _ in edges(package) if m == "qm_site.printing.x"] == expected


def test_a_cycle_is_found_and_named():
    assert cycle({"site": {"printing"}, "printing": {"source", "site"}, "source": set()}) == ["printing", "site", "printing"]
    assert cycle({"site": {"printing"}, "printing": {"source"}}) == []
