"""Entry point for ``python -m briefsearch``."""

from briefsearch.cli import main

main()
