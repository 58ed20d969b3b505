#!/usr/bin/env bash
# Show which services of the local stack answer, their addresses and pids.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# row NAME PORT EXE ADDRESS CHECK...: print one line; CHECK decides up/down.
row() {
	local name=$1 port=$2 exe=$3 address=$4 state=down pid
	shift 4
	"$@" >/dev/null 2>&1 && state=up
	pid=$(pid_of "$name" "$port" "$exe" 2>/dev/null || true)
	printf '%-12s %-5s %-8s %s\n' "$name" "$state" "${pid:--}" "$address"
	[[ $state == up ]]
}

main() {
	local down=0
	printf '%-12s %-5s %-8s %s\n' SERVICE STATE PID ADDRESS
	row postgres "$PG_PORT" "$PG_BIN/postgres" "postgres://torque:torque@127.0.0.1:$PG_PORT/torque" \
		"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || down=1
	row clickhouse "$CH_HTTP_PORT" "$CH_SERVER" "native 127.0.0.1:$CH_NATIVE_PORT, http://127.0.0.1:$CH_HTTP_PORT" \
		http_ok "http://127.0.0.1:$CH_HTTP_PORT/ping" || down=1
	row mailpit "$MAILPIT_HTTP_PORT" "$BIN_DIR/mailpit" "smtp 127.0.0.1:$MAILPIT_SMTP_PORT, http://127.0.0.1:$MAILPIT_HTTP_PORT" \
		http_ok "http://127.0.0.1:$MAILPIT_HTTP_PORT/readyz" || down=1
	row stripe-mock "$STRIPE_MOCK_PORT" "$BIN_DIR/stripe-mock" "http://127.0.0.1:$STRIPE_MOCK_PORT" \
		http_ok "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers" -u sk_test_123: || down=1
	row kratos "$KRATOS_ADMIN_PORT" "$BIN_DIR/kratos" "public http://127.0.0.1:$KRATOS_PUBLIC_PORT, admin http://127.0.0.1:$KRATOS_ADMIN_PORT" \
		http_ok "http://127.0.0.1:$KRATOS_ADMIN_PORT/admin/health/ready" || down=1
	row torque 8080 "$BIN_DIR/torque" "http://127.0.0.1:8080 (make run)" \
		http_ok "http://127.0.0.1:8080/" || true
	echo
	echo "state:           $STATE_DIR (logs in $LOG_DIR)"
	echo "postgres data:   $(service_home postgres postgres)/data"
	if id clickhouse >/dev/null 2>&1; then
		echo "clickhouse data: $(service_home clickhouse clickhouse)/data"
	fi
	return "$down"
}

main "$@"
