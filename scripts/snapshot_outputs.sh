#!/usr/bin/env bash
# usage: scripts/snapshot_outputs.sh CHECKOUT OUTDIR  [PYTHON=.venv/bin/python]
# Writes a fixed set of outputs (maps HTML/PNG/SVG, GeoJSON, GeoPackage, CSV, joins) with the `geo` of CHECKOUT and
# prints their SHA-256: run it on two commits to show that a refactor changed no output byte (GeoPackage
# timestamps fixed with OGR_CURRENT_DATE). Used for issue 8: the 21 outputs were identical before and after.
set -u
repo=$1; out=$2; rm -rf "$out"; mkdir -p "$out"/csvd "$out"/gj "$out"/csv "$out"/gjd; cd "$out"
export PYTHONPATH=$repo OGR_CURRENT_DATE=2000-01-01T00:00:00Z
py=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
cat > t.csv <<'T'
region,turnover_usd_mn,year
Orenburg Oblast,627,2025
Aktobe Region,1124.8,2017
Omsk,380,2021
Kostanay,50,2021
T
printf 'region,count\nAbai,10\nEast Kazakhstan,20\nOmsk,5\n' > t2.csv
g() { $py -m geo.cli "$@" >>log.txt 2>&1; echo "exit $? : $*" >> log.txt; }
g map -o map.html
g map --offline -o map_off.html
g map --lang ru -o map_ru.html --png map.png --svg map.svg
g map --data t.csv --metric turnover_usd_mn -o map_data.html --png map_data.png
g map --context --scheme natural_breaks --k 4 -o map_ctx.html
g export -f geojson -o gj/
g export -f gpkg -o ex.gpkg
g export -f csv -o csv/
g export -f geojson -o gjd/ --data t.csv --layers regions
g join t.csv -o joined.geojson
g join t2.csv --additive count -o joined2.gpkg
g export -f csv -o csvd/ --data t.csv --layers regions
g check t.csv
sha256sum $(find . -type f ! -name log.txt ! -name t.csv ! -name t2.csv | sort)
