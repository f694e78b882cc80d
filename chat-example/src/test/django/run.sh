#!/usr/bin/env bash
# Start the Django Channels tutorial chat app on Daphne.
#   run.sh PORT [memory|redis]
# Env: REDIS_URL (default redis://127.0.0.1:6379/0) for the redis layer,
#      PYTHON (default /usr/bin/python3: Debian's interpreter, which has the
#      python3-django / -channels / -daphne packages; a pyenv python3 on PATH does not).
# The SQLite DB lives in a per-port temp file; migrate runs quietly on each start.
# Daphne is exec'ed, so this script's PID becomes Daphne's PID.
set -euo pipefail
PORT="${1:?usage: run.sh PORT [memory|redis]}"
LAYER="${2:-memory}"
case "$LAYER" in memory|redis) ;; *) echo "layer must be memory or redis" >&2; exit 2;; esac
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
cd "$HERE"
export DJANGO_SETTINGS_MODULE=mysite.settings
export CHANNEL_LAYER="$LAYER"
export DJANGO_DB="${DJANGO_DB:-${TMPDIR:-/tmp}/django-chat-$PORT.sqlite3}"
export PYTHONDONTWRITEBYTECODE=1
"$PY" manage.py migrate --noinput -v 0
# Debian's python3-daphne ships no `daphne` console script; run the module.
exec "$PY" -m daphne -b 127.0.0.1 -p "$PORT" mysite.asgi:application
