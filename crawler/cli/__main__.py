"""``python -m crawler.cli``: the same as the ``mtwatch`` console script."""

from crawler.cli import main

main()
