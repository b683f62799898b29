# Shared by the bench scripts (sourced, not run): starting a release server and a Redis on
# loopback. Expects `bin` (the release bin directory) and `data` (a scratch directory).

# start_server DIR: a findreviewer-server on an ephemeral port with DIR as its data directory;
# sets server_pid, address and key (the admin key of DIR/keys.json). The fair-use limits are
# raised above anything a run creates: each benchmark business creates up to 200,000 requests at
# once, and at the defaults (200 a day free) every create after the 200th is refused with
# REQUEST_LIMIT_REACHED, which measures refusals, not durable writes.
start_server() {
  "$bin/findreviewer-server" --listen 127.0.0.1:0 --data-dir "$1" --log-level warn \
    --max-requests-per-day-free 1000000 --max-requests-per-day-paid 1000000 > "$data/out" 2>"$data/err" &
  server_pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$data/out" 2>/dev/null && break; sleep 0.1; done
  address=$(sed -n 's/^listening on //p' "$data/out")
  key=$(python3 -c 'import json,sys; print([k["key"] for k in json.load(open(sys.argv[1]))["keys"] if k["role"]=="admin"][0])' "$1/keys.json")
}

# start_redis ARGS...: a redis-server on a random loopback port with ARGS added, in $data/redis;
# sets redis_pid and redis_port once it answers PING. REDIS_DIR (default $data/redis) is its --dir.
start_redis() {
  redis_port=$((20000 + RANDOM % 20000))
  local dir=${REDIS_DIR:-$data/redis}
  mkdir -p "$dir"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" --daemonize no "$@" > "$data/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}
