"""``python -m geo.cli``: the same as the ``geo`` command."""

import sys

from geo.cli import main

sys.exit(main())
