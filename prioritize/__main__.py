"""``python -m prioritize``: the command line."""

from prioritize.cli.main import main

raise SystemExit(main())
