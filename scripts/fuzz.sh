#!/usr/bin/env bash
# `make fuzz`: run every Go fuzz target in the module for FUZZTIME each
# (default 20s). Targets are discovered with `go test -list '^Fuzz'`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fuzztime=${FUZZTIME:-20s}

# `go test -list` prints a package's matching names, then "ok  <pkg> <time>".
targets=$(go test -list '^Fuzz' ./... | awk '
	/^Fuzz/ { names[n++] = $1; next }
	/^ok/   { for (i = 0; i < n; i++) print $2, names[i]; n = 0 }
')
if [[ -z $targets ]]; then
	echo "no fuzz targets found"
	exit 0
fi

while read -r pkg name; do
	echo "== $pkg $name ($fuzztime)"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done <<<"$targets"
