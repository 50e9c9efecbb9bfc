"""House rules a reviewer would otherwise check by hand: small functions, no private parts of other libraries."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "qm_site"
MODULES = sorted(PACKAGE.glob("**/*.py"))
MAX_LINES = 50


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_is_longer_than_fifty_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > MAX_LINES]
    assert not long, f"{path.name}: split {long}"


# Names that are private in the libraries we use and broke or could break with a minor release.
PRIVATE = re.compile(r"\._parse\(|_output_child_pre|_escape_inner|LiveScriptInjector|\.waiters\b|\._ID\b")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_only_public_apis_of_other_libraries(path):
    assert not PRIVATE.findall(path.read_text(encoding="utf-8")), path.name
