"""Which group a test is in, from what its code calls: the conftest marks each test with it.

- e2e: it runs something outside the test's process: a browser, a validator, a server, the
  command or a built wheel in a subprocess.
- site: it builds a site (the `site`, `example` or `shared_build` fixtures, copy_site, a build or the command).
- unit: neither.

A test's own marker wins; the calls are followed through the test module's own functions and
fixtures, and through the helpers it imports from the other test modules (not conftest's: its
Site, which every site test uses, can also run the command), so a helper that opens Chromium or
starts the preview in a subprocess makes every test that uses it e2e.
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


Uses = tuple[set[str], set[tuple[str, str]]]  # the names a function uses, its module.attr calls


@functools.cache
def groups_of(path: Path) -> dict[str, str]:
    """Test function name -> its group, for one test module."""
    found = {}
    for name, node in _module(path)[0].items():
        if name.startswith("test_") and not isinstance(node, ast.ClassDef):
            names, calls = _reach(path, name, set())
            found[name] = ("e2e" if names & E2E_NAMES or calls & E2E_CALLS
                           else "site" if names & SITE_NAMES else "unit")
    return found


@functools.cache
def _module(path: Path) -> tuple[dict[str, ast.AST], dict[str, Uses], dict[str, Path]]:
    """A test module's functions and classes (a helper class may start the server), what each
    uses, and the names it imports from the other test modules (name -> that module's file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions: dict[str, ast.AST] = {}
    imported: dict[str, Path] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            functions.setdefault(node.name, node)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module not in (None, "conftest"):
            source = path.parent / f"{node.module}.py"
            if source.is_file():
                imported.update({alias.asname or alias.name: source for alias in node.names})
    return functions, {name: _uses(function) for name, function in functions.items()}, imported


def _uses(function: ast.AST) -> Uses:
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


def _reach(path: Path, name: str, seen: set[tuple[Path, str]]) -> Uses:
    """What a function uses, with what the module's functions and fixtures it uses use, and the
    helpers it imports from the other test modules."""
    _, uses, imported = _module(path)
    if (path, name) in seen:
        return set(), set()
    seen.add((path, name))
    if name not in uses:
        return _reach(imported[name], name, seen) if name in imported else (set(), set())
    names, calls = set(uses[name][0]), set(uses[name][1])
    for other in list(names):
        more_names, more_calls = _reach(path, other, seen)
        names |= more_names
        calls |= more_calls
    return names, calls
