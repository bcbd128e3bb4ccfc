"""The ``prioritize`` command line: :mod:`~prioritize.cli.main` (the parser and the
``evaluate``/``validate``/``explain`` commands) and one module per command group."""

from __future__ import annotations

from prioritize.cli.main import main

__all__ = ["main"]
