#!/usr/bin/env bash
# Check that every service of the running local stack does its job: SQL as both
# Torque roles, ClickHouse, Mailpit, stripe-mock, and Kratos end to end (an
# identity made through the admin API logs in with its password; a recovery
# code and an SMS login code arrive in Mailpit). Leaves one test identity per
# run (unique e-mail) in Kratos.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kratos_public=http://127.0.0.1:$KRATOS_PUBLIC_PORT
kratos_admin=http://127.0.0.1:$KRATOS_ADMIN_PORT
mailpit=http://127.0.0.1:$MAILPIT_HTTP_PORT

ok() { printf 'ok    %s\n' "$*"; }

post_json() {
	curl --fail-with-body -sS --max-time 10 -X POST -H 'Content-Type: application/json' -d "$2" "$1"
}

# mail_count QUERY: number of Mailpit messages matching a search query.
mail_count() {
	curl -fsS --max-time 2 -G "$mailpit/api/v1/search" --data-urlencode "query=$1" | jq -e '.messages_count > 0'
}

check_sql() {
	local role
	for role in torque torque_app; do
		[[ $("$PG_BIN/psql" -X -tA "postgres://$role:$role@127.0.0.1:$PG_PORT/torque" -c 'select 1') == 1 ]]
		ok "postgres: $role connects to database torque"
	done
	[[ $(clickhouse-client --port "$CH_NATIVE_PORT" -q "select count() from system.databases where name = 'torque'") == 1 ]]
	ok "clickhouse: database torque exists ($(clickhouse-client --port "$CH_NATIVE_PORT" -q 'select version()'))"
	curl -fsS --max-time 2 -u sk_test_123: "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers" | jq -e '.object == "list"' >/dev/null
	ok "stripe-mock: GET /v1/customers"
}

check_kratos() {
	local email phone password flow token
	email="smoke-$(date +%s%N)@oficina.test"
	phone="+55119$(date +%N | cut -c1-8)"
	password="smoke-$(date +%N)-Senha!"

	post_json "$kratos_admin/admin/identities" "$(jq -n --arg e "$email" --arg p "$password" \
		'{schema_id: "staff", traits: {email: $e, name: "Smoke"}, credentials: {password: {config: {password: $p}}}}')" >/dev/null
	ok "kratos: staff identity $email created through the admin API"

	flow=$(curl -fsS --max-time 5 "$kratos_public/self-service/login/api" | jq -r .id)
	token=$(post_json "$kratos_public/self-service/login?flow=$flow" "$(jq -n --arg e "$email" --arg p "$password" \
		'{method: "password", identifier: $e, password: $p}')" | jq -r .session_token)
	[[ -n $token && $token != null ]]
	curl -fsS --max-time 5 -H "Authorization: Bearer $token" "$kratos_public/sessions/whoami" | jq -e --arg e "$email" '.identity.traits.email == $e' >/dev/null
	ok "kratos: password login returned a session token; whoami knows it"

	flow=$(curl -fsS --max-time 5 "$kratos_public/self-service/recovery/api" | jq -r .id)
	post_json "$kratos_public/self-service/recovery?flow=$flow" "$(jq -n --arg e "$email" '{method: "code", email: $e}')" >/dev/null
	wait_until "recovery e-mail to $email" 30 "$LOG_DIR/kratos.log" mail_count "to:\"$email\" subject:recover"
	ok "kratos: recovery code e-mail arrived in Mailpit"

	post_json "$kratos_admin/admin/identities" "$(jq -n --arg p "$phone" \
		'{schema_id: "customer", traits: {phone: $p, name: "Smoke Cliente"}}')" >/dev/null
	flow=$(curl -fsS --max-time 5 "$kratos_public/self-service/login/api" | jq -r .id)
	# Kratos answers the first code step of an API flow with 400 and the flow,
	# now in state sent_email (waiting for the code), so no --fail here.
	curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' \
		-d "$(jq -n --arg p "$phone" '{method: "code", identifier: $p}')" \
		"$kratos_public/self-service/login?flow=$flow" | jq -e '.state == "sent_email"' >/dev/null
	wait_until "SMS login code to $phone" 30 "$LOG_DIR/kratos.log" mail_count "to:\"$phone@sms.torque.local\""
	ok "kratos: SMS login code for customer $phone arrived in Mailpit"
}

main() {
	check_sql
	check_kratos
	echo "smoke test passed"
}

main "$@"
