#!/usr/bin/env bash
# `make run`: upgrade the database, load the demo zone, then serve web + worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export BLAUWLIJN_DEMO=1
export PORT="${PORT:-5000}"  # also where links point, unless PUBLIC_BASE_URL says
# Without a mail relay, e-mail (a bailiff office's notices, citizens' copies) goes to the log.
[ -n "${SMTP_HOST:-}" ] || export MAIL_TRANSPORT="${MAIL_TRANSPORT:-log}"
FLASK=".venv/bin/flask --app app"

$FLASK db upgrade
$FLASK seed-demo

$FLASK worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo "Blauwlijn on http://127.0.0.1:${PORT}  (API: http://127.0.0.1:${PORT}/api/v1/openapi.json)"
echo "Staff pages on http://127.0.0.1:${PORT}/staff/  (demo logins above; the supervisor's code:"
echo "  .venv/bin/flask --app app staff-totp-code GALOP-5001)"
# Threads: each open call-taker console holds one for its live-queue stream (docs/console.md).
.venv/bin/gunicorn --workers 2 --worker-class gthread --threads 16 --bind "127.0.0.1:${PORT}" \
  --access-logfile - 'app:create_app()'  # gunicorn.conf.py masks tokens
