"""``python -m ballotdrill``: the command line."""

from ballotdrill.cli import main

main()
