#!/usr/bin/env bash
# `make lint`: gofmt, then golangci-lint with .golangci.yml (govet, staticcheck,
# errcheck, gosec, the layer rules of depguard...) at the version pinned in
# deploy/tools/golangci-lint, built into .local/bin/ the first time and again
# only when the pin or Go changes, after the configuration's own test
# (scripts/lint-selftest.sh). Needs no running stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/local/lib.sh
source deploy/local/lib.sh
started=$SECONDS

unformatted=$(find . -name '*.go' -not -path './.local/*' -not -path './.tools/*' \
	-not -path '*/node_modules/*' -print0 | xargs -0 -r gofmt -l)
if [[ -n $unformatted ]]; then
	printf 'gofmt would change:\n%s\n' "$unformatted" >&2
	exit 1
fi

lint=$(build_golangci_lint)
# The self-test first (3 s): with rules that no longer fire, a clean run
# below would prove nothing.
scripts/lint-selftest.sh "$lint"
"$lint" run ./...
log "lint passed in $((SECONDS - started))s"
