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

# Targets that start the whole product (a database, Kratos, a seeded
# workshop) in every fuzz worker spend their first minutes setting up: they
# get STACK_FUZZTIME (default 10m) and one worker.
stack_targets=" FuzzAPI_neverAnswers5xx "
stack_fuzztime=${STACK_FUZZTIME:-10m}

while read -r pkg name; do
	if [[ $stack_targets == *" $name "* ]]; then
		echo "== $pkg $name ($stack_fuzztime, whole product)"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$stack_fuzztime" -parallel 1 "$pkg"
		continue
	fi
	echo "== $pkg $name ($fuzztime)"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done <<<"$targets"
