"""YAML parsed into PyYAML's node tree, which keeps every value's line and column.

The schemas (schema.py) check values on these nodes; positions are shared Pos objects.
"""

from __future__ import annotations

import yaml

from generator.errors import CONTROL_CHARACTERS, Pos, Report

from .limits import YAML_TOO_DEEP, yaml_too_deep

# PyYAML's safe loader; the C one is several times faster and still records positions
Loader: type[yaml.CSafeLoader | yaml.SafeLoader]
try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader

ScalarNode = yaml.ScalarNode
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode


# Positions are immutable and few distinct ones occur: built once and shared.
POSITIONS: dict[tuple[int, int], Pos] = {}


def position(line: int, col: int) -> Pos:
    found = POSITIONS.get((line, col))
    if found is None:
        if len(POSITIONS) > 100_000:  # a bound for long-running processes
            POSITIONS.clear()
        found = POSITIONS[line, col] = Pos(line, col)
    return found


def pos_of(node: yaml.Node, line_offset: int = 0) -> Pos:
    mark = node.start_mark
    return position(mark.line + 1 + line_offset, mark.column + 1)


def compose(text: str, path: str, report: Report, line_offset: int = 0) -> yaml.Node | None:
    """Parses YAML into a node tree; a syntax error, or nesting too deep to parse, becomes a Problem."""
    node = None
    try:
        deep = yaml_too_deep(text, Loader)  # before composing: the C composer would crash on it
        if deep is not None:
            report.error(path, Pos(deep.line + 1 + line_offset, deep.column + 1), YAML_TOO_DEEP)
            return None
        node = yaml.compose(text, Loader=Loader)
    except RecursionError:  # the pure-Python composer, where PyYAML was built without libyaml
        report.error(path, Pos(1 + line_offset, 1), YAML_TOO_DEEP)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Pos(mark.line + 1 + line_offset, mark.column + 1) if mark else Pos()
        what = exc.problem or exc.context or "invalid YAML"
        report.error(path, where, f"YAML syntax error: {what}")
    except yaml.reader.ReaderError as exc:
        # Raised for control characters, which YAML forbids; it has a position, not a mark.
        before = text[: exc.position]
        where = Pos(before.count("\n") + 1 + line_offset, exc.position - before.rfind("\n"))
        report.error(path, where, f"YAML syntax error: character U+{exc.character:04X} is not allowed in YAML")
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        report.error(path, Pos(1 + line_offset, 1), f"YAML syntax error: {first}")
    # sources.read_text refused control characters typed in the file; YAML's
    # escapes ("\f", "\x1b", "\0", "\ud800") can still write them, in double quotes.
    if node is not None and "\\" in text and _escaped_controls(node, path, report, line_offset):
        return None
    return node


def _escaped_controls(root: yaml.Node, path: str, report: Report, line_offset: int) -> bool:
    """Reports each scalar (key or value) holding a control character; True if any does."""
    found, stack, seen = False, [root], set()
    while stack:  # not recursive: a deeply nested file must not exhaust Python's stack
        node = stack.pop()
        if id(node) in seen:  # an alias: the node was looked at (and may hold itself)
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            bad = CONTROL_CHARACTERS.search(node.value) if node.style == '"' else None
            if bad:
                report.error(path, pos_of(node, line_offset),
                             f"control character U+{ord(bad[0]):04X} is not allowed (written as an escape)")
                found = True
        elif isinstance(node, MappingNode):
            stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
        else:
            stack.extend(reversed(node.value))
    return found
