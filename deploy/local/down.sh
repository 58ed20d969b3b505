#!/usr/bin/env bash
# Stop Torque's local stack (and a `make run` server), keeping all data.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# stop_service NAME PORT EXE: stop NAME if a process runs for it.
stop_service() {
	local name=$1 port=$2 exe=$3 pid
	pid=$(pid_of "$name" "$port" "$exe" || true)
	if [[ -n $pid ]]; then
		stop_pid "$name" "$pid"
	else
		log "$name: not running"
	fi
	rm -f "$RUN_DIR/$name.pid"
}

stop_postgres() {
	local data
	data=$(service_home postgres postgres)/data
	if [[ -f $data/postmaster.pid ]]; then
		log "stopping postgres"
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop \
			>>"$LOG_DIR/postgres.log" 2>&1
	else
		log "postgres: not running"
	fi
}

main() {
	require_root
	ensure_state_dirs
	with_lock
	stop_service torque 8080 "$BIN_DIR/torque" # started by `make run`
	stop_service torque-fakes 8091 "$BIN_DIR/torque" # `torque fakes`, started by `make run`
	stop_service kratos "$KRATOS_ADMIN_PORT" "$BIN_DIR/kratos"
	stop_service stripe-mock "$STRIPE_MOCK_PORT" "$BIN_DIR/stripe-mock"
	stop_service mailpit "$MAILPIT_HTTP_PORT" "$BIN_DIR/mailpit"
	stop_service clickhouse "$CH_HTTP_PORT" "$CH_SERVER"
	stop_postgres
	log "local stack stopped; data kept in $STATE_DIR"
}

main "$@"
