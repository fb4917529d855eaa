"""JSON and YAML documents read within limits (giới hạn tài nguyên): size, nesting, alias expansion.

A hostile or broken document stops with a message naming the file (and the line where one is
known), never a RecursionError, an exhausted machine or a message of hundreds of megabytes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from analysis.contract import SAFE_LOADER
from analysis.errors import InputError, Problem, fail
from analysis.io.load import check_size

MAX_DOCUMENT_BYTES = 50_000_000
"""JSON responses and YAML files above this size are refused."""
MAX_NESTING = 64
"""Deepest nesting of lists and mappings accepted in JSON or YAML."""
MAX_YAML_NODES = 20_000
"""Most values a YAML file may hold once its aliases are expanded (an alias bomb has billions)."""


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of lists and dicts, stopping as soon as ``limit`` is passed."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def read_json(path: Path, *, source: str | None = None) -> Any:
    """A JSON document, within the size and nesting limits; numbers too large for a float become inf.

    Problems (not JSON, too large, too deep) are :class:`InputError` naming the file and line.
    """
    name = source or str(path)
    check_size(path, MAX_DOCUMENT_BYTES, source=name)
    try:
        text = path.read_text(encoding="utf-8-sig")
        value = json.loads(text, parse_int=_json_int)
    except UnicodeDecodeError:
        raise fail(name, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise fail(name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", row=exc.lineno) from None
    except RecursionError:
        raise fail(name, f"nested more than {MAX_NESTING} levels deep") from None
    if _depth(value, MAX_NESTING) > MAX_NESTING:
        raise fail(name, f"nested more than {MAX_NESTING} levels deep")
    return value


def _json_int(text: str) -> int | float:
    """Whole numbers as ints; one with more digits than any count has becomes inf (rejected later)."""
    return int(text) if len(text) <= 18 else float(text)


def read_yaml(path: Path, *, source: str | None = None, problem: type[Problem] = Problem) -> tuple[Any, Any]:
    """A YAML document (safe loader) and its composed graph, within the size, nesting and alias limits.

    The graph (``yaml.Node``, None for an empty document) is what the document was built from:
    the lines of its keys, for messages, are read from it (the text is parsed once).

    Anchors and aliases are allowed, but a document whose values, aliases expanded, number more
    than ``MAX_YAML_NODES`` is refused before it is built (an alias bomb).  Problems are
    :class:`InputError` of ``problem`` records naming the file and line.
    """
    name = source or str(path)
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise InputError(problem(name, f"the file is larger than {MAX_DOCUMENT_BYTES / 1e6:,.0f} MB"))
    node = None
    try:
        text = path.read_text(encoding="utf-8-sig")
        loader = SAFE_LOADER(text)
        try:  # parsed once: the composed graph is checked, then built into values
            node = loader.get_single_node()
            folds = _check_yaml_nodes(node, name, problem) if node is not None else False
            # building folds `<<:` merge keys into the graph it reads, and the graph handed back
            # must keep the file's own keys and lines: a graph that has them is built from a copy
            value = loader.construct_document(copy.deepcopy(node) if folds else node) if node is not None else None
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        raise InputError(problem(name, "not UTF-8 text")) from None
    except ValueError as exc:  # a value the loader reads but cannot build: the date 2026-02-30
        bad = _unbuildable(node)
        said = f"{bad.value!r} is not a date ({exc})" if bad is not None else f"a value cannot be read ({exc})"
        raise InputError(problem(name, said, bad.start_mark.line + 1 if bad is not None else None)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = str(getattr(exc, "problem", None) or exc)
        if message == "exceeded maximum nesting depth":  # libyaml's own limit, deeper than ours
            raise InputError(problem(name, f"nested more than {MAX_NESTING} levels deep", mark.line + 1 if mark else None)) from None
        raise InputError(problem(name, f"not valid YAML: {message}", mark.line + 1 if mark else None)) from None
    except RecursionError:
        raise InputError(problem(name, f"nested more than {MAX_NESTING} levels deep")) from None
    return value, node


def _unbuildable(root: Any) -> Any:
    """The first date-like value of a composed graph that is no date (``2026-02-30``), if any."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
            except ValueError:
                return node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
    return None


FOLDED_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
"""Keys (``<<``, ``=``) that building a mapping rewrites in the composed graph."""


def _check_yaml_nodes(root: Any, name: str, problem: type[Problem]) -> bool:
    """Refuse a composed YAML graph too deep, or too large once aliases are expanded; whether
    building it would rewrite it (a key of :data:`FOLDED_KEYS`)."""
    sizes: dict[int, int] = {}
    folds = False

    def size(node: Any, depth: int) -> int:
        if depth > MAX_NESTING:
            raise InputError(problem(name, f"nested more than {MAX_NESTING} levels deep", node.start_mark.line + 1))
        if id(node) in sizes:
            return sizes[id(node)]
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            nonlocal folds
            folds = folds or any(k.tag in FOLDED_KEYS for k, _ in node.value)
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_YAML_NODES:
            raise InputError(problem(
                name, f"more than {MAX_YAML_NODES:,} values once its aliases (*name) are expanded", node.start_mark.line + 1
            ))
        sizes[id(node)] = total
        return total

    size(root, 1)
    return folds
