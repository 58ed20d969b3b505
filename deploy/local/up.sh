#!/usr/bin/env bash
# Start Torque's local stack: Postgres 15, ClickHouse, Mailpit, stripe-mock and
# Ory Kratos, all on 127.0.0.1. Installs missing packages, builds missing tools,
# starts only what is not already answering, and creates roles and databases.
# Safe to rerun: a second run with everything up returns in about a second.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---------------------------------------------------------------- Postgres

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

pg_psql() {
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_init() {
	[[ -f $PG_DATA/PG_VERSION ]] && return 0
	log "initialising the Postgres cluster in $PG_DATA"
	install -d -o postgres -g postgres -m 700 "$PG_HOME" "$PG_DATA"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust --username=postgres \
		-E UTF8 --locale=C.UTF-8 >>"$LOG_DIR/postgres.log" 2>&1
}

# pg_configure rewrites torque.conf on every start, so edits here take effect.
pg_configure() {
	install -d -o postgres -g postgres -m 700 "$PG_SOCKET_DIR"
	install -o postgres -g postgres -m 600 /dev/stdin "$PG_DATA/torque.conf" <<-EOF
		# Written by deploy/local/up.sh on every start; edit the script, not this file.
		listen_addresses = '127.0.0.1'
		port = $PG_PORT
		unix_socket_directories = '$PG_SOCKET_DIR'
		max_connections = 300
		shared_buffers = 256MB
	EOF
	grep -qx "include = 'torque.conf'" "$PG_DATA/postgresql.conf" ||
		echo "include = 'torque.conf'" >>"$PG_DATA/postgresql.conf"
}

start_postgres() {
	PG_HOME=$(service_home postgres postgres)
	PG_DATA=$PG_HOME/data
	PG_SOCKET_DIR=$PG_HOME/socket
	if pg_ready; then
		log "postgres: already running on 127.0.0.1:$PG_PORT"
		return 0
	fi
	pg_init
	pg_configure
	log "starting postgres (log: $LOG_DIR/postgres.log)"
	# pg_ctl sends the server's output to its own stdout: the log file we opened.
	# -W: don't wait here; wait_until polls with a deadline and prints the log.
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -W start \
		>>"$LOG_DIR/postgres.log" 2>&1 </dev/null 9>&-
	wait_until postgres 60 "$LOG_DIR/postgres.log" pg_ready
}

# Roles and databases, created or corrected on every run (a few milliseconds).
bootstrap_postgres() {
	pg_psql -d postgres <<-'SQL'
		SET client_min_messages = warning;
		DO $$
		BEGIN
		  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'torque') THEN
		    CREATE ROLE torque;
		  END IF;
		  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'torque_app') THEN
		    CREATE ROLE torque_app;
		  END IF;
		  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kratos') THEN
		    CREATE ROLE kratos;
		  END IF;
		END $$;
		-- torque owns the schema and runs migrations; it creates test databases. It
		-- bypasses row-level security: maintenance (projection rebuilds, key
		-- rotation) spans tenants. The runtime role torque_app never does.
		ALTER ROLE torque LOGIN CREATEDB CREATEROLE BYPASSRLS NOSUPERUSER PASSWORD 'torque';
		-- torque_app is the runtime role: row-level security applies to it.
		ALTER ROLE torque_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'torque_app';
		ALTER ROLE kratos LOGIN NOSUPERUSER PASSWORD 'kratos';
		-- Lets torque grant rights to, and SET ROLE to, torque_app (in migrations and tests).
		GRANT torque_app TO torque WITH ADMIN OPTION;
		SELECT 'CREATE DATABASE torque OWNER torque'
		 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'torque') \gexec
		SELECT 'CREATE DATABASE kratos OWNER kratos'
		 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kratos') \gexec
		ALTER DATABASE torque OWNER TO torque;
		ALTER DATABASE kratos OWNER TO kratos;
	SQL
}

# ---------------------------------------------------------------- ClickHouse

ch_ready() { http_ok "http://127.0.0.1:$CH_HTTP_PORT/ping"; }

start_clickhouse() {
	if ch_ready; then
		log "clickhouse: already running on 127.0.0.1:$CH_NATIVE_PORT"
		return 0
	fi
	if [[ ! -x $CH_SERVER ]] || ! command -v clickhouse-client >/dev/null; then
		# The package's own service is not used (it would listen on 9000/8123).
		apt_install clickhouse-server clickhouse-client
	fi
	local home
	home=$(service_home clickhouse clickhouse)
	install -d -o clickhouse -g clickhouse -m 750 "$home" \
		"$home/data" "$home/tmp" "$home/user_files" "$home/format_schemas"
	# The server reads a copy of the config: the repository itself may be
	# closed to the clickhouse user (see service_home).
	install -d -o root -g clickhouse -m 750 "$home/conf"
	install -o root -g clickhouse -m 640 -t "$home/conf" \
		"$REPO_ROOT/deploy/local/clickhouse/config.xml" "$REPO_ROOT/deploy/local/clickhouse/users.xml"
	TORQUE_CH_DATA_DIR=$home/data/ \
		TORQUE_CH_TMP_DIR=$home/tmp/ \
		TORQUE_CH_USER_FILES_DIR=$home/user_files/ \
		TORQUE_CH_FORMAT_SCHEMA_DIR=$home/format_schemas/ \
		spawn clickhouse clickhouse "$CH_SERVER" \
		--config-file="$home/conf/config.xml"
	wait_until clickhouse 60 "$LOG_DIR/clickhouse.log" ch_ready
}

bootstrap_clickhouse() {
	clickhouse-client --host 127.0.0.1 --port "$CH_NATIVE_PORT" \
		-q 'CREATE DATABASE IF NOT EXISTS torque'
}

# ---------------------------------------------------------------- Mailpit

mailpit_ready() { http_ok "http://127.0.0.1:$MAILPIT_HTTP_PORT/readyz"; }

start_mailpit() {
	if mailpit_ready; then
		log "mailpit: already running on 127.0.0.1:$MAILPIT_HTTP_PORT"
		return 0
	fi
	build_tool mailpit deploy/tools/mailpit github.com/axllent/mailpit
	# No --database: messages live in a temporary store and vanish on restart.
	spawn mailpit root "$BIN_DIR/mailpit" \
		--smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
		--smtp-auth-accept-any --smtp-auth-allow-insecure --disable-version-check
	wait_until mailpit 30 "$LOG_DIR/mailpit.log" mailpit_ready
}

# ---------------------------------------------------------------- stripe-mock

stripe_mock_ready() {
	http_ok "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers" -u sk_test_123:
}

start_stripe_mock() {
	if stripe_mock_ready; then
		log "stripe-mock: already running on 127.0.0.1:$STRIPE_MOCK_PORT"
		return 0
	fi
	build_tool stripe-mock deploy/tools/stripe-mock github.com/stripe/stripe-mock
	spawn stripe-mock root "$BIN_DIR/stripe-mock" \
		-http-addr "127.0.0.1:$STRIPE_MOCK_PORT" -https-addr "127.0.0.1:$STRIPE_MOCK_HTTPS_PORT"
	wait_until stripe-mock 30 "$LOG_DIR/stripe-mock.log" stripe_mock_ready
}

# ---------------------------------------------------------------- Ory Kratos

kratos_ready() { http_ok "http://127.0.0.1:$KRATOS_ADMIN_PORT/admin/health/ready"; }

start_kratos() {
	if kratos_ready; then
		log "kratos: already running on 127.0.0.1:$KRATOS_PUBLIC_PORT/$KRATOS_ADMIN_PORT"
		return 0
	fi
	# Kratos reports its version from a link-time variable (else "master").
	local version
	version=$(cd "$REPO_ROOT/deploy/ory/kratos-build" && go list -m -f '{{.Version}}' github.com/ory/kratos)
	build_tool kratos deploy/ory/kratos-build github.com/ory/kratos \
		-ldflags "-X github.com/ory/kratos/driver/config.Version=$version"
	log "applying Kratos migrations"
	(cd "$REPO_ROOT" && "$BIN_DIR/kratos" migrate sql -e --yes -c deploy/ory/kratos.yml) \
		>>"$LOG_DIR/kratos.log" 2>&1 ||
		{
			tail -n 30 "$LOG_DIR/kratos.log" >&2
			die "kratos migrations failed"
		}
	# --dev: plain-HTTP cookies on 127.0.0.1 and bcrypt cost 4; never in production.
	spawn kratos root "$BIN_DIR/kratos" serve -c deploy/ory/kratos.yml --dev --watch-courier
	wait_until kratos 60 "$LOG_DIR/kratos.log" kratos_ready
}

# ----------------------------------------------------------------

main() {
	require_root
	ensure_state_dirs
	with_lock
	local started=$SECONDS
	start_postgres
	bootstrap_postgres
	start_clickhouse
	bootstrap_clickhouse
	start_mailpit
	start_stripe_mock
	start_kratos # needs Postgres (its database) and Mailpit (its courier)
	log "local stack is up ($((SECONDS - started))s); deploy/local/status.sh shows it"
}

main "$@"
