"""Build tooling for ``data/boundaries/``: fetch pinned upstream files, apply named corrections, write outputs.

This package is *not* part of the installed runtime (``geo``): users never fetch upstream data, they read the
generated files committed under ``data/``. Keeping the build here means ``import geo`` never pulls in npm, tarball
handling or the correction steps, and the wheel ships only what runs. ``scripts/build_boundaries.py`` is the entry
point; the tests import these modules from the repository root (``pythonpath`` in ``pyproject.toml``).
"""
