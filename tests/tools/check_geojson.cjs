// Run the npm package @placemarkio/check-geojson (RFC 7946 structure and syntax) on GeoJSON files.
// usage: node check_geojson.cjs MODULE_DIR FILE...   prints {"FILE": [issues...]} as JSON, exit 0
"use strict";
const fs = require("fs");
const path = require("path");
const { getIssues } = require(path.resolve(process.argv[2]));
const result = {};
for (const file of process.argv.slice(3)) {
  result[file] = getIssues(fs.readFileSync(file, "utf8"));
}
process.stdout.write(JSON.stringify(result) + "\n");
