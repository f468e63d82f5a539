#!/usr/bin/env bash
# `make demo`: the whole app on this machine with SQLite, Redis and the local Amazon sandbox.
# Starts the web server, a Celery worker, Celery beat and the sandbox; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

export DEBUG=true
unset DATABASE_URL
PY=.venv/bin/python
pids=()

cleanup() {
  trap - EXIT INT TERM
  echo
  echo "Stopping the demo..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

redis_up() { "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$1" 2>/dev/null; }

export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
if ! redis_up "$REDIS_URL"; then
  command -v redis-server >/dev/null || { echo "Redis is not reachable at $REDIS_URL and redis-server is not installed (apt-get install redis-server)."; exit 1; }
  echo "No Redis at $REDIS_URL: starting a private redis-server on 127.0.0.1:6390 for the demo"
  redis-server --port 6390 --bind 127.0.0.1 --save "" --appendonly no --logfile var/demo-redis.log &
  pids+=($!)
  export REDIS_URL="redis://127.0.0.1:6390/0"
  for _ in $(seq 1 50); do redis_up "$REDIS_URL" && break; sleep 0.1; done
fi

echo "Preparing the database (SQLite at var/demo.sqlite3)..."
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py demo_setup

if [ -f sandbox/settings.py ]; then
  echo "Preparing the Amazon Music sandbox (SQLite at var/sandbox.sqlite3)..."
  DJANGO_SETTINGS_MODULE=sandbox.settings "$PY" manage.py migrate --noinput >/dev/null
  DJANGO_SETTINGS_MODULE=sandbox.settings "$PY" manage.py sandbox_seed --if-empty
  DJANGO_SETTINGS_MODULE=sandbox.settings .venv/bin/gunicorn sandbox.wsgi:application \
    --bind 127.0.0.1:8001 --workers 1 --threads 8 --access-logfile var/sandbox-access.log &
  pids+=($!)
fi

.venv/bin/celery -A transfer.celery worker --queues default,match,write,sync --concurrency 2 \
  --loglevel INFO --logfile var/demo-worker.log &
pids+=($!)
.venv/bin/celery -A transfer.celery beat --schedule var/celerybeat-schedule --loglevel INFO \
  --logfile var/demo-beat.log &
pids+=($!)
"$PY" manage.py runserver 127.0.0.1:8000 --noreload &
pids+=($!)

sleep 2
echo
echo "  Amazon Music Transfer is running: open http://127.0.0.1:8000/"
[ -f sandbox/settings.py ] && echo "  Amazon Music sandbox: http://127.0.0.1:8001/"
echo "  Logs are in var/. Press Ctrl-C to stop everything."
echo
wait -n "${pids[@]}" || true
