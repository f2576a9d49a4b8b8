"""``python -m symconv``: the command line; with no arguments, the interactive session."""

import sys

from ._entry import main

raise SystemExit(main(sys.argv[1:] or ["repl"]))
