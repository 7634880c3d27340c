#!/bin/sh
# Install the npm GeoJSON checker pinned (with its integrity hash) in package-lock.json into .cache/npm,
# outside git. Used by `make test` and, on first use, by tests/test_export_validation.py. Needs npm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../../.cache/npm"
mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
touch .installed
