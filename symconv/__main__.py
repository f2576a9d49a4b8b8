"""``python -m symconv``: the command line (see :mod:`symconv.cli`)."""

from .cli import main

raise SystemExit(main())
