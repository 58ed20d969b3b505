#!/bin/sh
# shellcheck shell=sh
# Environment for Torque against the local stack (deploy/local/up.sh).
#   . deploy/local/env.sh            export into the current shell (what make does)
#   eval "$(deploy/local/env.sh)"    the same, from the printed export lines
# Each variable keeps a value already set in the environment, so any of them can
# be overridden. POSIX sh: make sources this with /bin/sh or bash.

# TORQUE_ENV=local is what lets the development secrets below be used at all:
# any other value, or none, is production, where a missing secret or one of
# these published values stops Torque at startup (cmd/torque/secrets.go).
: "${TORQUE_ENV:=local}"
: "${TORQUE_HTTP_ADDR:=127.0.0.1:8080}"
: "${TORQUE_PUBLIC_URL:=http://127.0.0.1:8080}"
: "${TORQUE_DATABASE_URL:=postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable}"
: "${TORQUE_DATABASE_ADMIN_URL:=postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable}"
: "${TORQUE_CLICKHOUSE_ADDR:=127.0.0.1:19000}"
: "${TORQUE_CLICKHOUSE_DATABASE:=torque}"
: "${TORQUE_KRATOS_PUBLIC_URL:=http://127.0.0.1:4433}"
: "${TORQUE_KRATOS_ADMIN_URL:=http://127.0.0.1:4434}"
: "${TORQUE_SMTP_ADDR:=127.0.0.1:1025}"
: "${TORQUE_MAILPIT_URL:=http://127.0.0.1:8025}"
: "${TORQUE_STRIPE_API_URL:=http://127.0.0.1:12111}"
: "${TORQUE_STRIPE_SECRET_KEY:=sk_test_123}"
: "${TORQUE_STRIPE_WEBHOOK_SECRET:=whsec_local_dev_secret}"
# Development master key ring: key id "k1", the 32 bytes 0x00..0x1f. Never use it
# outside this machine; production supplies its own keys (or a KMS).
: "${TORQUE_MASTER_KEYS:=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}"

export TORQUE_ENV TORQUE_HTTP_ADDR TORQUE_PUBLIC_URL TORQUE_DATABASE_URL TORQUE_DATABASE_ADMIN_URL \
	TORQUE_CLICKHOUSE_ADDR TORQUE_CLICKHOUSE_DATABASE TORQUE_KRATOS_PUBLIC_URL \
	TORQUE_KRATOS_ADMIN_URL TORQUE_SMTP_ADDR TORQUE_MAILPIT_URL TORQUE_STRIPE_API_URL \
	TORQUE_STRIPE_SECRET_KEY TORQUE_STRIPE_WEBHOOK_SECRET TORQUE_MASTER_KEYS

# Run as a program (not sourced): print the TORQUE_* environment as export lines.
case "$0" in
*env.sh) env | grep '^TORQUE_' | sort | sed "s/^\([^=]*\)=\(.*\)$/export \1='\2'/" ;;
esac
