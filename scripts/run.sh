#!/usr/bin/env bash
# `make run`: build Torque, apply migrations, seed a small data set, print every
# local URL, then serve Torque (HTTP + projections worker) in the foreground.
# Expects the local stack to be up (make run starts it first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=deploy/local/env.sh
. deploy/local/env.sh

bin=.local/bin/torque
pidfile=.local/run/torque.pid
mkdir -p .local/run .local/bin .local/log

if [[ -f $pidfile ]] && kill -0 "$(<"$pidfile")" 2>/dev/null &&
	[[ $(readlink -f "/proc/$(<"$pidfile")/exe") == "$(readlink -f "$bin")" ]]; then
	echo "torque already runs (pid $(<"$pidfile")); stop it with: make stop" >&2
	exit 1
fi

go build -o "$bin" ./cmd/torque
"$bin" migrate

# The seed is idempotent; an older build may still say "already seeded" and fail.
if ! out=$("$bin" seed --small 2>&1); then
	if grep -qi 'already seeded' <<<"$out"; then
		echo "seed: already seeded"
	else
		printf '%s\n' "$out" >&2
		exit 1
	fi
else
	printf '%s\n' "$out"
fi

# WhatsApp and SMS cannot be reached from here: `torque fakes` speaks their
# documented APIs locally and lists every message it got, so a developer sees
# what car owners would receive on each channel.
fakes_pid=.local/run/torque-fakes.pid
if ! { [[ -f $fakes_pid ]] && kill -0 "$(<"$fakes_pid")" 2>/dev/null; }; then
	"$bin" fakes >>.local/log/torque-fakes.log 2>&1 &
	echo $! >"$fakes_pid"
fi
export TORQUE_WHATSAPP_API_URL=${TORQUE_WHATSAPP_API_URL:-http://127.0.0.1:8091/v21.0}
export TORQUE_SMS_API_URL=${TORQUE_SMS_API_URL:-http://127.0.0.1:8092}

cat <<URLS

Torque local stack
  Torque            $TORQUE_PUBLIC_URL
  API docs          $TORQUE_PUBLIC_URL/api/docs
  Mailpit (e-mail)  $TORQUE_MAILPIT_URL   (SMTP $TORQUE_SMTP_ADDR)
  Kratos public     $TORQUE_KRATOS_PUBLIC_URL
  Kratos admin      $TORQUE_KRATOS_ADMIN_URL
  ClickHouse HTTP   http://127.0.0.1:18123   (native $TORQUE_CLICKHOUSE_ADDR, database $TORQUE_CLICKHOUSE_DATABASE)
  Postgres (app)    $TORQUE_DATABASE_URL
  Postgres (admin)  $TORQUE_DATABASE_ADMIN_URL
  stripe-mock       $TORQUE_STRIPE_API_URL   (key $TORQUE_STRIPE_SECRET_KEY)
  WhatsApp (fake)   http://127.0.0.1:8091/   (every WhatsApp message Torque sent)
  SMS (fake)        http://127.0.0.1:8092/   (every SMS Torque sent)
Stop everything with: make stop

URLS

# exec keeps this pid, so `make stop` (deploy/local/down.sh) can find the server.
echo $$ >"$pidfile"
exec "$bin" serve
