#!/usr/bin/env bash
# The lint configuration's own test, run by `make lint` (scripts/lint.sh):
# a layer rule that silently stopped matching (a renamed folder, a glob that
# no longer fits, a golangci-lint upgrade) would let the layers rot unnoticed.
#
# In a throwaway module that has the repository's module path and a copy of
# .golangci.yml, probe packages break the rules on purpose:
#   domain/probe          imports infrastructure  -> depguard (list domain)
#                         calls time.Now           -> forbidigo
#   interfaces/probe      imports infrastructure  -> depguard (list interfaces)
#   infrastructure/probe  imports interfaces      -> depguard (list infrastructure)
#   application/probe     imports internal/wiring -> depguard (list application)
# and interfaces/clean (imports application and domain only) must pass.
# The repository itself is never touched; the folder goes whatever happens.
#
# Usage: scripts/lint-selftest.sh [GOLANGCI_LINT]  (default .local/bin/golangci-lint)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
lint=$(realpath "${1:-.local/bin/golangci-lint}")
module=$(go list -m)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/torque-lint-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cp .golangci.yml "$tmp/"
printf 'module %s\n\ngo %s\n' "$module" "$(go list -m -f '{{.GoVersion}}')" >"$tmp/go.mod"

# probe DIR IMPORT... BODY: a package in $tmp/DIR importing the given packages
# of the module (blank imports), with BODY after them.
probe() {
	local dir=$1 body=${!#} name
	name=$(basename "$dir")
	mkdir -p "$tmp/$dir"
	{
		printf '// Package %s is a lint self-test probe.\npackage %s\n\nimport (\n' "$name" "$name"
		local imp
		for imp in "${@:2:$#-2}"; do
			printf '\t_ "%s/%s"\n' "$module" "$imp"
		done
		printf ')\n\n%s\n' "$body"
	} >"$tmp/$dir/probe.go"
}
probe domain/leaf '// Leaf is a domain package the probes may import.
var Leaf = 1'
probe application/leaf '// Leaf is an application package the probes may import.
var Leaf = 1'
probe internal/wiring '// Wiring stands in for internal/wiring.
var Wiring = 1'
probe domain/probe infrastructure/probe 'import "time"

// Now reads the clock, which domain code must not.
func Now() time.Time { return time.Now() }'
probe interfaces/probe infrastructure/probe '// Probe imports infrastructure.
var Probe = 1'
probe infrastructure/probe interfaces/clean '// Probe imports interfaces.
var Probe = 1'
probe application/probe internal/wiring '// Probe imports internal/wiring.
var Probe = 1'
probe interfaces/clean application/leaf domain/leaf '// Clean follows the rules.
var Clean = 1'

rc=0
out=$(cd "$tmp" && "$lint" run --enable-only depguard,forbidigo --show-stats=false \
	./domain/probe ./interfaces/probe ./infrastructure/probe ./application/probe ./interfaces/clean 2>&1) || rc=$?

fail() {
	printf 'lint self-test FAILED: %s\ngolangci-lint (exit %s) said:\n%s\n' "$1" "$rc" "$out" >&2
	exit 1
}
# 1 = issues found; anything else means golangci-lint itself failed.
[[ $rc -eq 1 ]] || fail "golangci-lint did not report issues"
expect() {
	grep -qE "$1" <<<"$out" || fail "missing: $2"
}
expect "^domain/probe/probe.go:[0-9]+:[0-9]+: import '$module/infrastructure/probe' is not allowed from list 'domain'" \
	"depguard: domain importing infrastructure"
expect "^domain/probe/probe.go:[0-9]+:[0-9]+: use of .time\.Now. forbidden" \
	"forbidigo: time.Now in domain"
expect "^interfaces/probe/probe.go:[0-9]+:[0-9]+: import '$module/infrastructure/probe' is not allowed from list 'interfaces'" \
	"depguard: interfaces importing infrastructure"
expect "^infrastructure/probe/probe.go:[0-9]+:[0-9]+: import '$module/interfaces/clean' is not allowed from list 'infrastructure'" \
	"depguard: infrastructure importing interfaces"
expect "^application/probe/probe.go:[0-9]+:[0-9]+: import '$module/internal/wiring' is not allowed from list 'application'" \
	"depguard: application importing internal/wiring"
if grep -q '^interfaces/clean/' <<<"$out"; then
	fail "interfaces/clean (imports application and domain only) was reported"
fi
echo "lint self-test: the layer rules fire (5 probes) and pass a clean package"
