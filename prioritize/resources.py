"""Where the bundled criteria sets, scorecards and example data live, and which version is
installed.

In a wheel they are copied into ``prioritize/_data/`` (see ``pyproject.toml``); in a source
checkout or an editable install they are read from the repository's ``criteria/``,
``scorecards/`` and ``examples/`` folders.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = [
    "VERSION",
    "bundled_criteria",
    "bundled_scorecards",
    "criteria_dir",
    "example_dir",
    "examples_dir",
    "scorecard_dir",
]

try:
    #: The installed package's version (what exports record as the tool that made them).
    VERSION = version("prioritize")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.0.0+unknown"

_PACKAGE = Path(__file__).resolve().parent
DEFAULT_CRITERIA = "customer-operations"
DEFAULT_SCORECARD = "customer-operations"
DEFAULT_EXAMPLE = "sales-order-errors"


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def criteria_dir() -> Path:
    """The folder of the bundled criteria sets."""
    return _data_dir("criteria")


def examples_dir() -> Path:
    """The folder of the bundled example data sets."""
    return _data_dir("examples")


def example_dir(name: str = DEFAULT_EXAMPLE) -> Path:
    """The folder of one bundled example (default: ``sales-order-errors``)."""
    return examples_dir() / name


def bundled_criteria() -> tuple[str, ...]:
    """Names of the bundled criteria sets (file names without ``.yaml``)."""
    folder = criteria_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))


def scorecard_dir() -> Path:
    """The folder of the bundled scorecards."""
    return _data_dir("scorecards")


def bundled_scorecards() -> tuple[str, ...]:
    """Names of the bundled scorecards (file names without ``.yaml``)."""
    folder = scorecard_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))
