"""``python -m fiscal_core``: the ``fiscal-core`` command-line tool."""

from fiscal_core.cli import main

raise SystemExit(main())
