#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a private cluster in a fresh temp dir (trust auth, loopback only, durability off),
# creates the database `blauwlijn_test`, exports
#
#   TEST_POSTGRES_URL=postgresql://blauwlijn@127.0.0.1:PORT/blauwlijn_test
#
# runs CMD, then stops the cluster and removes the temp dir (also on failure, Ctrl-C or kill),
# and exits with CMD's exit code. Never skips: without PostgreSQL it fails loudly.
set -euo pipefail

DB_USER=blauwlijn
DB_NAME=blauwlijn_test

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

[[ $# -gt 0 ]] || die "usage: $0 COMMAND [ARGS...]"

is_root() { [[ $(id -u) -eq 0 ]]; }

# Newest /usr/lib/postgresql/<version>/bin that holds initdb (Debian layout), else one on PATH.
find_bindir() {
    local candidate
    candidate=$(
        for f in /usr/lib/postgresql/*/bin/initdb; do
            [[ -x $f ]] && dirname "$f"
        done | sort -t/ -k5,5 -V | tail -n 1
    )
    if [[ -z $candidate ]] && command -v initdb >/dev/null 2>&1 \
        && command -v pg_ctl >/dev/null 2>&1; then
        candidate=$(dirname "$(command -v initdb)")
    fi
    echo "$candidate"
}

BINDIR=$(find_bindir)
if [[ -z $BINDIR ]] && is_root; then
    echo "with-postgres: PostgreSQL server binaries not found; installing the postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >&2 \
        || apt-get install -y -qq --no-install-recommends postgresql >&2
    BINDIR=$(find_bindir)
fi
if [[ -z $BINDIR ]]; then
    die "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb and" \
        "initdb on PATH); the test suite needs PostgreSQL. Install it (Debian: apt-get install" \
        "postgresql) or run as root so this script can install it."
fi

# initdb/postgres refuse to run as root: as root the cluster belongs to the `postgres` user.
RUN_AS=""
if is_root; then
    if id -u postgres >/dev/null 2>&1; then
        RUN_AS=postgres
    else
        RUN_AS=nobody
    fi
fi

TMPDIR_PG=$(mktemp -d /tmp/blauwlijn-pg.XXXXXXXX)
DATADIR="$TMPDIR_PG/data"
LOGFILE="$TMPDIR_PG/server.log"
[[ -n $RUN_AS ]] && chown "$RUN_AS" "$TMPDIR_PG"

as_pg() {
    # Run from the temp dir so the server user never trips over an unreadable cwd (e.g. /root).
    if [[ -n $RUN_AS ]]; then
        (cd "$TMPDIR_PG" && runuser -u "$RUN_AS" -- "$@")
    else
        (cd "$TMPDIR_PG" && "$@")
    fi
}

STARTED=0
CHILD=""

cleanup() {
    local rc=$?
    trap '' INT TERM HUP
    if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
        kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    if [[ $STARTED -eq 1 || -f $DATADIR/postmaster.pid ]]; then
        as_pg "$BINDIR/pg_ctl" -D "$DATADIR" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
        # Last resort if pg_ctl could not stop it.
        if [[ -f $DATADIR/postmaster.pid ]]; then
            local pid
            pid=$(head -n 1 "$DATADIR/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$TMPDIR_PG"
    exit "$rc"
}
trap cleanup EXIT

# True when this script's process group is the terminal's foreground group: then a Ctrl-C
# has reached the command straight from the terminal, and must not be sent twice (pytest
# would abort its own teardown on the second SIGINT).
in_tty_foreground() {
    local stat fields
    stat=$(<"/proc/$$/stat") 2>/dev/null || return 1
    read -r -a fields <<<"${stat##*) }" # state ppid pgrp session tty_nr tpgid ...
    [[ ${fields[5]:-0} -gt 0 && ${fields[2]} == "${fields[5]}" ]]
}

# Forward a signal to the command (if running), wait for it, then exit: the EXIT trap tears
# the cluster down.
on_signal() {
    local sig=$1 code=$2
    if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
        if [[ $sig != INT ]] || ! in_tty_foreground; then
            kill "-$sig" "$CHILD" 2>/dev/null || true
        fi
        wait "$CHILD" 2>/dev/null || true
    fi
    exit "$code"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

LOCALE=C
if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    LOCALE=C.UTF-8
fi

if ! as_pg "$BINDIR/initdb" -D "$DATADIR" --auth=trust -U "$DB_USER" --encoding=UTF8 \
    --locale="$LOCALE" --no-sync >"$TMPDIR_PG/initdb.log" 2>&1; then
    cat "$TMPDIR_PG/initdb.log" >&2
    die "initdb failed (see above)"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A port picked free can be taken before the server binds it: retry a few times.
PORT=""
for attempt in 1 2 3; do
    PORT=$(free_port)
    : >"$LOGFILE"
    [[ -n $RUN_AS ]] && chown "$RUN_AS" "$LOGFILE"
    if as_pg "$BINDIR/pg_ctl" -D "$DATADIR" -l "$LOGFILE" -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMPDIR_PG -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null 2>&1; then
        STARTED=1
        break
    fi
    if [[ $attempt -eq 3 ]] || ! grep -qi 'address already in use\|could not bind' "$LOGFILE"; then
        echo "with-postgres: PostgreSQL failed to start; server log ($LOGFILE):" >&2
        cat "$LOGFILE" >&2 || true
        die "PostgreSQL failed to start"
    fi
done

if ! "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME" >&2; then
    cat "$LOGFILE" >&2 || true
    die "createdb $DB_NAME failed"
fi

# The migrations need btree_gist (postgresql-contrib, part of the server package on Debian 12).
if [[ $("$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB_NAME" -XAtqc \
    "select count(*) from pg_available_extensions where name = 'btree_gist'") != 1 ]]; then
    die "the btree_gist extension is not available in $BINDIR's PostgreSQL" \
        "(Debian: apt-get install postgresql-contrib)"
fi

export TEST_POSTGRES_URL="postgresql://${DB_USER}@127.0.0.1:${PORT}/${DB_NAME}"

# Run the command in the background (stdin kept, SIGINT not ignored) so a kill of this
# script can be forwarded to it and the cluster torn down right away.
set +e
(
    trap - INT QUIT TERM HUP
    exec "$@"
) <&0 &
CHILD=$!
wait "$CHILD"
rc=$?
CHILD=""
set -e
exit "$rc"
