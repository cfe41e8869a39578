#!/usr/bin/env bash
# Refresh the vendored plotly.js that the page's chart element loads in the browser.
# The basic bundle (scatter, bar, pie) is all the explorer draws, at a quarter of the
# full bundle's size; its version matches the plotly.js inside the pinned Python plotly,
# so both speak the same figure JSON. Usage: scripts/vendor_plotly.sh [VERSION]
set -euo pipefail
version="${1:-4.1.1}"
dest="$(cd "$(dirname "$0")/.." && pwd)/relulab_app/webchart"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "plotly.js-basic-dist-min@${version}" >/dev/null && tar xzf ./*.tgz)
cp "$work/package/plotly-basic.min.js" "$dest/plotly-basic.min.js"
# Gzipped once here, sent as it is: Streamlit would gzip the .js on every page load.
gzip -9 -n -c "$dest/plotly-basic.min.js" > "$dest/plotly-basic.min.js.gz"
cp "$work/package/LICENSE" "$dest/LICENSE-plotly.js.txt"
echo "plotly.js-basic-dist-min ${version} (npm), MIT licence: LICENSE-plotly.js.txt" > "$dest/PLOTLY_VERSION"
echo "vendored plotly.js-basic-dist-min ${version} into ${dest}"
