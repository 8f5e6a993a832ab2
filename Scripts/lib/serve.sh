# Sourced by the scripts that measure `parley serve` (bench-serve, bench-cpu, bench-remote): one
# way to start it on a free loopback port, wait until it listens, and stop it when the script exits.

# parley_start_serve BINARY [SERVE ARGS...]: starts `BINARY serve --port 0 ARGS` and sets
# PARLEY_SERVE_PID and PARLEY_SERVE_PORT. If the server never says it listens, prints its log and
# exits 1. An EXIT trap stops it and removes the log.
parley_start_serve() {
    local binary="$1"
    shift
    PARLEY_SERVE_LOG="$(mktemp)"
    "$binary" serve --port 0 "$@" 2>"$PARLEY_SERVE_LOG" &
    PARLEY_SERVE_PID=$!
    trap 'kill $PARLEY_SERVE_PID 2>/dev/null; wait $PARLEY_SERVE_PID 2>/dev/null; rm -f "$PARLEY_SERVE_LOG"' EXIT
    for _ in $(seq 200); do grep -q "listening on" "$PARLEY_SERVE_LOG" && break; sleep 0.05; done
    PARLEY_SERVE_PORT="$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$PARLEY_SERVE_LOG" | head -1)"
    [ -n "$PARLEY_SERVE_PORT" ] || { cat "$PARLEY_SERVE_LOG" >&2; exit 1; }
}
