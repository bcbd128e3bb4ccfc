"""Reading YAML within limits: PyYAML's safe loader, with aliases, expanded size and depth
counted while the document is composed, before anything is built.

``yaml.safe_load`` refuses code, but not size: a "billion laughs" of a few hundred bytes
(nine anchors, each a list of nine aliases to the previous one) builds a small shared
structure that expands to a billion items as soon as anything walks it (pandas, ``repr``
in an error message), and a document nested 50,000 deep overflows the composer's
recursion. :class:`_BoundedLoader` counts every node as if each alias were expanded (an
anchored node remembers its expanded size, so an alias adds it at once) and the depth an
alias reaches, and stops at the first limit passed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.load.limits import Limits, exceeded


class _LimitPassed(Exception):
    """A limit was passed while composing: carries the error, raised outside PyYAML."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, text: str, label: str, limits: Limits) -> None:
        super().__init__(text)
        self._label = label
        self._limits = limits
        self._depth = 0  # of the node being composed
        self._deepest = 0  # the deepest level reached, aliases expanded
        self._nodes = 0  # nodes composed so far, aliases expanded
        self._aliases = 0
        #: anchor -> (expanded nodes, height) of the node it names, once composed
        self._sizes: dict[str, tuple[int, int]] = {}

    def _next_event(self) -> Any:
        """The event about to be composed (``check_event`` parses it into
        ``current_event``), or None at the end."""
        return self.current_event if self.check_event() else None

    def _passed(self, limit: str, message: str, found: str, expected: str) -> _LimitPassed:
        event = self._next_event()
        mark = None if event is None else event.start_mark
        return _LimitPassed(
            exceeded(
                limit,
                message,
                file=self._label,
                row=None if mark is None else mark.line + 1,
                found=found,
                expected=expected,
            )
        )

    def _reach(self, depth: int, nodes: int) -> None:
        self._nodes += nodes
        self._deepest = max(self._deepest, depth)
        limits = self._limits
        if depth > limits.max_yaml_depth:
            raise self._passed(
                "max_yaml_depth",
                "the YAML is nested too deeply",
                f"more than {limits.max_yaml_depth} levels",
                f"at most {limits.max_yaml_depth} levels of nesting",
            )
        if self._nodes > limits.max_yaml_nodes:
            raise self._passed(
                "max_yaml_nodes",
                "the YAML expands to too many values (aliases counted as their copies)",
                f"more than {limits.max_yaml_nodes:,} values",
                f"at most {limits.max_yaml_nodes:,} values",
            )

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            anchor = self._next_event().anchor
            if anchor in self.anchors:  # else PyYAML reports the undefined alias
                self._aliases += 1
                if self._aliases > self._limits.max_yaml_aliases:
                    raise self._passed(
                        "max_yaml_aliases",
                        "the YAML has too many aliases",
                        f"more than {self._limits.max_yaml_aliases:,} aliases",
                        f"at most {self._limits.max_yaml_aliases:,} aliases (*name)",
                    )
                if anchor not in self._sizes:
                    raise self._passed(
                        "max_yaml_depth",
                        "an alias refers to a node that contains it (endless nesting)",
                        f"*{anchor}",
                        "aliases to nodes defined before them, outside them",
                    )
                nodes, height = self._sizes[anchor]
                self._reach(self._depth + height, nodes)
            return super().compose_node(parent, index)
        anchor = getattr(self._next_event(), "anchor", None)
        self._depth += 1
        outer_deepest, self._deepest = self._deepest, self._depth
        start = self._nodes
        self._reach(self._depth, 1)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._sizes[str(anchor)] = (self._nodes - start, self._deepest - self._depth + 1)
        self._deepest = max(self._deepest, outer_deepest)
        self._depth -= 1
        return node


def read_yaml(raw: bytes, label: str, limits: Limits, expected: str) -> object:
    """The YAML document in ``raw``, built only once it is known to be within ``limits``.

    Raises
    ------
    ValidationError
        Not UTF-8, malformed YAML (with its line), or a limit passed (``max_yaml_aliases``,
        ``max_yaml_nodes``, ``max_yaml_depth``), naming ``label``; ``expected`` says what
        the file should hold.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            Problem("not a UTF-8 text file", file=label, expected=expected)
        ) from exc
    loader = _BoundedLoader(text, label, limits)
    try:
        return loader.get_single_data()
    except _LimitPassed as passed:
        raise passed.error from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(
            Problem(
                f"malformed YAML: {problem}",
                file=label,
                row=None if mark is None else mark.line + 1,
                expected=expected,
            )
        ) from exc
    finally:
        loader.dispose()


def read_yaml_text(text: str | bytes, label: str, limits: Limits, what: str) -> object:
    """:func:`read_yaml` of text kept elsewhere (a snapshot in the store), refused first
    when larger than a file may be (``max_file_bytes``); ``what`` names the document
    ("the criteria set", "the scorecard")."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if limits.max_file_bytes is not None and len(raw) > limits.max_file_bytes:
        raise ValidationError(
            Problem(
                f"{what} is too large",
                file=label,
                value=f"{len(raw) / 1e6:,.1f} MB",
                expected=f"at most {limits.max_file_bytes / 1e6:,.0f} MB",
                limit="max_file_bytes",
            )
        )
    return read_yaml(raw, label, limits, f"a YAML {what.removeprefix('the ')}")


def yaml_source(source: str | Path, folder: Path, bundled: Sequence[str], missing: str) -> Path:
    """The file ``source`` names: an existing path, or the name of a bundled YAML file in
    ``folder`` (``.yaml`` optional); else the error ``missing``, listing the bundled names."""
    path = Path(source)
    if path.is_file():
        return path
    text = str(source)
    if "/" not in text and "\\" not in text:
        found = folder / (text if text.endswith(".yaml") else f"{text}.yaml")
        if found.is_file():
            return found
    available = ", ".join(bundled) or "none"
    raise ValidationError(
        Problem(
            missing,
            file=text,
            expected=f"a path to a YAML file or a bundled name ({available})",
        )
    )


def yaml_file_bytes(path: Path, limits: Limits, what: str) -> bytes:
    """The bytes of the YAML file ``path``, refused unread when larger than
    ``max_file_bytes`` (``what``: "the criteria file", "the scorecard file")."""
    size = path.stat().st_size
    if limits.max_file_bytes is not None and size > limits.max_file_bytes:
        raise ValidationError(
            Problem(
                f"{what} is too large",
                file=str(path),
                value=f"{size / 1e6:,.1f} MB",
                expected=f"at most {limits.max_file_bytes / 1e6:,.0f} MB",
                limit="max_file_bytes",
            )
        )
    return path.read_bytes()


def check_version(data: Mapping[Any, Any], label: str, supported: Sequence[int]) -> None:
    """Refuse a versioned YAML document (criteria set, scorecard) of a version we do not
    read, or without one."""
    version = data.get("version")
    if version not in supported or isinstance(version, bool):
        raise ValidationError(
            Problem(
                "unsupported or missing version",
                file=label,
                column="version",
                value=bounded_repr(version),
                expected=f"one of {tuple(supported)}",
            )
        )
