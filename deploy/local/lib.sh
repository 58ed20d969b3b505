# shellcheck shell=bash disable=SC2034 # the settings are used by the scripts that source this
# Shared definitions for deploy/local/*.sh. Sourced, never executed.
#
# Layout of the local stack (all git-ignored):
#   .local/bin/        built tools (kratos, mailpit, stripe-mock, torque) + build stamps
#   .local/log/NAME.log  output of each service
#   .local/run/NAME.pid  pid of each service we started; up.lock serialises up/down
#   .local/postgres/   Postgres cluster (data/, socket/), owned by `postgres`
#   .local/clickhouse/ ClickHouse data, owned by `clickhouse`
# If the `postgres` or `clickhouse` user cannot reach .local (a parent folder such
# as /root is closed to them), that service's folder moves to
# /var/lib/torque-local/<hash of the state folder path>/ instead (see service_home).

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE_DIR=${TORQUE_LOCAL_DIR:-$REPO_ROOT/.local}
BIN_DIR=$STATE_DIR/bin
LOG_DIR=$STATE_DIR/log
RUN_DIR=$STATE_DIR/run

PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=55432
CH_SERVER=/usr/sbin/clickhouse-server
CH_NATIVE_PORT=19000
CH_HTTP_PORT=18123
KRATOS_PUBLIC_PORT=4433
KRATOS_ADMIN_PORT=4434
MAILPIT_SMTP_PORT=1025
MAILPIT_HTTP_PORT=8025
STRIPE_MOCK_PORT=12111
STRIPE_MOCK_HTTPS_PORT=12112

export DEBIAN_FRONTEND=noninteractive
# runuser lives in /usr/sbin, Go in /usr/local/go/bin: a bare PATH may lack them.
export PATH=$PATH:/usr/sbin:/sbin:/usr/local/go/bin

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

require_root() {
	[[ $(id -u) -eq 0 ]] || die "run as root: the stack installs packages and runs services as the postgres/clickhouse users"
}

ensure_state_dirs() {
	mkdir -p "$BIN_DIR" "$LOG_DIR" "$RUN_DIR"
	# Service users must be able to traverse the state dir to reach their data.
	chmod 755 "$STATE_DIR"
}

# with_lock: serialise up.sh and down.sh runs (a second caller waits).
# WARNING: the lock is held on fd 9 until the script exits; every long-lived
# process started while holding it must close fd 9 (`9>&-`), or the service
# would keep the lock forever.
with_lock() {
	exec 9>"$RUN_DIR/stack.lock"
	if ! flock -n 9; then
		log "another up/down run holds $RUN_DIR/stack.lock; waiting for it"
		flock -w 1800 9 || die "timed out waiting for $RUN_DIR/stack.lock"
	fi
}

# service_home USER NAME: the folder holding NAME's data, reachable by USER.
service_home() {
	local user=$1 name=$2
	if runuser -u "$user" -- test -x "$STATE_DIR" 2>/dev/null; then
		printf '%s/%s\n' "$STATE_DIR" "$name"
	else
		local hash
		hash=$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)
		printf '/var/lib/torque-local/%s/%s\n' "$hash" "$name"
	fi
}

# wait_until WHAT TIMEOUT LOGFILE CMD...: poll CMD until it succeeds, at most
# TIMEOUT seconds; on timeout, or as soon as the process started by `spawn WHAT`
# has exited, print the tail of LOGFILE and fail.
wait_until() {
	local what=$1 timeout=$2 logfile=$3
	shift 3
	local deadline=$((SECONDS + timeout)) pidfile=$RUN_DIR/$what.pid problem=""
	until "$@" >/dev/null 2>&1; do
		if [[ -s $pidfile ]] && ! alive "$(<"$pidfile")"; then
			problem="exited"
		elif ((SECONDS >= deadline)); then
			problem="is not ready after ${timeout}s"
		fi
		if [[ -n $problem ]]; then
			log "$what $problem; last lines of $logfile:"
			tail -n 30 "$logfile" >&2 || true
			return 1
		fi
		sleep 0.2 # poll interval, not a wait for readiness
	done
}

# http_ok URL [CURL ARGS...]: the URL answers 2xx within 2 seconds.
http_ok() {
	local url=$1
	shift
	curl -fs -o /dev/null --max-time 2 "$@" "$url"
}

# spawn NAME USER CMD...: run CMD in the background from the repository root,
# as USER, in its own session (so Ctrl-C in the caller's terminal does not stop
# it), output appended to $LOG_DIR/NAME.log, pid written to $RUN_DIR/NAME.pid.
spawn() {
	local name=$1 user=$2
	shift 2
	local -a as_user=()
	if [[ $user != root ]]; then
		as_user=(setpriv --reuid="$user" --regid="$user" --init-groups --)
	fi
	local pidfile=$RUN_DIR/$name.pid
	rm -f "$pidfile"
	log "starting $name (log: $LOG_DIR/$name.log)"
	printf '\n==== %s starting %s\n' "$(date -Is)" "$name" >>"$LOG_DIR/$name.log"
	(
		cd "$REPO_ROOT" || exit 1
		# The inner shell records its own pid, then becomes the service (exec).
		# shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
		setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "${as_user[@]}" "$@" \
			>>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
	)
}

# alive PID: the process exists and is not a zombie. (An orphaned service is
# reparented to PID 1, which on some containers never reaps it; kill -0 would
# still succeed on the zombie.)
alive() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ $state != Z* ]]
}

# pid_of NAME PORT EXE: pid of the running NAME, from its pid file, else from
# the process listening on PORT (e.g. started before .local was wiped). Either
# way the process must run the program EXE, so a recycled pid or a stranger on
# the port is never taken for ours.
pid_of() {
	local name=$1 port=$2 exe=$3 pid=""
	if [[ -f $RUN_DIR/$name.pid ]]; then
		pid=$(<"$RUN_DIR/$name.pid")
	fi
	if [[ -z $pid ]] || ! alive "$pid"; then
		pid=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2)
	fi
	[[ -n $pid ]] && alive "$pid" || return 1
	[[ $(readlink -f "/proc/$pid/exe" 2>/dev/null) == "$(readlink -f "$exe")" ]] || return 1
	echo "$pid"
}

# stop_pid NAME PID: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
	local name=$1 pid=$2
	log "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || return 0
	local deadline=$((SECONDS + 30))
	while alive "$pid"; do
		if ((SECONDS >= deadline)); then
			log "$name did not stop in 30s; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
}

APT_UPDATED=0
# apt_install PACKAGE...: install Debian packages non-interactively.
apt_install() {
	if ((APT_UPDATED == 0)); then
		log "apt-get update"
		apt-get update -qq -o DPkg::Lock::Timeout=600
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	# Wait for the dpkg lock instead of failing if another apt run holds it.
	apt-get install -y -q -o DPkg::Lock::Timeout=600 "$@"
}

# build_tool NAME MODULE_DIR PACKAGE [GO BUILD FLAGS...]: build a Go tool from
# its own tool module (go.mod + go.sum committed under MODULE_DIR) into
# $BIN_DIR/NAME, unless the binary there was built from the same go.mod, go.sum,
# flags and Go version (recorded in $BIN_DIR/.NAME.stamp).
build_tool() {
	local name=$1 moddir=$REPO_ROOT/$2 pkg=$3
	shift 3
	local bin=$BIN_DIR/$name stamp=$BIN_DIR/.$name.stamp want
	want=$( (
		go version
		printf '%s\n' "$@"
		cat "$moddir/go.mod" "$moddir/go.sum"
	) | sha256sum | cut -c1-64)
	if [[ -x $bin && -f $stamp && $(<"$stamp") == "$want" ]]; then
		return 0
	fi
	log "building $name from ${moddir#"$REPO_ROOT"/} (the first build takes minutes)"
	local started=$SECONDS
	# -mod=readonly: build exactly what the committed go.mod/go.sum pin.
	(cd "$moddir" && go build -mod=readonly "$@" -o "$bin.tmp" "$pkg")
	mv -f "$bin.tmp" "$bin"
	echo "$want" >"$stamp"
	log "built $name in $((SECONDS - started))s"
}

# build_golangci_lint: build the pinned golangci-lint (deploy/tools/golangci-lint)
# into $BIN_DIR/golangci-lint unless it is already there, and print its path.
# The version goes in through -ldflags: built as a dependency, the binary would
# otherwise call itself "(devel)".
build_golangci_lint() {
	local version
	mkdir -p "$BIN_DIR"
	version=$(cd "$REPO_ROOT/deploy/tools/golangci-lint" &&
		go list -mod=readonly -m -f '{{.Version}}' github.com/golangci/golangci-lint/v2)
	build_tool golangci-lint deploy/tools/golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint \
		-ldflags "-X main.version=${version#v} -X main.date=pinned" >&2
	printf '%s\n' "$BIN_DIR/golangci-lint"
}
