#!/usr/bin/env bash
# Install what the browser tests need: Debian's Chromium (/usr/bin/chromium) and
# the npm packages of tests/browser (playwright-core). No tool may download a
# browser build of its own: tests launch /usr/bin/chromium.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

install_chromium() {
	if [[ -x /usr/bin/chromium ]]; then
		return 0
	fi
	apt_install chromium
}

# npm_inputs DIR: hash of package.json and package-lock.json (if any).
npm_inputs() {
	cat "$1/package.json" "$1"/package-lock.json 2>/dev/null | sha256sum | cut -c1-64 || true
}

# npm ci (or npm install without a lock file), skipped while package.json and
# package-lock.json are unchanged since the last install.
install_node_modules() {
	local dir=$REPO_ROOT/tests/browser
	[[ -f $dir/package.json ]] || return 0
	local stamp=$dir/node_modules/.torque-install.stamp
	if [[ -f $stamp && $(<"$stamp") == "$(npm_inputs "$dir")" ]]; then
		return 0
	fi
	local -a npm_cmd=(npm install)
	[[ -f $dir/package-lock.json ]] && npm_cmd=(npm ci)
	log "installing npm packages in tests/browser (${npm_cmd[*]})"
	(cd "$dir" && "${npm_cmd[@]}" --no-audit --no-fund)
	npm_inputs "$dir" >"$stamp" # after the install: npm install writes the lock file
}

main() {
	require_root
	ensure_state_dirs
	with_lock # apt must not run beside up.sh's apt
	install_chromium
	install_node_modules
}

main "$@"
