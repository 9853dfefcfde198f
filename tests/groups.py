"""Which group a test is in, from what its code calls: the conftest marks each test with it.

- e2e: it runs something outside the test's process: a browser, a validator, a server, the
  command or a built wheel in a subprocess.
- site: it builds a site (the `site`, `example` or `shared_build` fixtures, copy_site, a build or the command).
- unit: neither.

A test's own marker wins; the calls are followed through the test module's own functions and
fixtures, so a helper that opens Chromium makes every test that uses it e2e.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

GROUPS = ("unit", "site", "e2e")
E2E_NAMES = {"chromium", "require_chromium", "require_tool", "Popen", "check_output", "check_call", "run_cli",
             "on_terminal", "sync_playwright"}
E2E_CALLS = {("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "check_output"), ("subprocess", "check_call")}
SITE_NAMES = {"copy_site", "copy_example", "copy_fixture", "build", "main", "Builder", "built", "site", "example",
              "shared_build"}


@functools.cache
def groups_of(path: Path) -> dict[str, str]:
    """Test function name -> its group, for one test module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions: dict[str, ast.AST] = {}  # and classes: a helper class may start the server
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            functions.setdefault(node.name, node)
    uses = {name: _uses(function) for name, function in functions.items()}
    found = {}
    for name, node in functions.items():
        if name.startswith("test_") and not isinstance(node, ast.ClassDef):
            names, calls = _reach(name, uses, set())
            found[name] = ("e2e" if names & E2E_NAMES or calls & E2E_CALLS
                           else "site" if names & SITE_NAMES else "unit")
    return found


def _uses(function: ast.AST) -> tuple[set[str], set[tuple[str, str]]]:
    """The names a function uses (its arguments: the fixtures it asks for), and its module.attr calls."""
    names: set[str] = set()
    calls: set[tuple[str, str]] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            if isinstance(node.value, ast.Name):
                calls.add((node.value.id, node.attr))
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names, calls


def _reach(name: str, uses: dict, seen: set[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """What a function uses, with what the module's functions and fixtures it uses use."""
    if name in seen or name not in uses:
        return set(), set()
    seen.add(name)
    names, calls = set(uses[name][0]), set(uses[name][1])
    for other in list(names):
        more_names, more_calls = _reach(other, uses, seen)
        names |= more_names
        calls |= more_calls
    return names, calls
