"""``python -m prioritize``: the command line."""

from prioritize.cli import main

raise SystemExit(main())
