#!/usr/bin/env bash
# Stop the local stack and delete its data (databases, ClickHouse, logs), so the
# next up.sh starts from nothing. Built tools in .local/bin are kept: rebuilding
# Kratos takes minutes. Delete .local/bin too for a truly fresh start.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
	require_root
	"$REPO_ROOT/deploy/local/down.sh"
	local dir
	for dir in "$(service_home postgres postgres)" "$(service_home clickhouse clickhouse 2>/dev/null || true)"; do
		[[ -n $dir && -d $dir ]] || continue
		log "deleting $dir"
		rm -rf -- "$dir"
		# The fallback folder /var/lib/torque-local/<hash>/ goes once empty.
		if [[ $dir == /var/lib/torque-local/* ]]; then
			rmdir --ignore-fail-on-non-empty "$(dirname "$dir")"
		fi
	done
	log "deleting $LOG_DIR and $RUN_DIR"
	rm -rf -- "$LOG_DIR" "$RUN_DIR"
	log "reset done; deploy/local/up.sh starts a fresh stack"
}

main "$@"
