"""``python -m geo.cli``: the same as the ``geo`` command."""

from geo.cli import run

run()
