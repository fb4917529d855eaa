"""Problems with parameters: each names the file, the line and the key (tệp, dòng, khóa).

:class:`ParameterProblem` is an :class:`~analysis.errors.Problem` whose row is a line and whose
column is a key; :func:`problems_of` turns the parameters model's validation errors into them.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from analysis.errors import InputError, Problem

NOTEBOOK_SOURCE = "notebook parameters"
"""The name a problem found in a notebook's parameters gives as its file."""


@dataclass(frozen=True)
class ParameterProblem(Problem):
    """A problem in a parameters file: file, line (``row``) and key (``column``)."""

    UNNAMED = "<parameters>"
    ROW_WORD = "line"
    COLUMN_WORD = "key"


class ParameterError(InputError):
    """A notebook received a value it cannot use (the notebook stops with this message)."""


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'language'?)`` for a near miss, else an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def bad(message: str) -> PydanticCustomError:
    """A validator's error whose text is ``message`` as written (raise it)."""
    return PydanticCustomError("parameter", "{message}", {"message": message})


def key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Line numbers (1-based) of keys: ``"language"``, ``"targets.on_time"``, ``"notebooks[2]"``,
    from the file's composed graph (:func:`analysis.io.documents.read_yaml`).

    Also records duplicated top-level keys under ``"!duplicate:<key>"``.
    """
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in lines:
            lines[f"!duplicate:{key}"] = key_node.start_mark.line + 1
        lines.setdefault(key, key_node.start_mark.line + 1)
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines.setdefault(f"{key}.{sub_key.value}", sub_key.start_mark.line + 1)
        elif isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines.setdefault(f"{key}[{i}]", item.start_mark.line + 1)
    return lines


def duplicate_keys(source: str, lines: dict[str, int]) -> list[ParameterProblem]:
    """``key given twice`` for each top-level key written twice (YAML keeps the last silently)."""
    return [
        ParameterProblem(source, "key given twice", line, key.split(":", 1)[1])
        for key, line in lines.items()
        if key.startswith("!duplicate:")
    ]


def key_name(loc: Sequence[int | str]) -> str:
    """``("targets", "on_time")`` → ``targets.on_time``; ``("notebooks", 1)`` → ``notebooks[1]``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _unknown(loc: Sequence[int | str], keys: Mapping[str, Sequence[str]], notebook: bool) -> str:
    """The message for a key the model does not have, with the nearest known key."""
    word = str(loc[-1])
    if notebook and len(loc) == 1:
        return f"unknown parameter{did_you_mean(word, keys[''])}"
    if len(loc) > 1 and loc[0] == "targets":
        return f"unknown target{did_you_mean(word, keys['targets'])}; targets are {', '.join(keys['targets'])}"
    if len(loc) > 1:
        choices = keys.get(str(loc[0]), ())
        return f"unknown key{did_you_mean(word, choices)}; keys are {', '.join(choices)}"
    return f"unknown key{did_you_mean(word, keys[''])}; the keys are {', '.join(keys[''])}"


def problems_of(
    error: ValidationError,
    *,
    source: str,
    lines: dict[str, int],
    keys: Mapping[str, Sequence[str]],
    notebook: bool = False,
) -> list[ParameterProblem]:
    """Every validation error as a problem naming ``source``, the key's line and the key.

    ``keys`` lists the known keys for the "did you mean" hints: ``""`` the top level, else by
    the mapping's key (``targets``, ``service_centre``).
    """
    problems: list[ParameterProblem] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        key = key_name(loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            message = _unknown(loc, keys, notebook)
        elif kind == "missing":
            message = "required"
        elif kind == "parameter":
            message = str(item["msg"])
        else:  # a type pydantic checked itself after our own checks: its words, with the value
            message = f"{item['msg']} (got {item.get('input')!r})"
        line = None if notebook else lines.get(key, lines.get(str(loc[0]) if loc else "", 1))
        problems.append(ParameterProblem(source, message, line, key))
    return problems


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in the order of the file: by line, then by key."""
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


__all__ = [
    "NOTEBOOK_SOURCE",
    "ParameterError",
    "ParameterProblem",
    "bad",
    "did_you_mean",
    "duplicate_keys",
    "key_lines",
    "key_name",
    "problems_of",
    "sorted_problems",
]

