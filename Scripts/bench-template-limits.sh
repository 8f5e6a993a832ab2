#!/usr/bin/env bash
# Hostile chat templates (issue #10, finding 1): how long `parley template` takes to render each
# one, and how it ends (output size or the error). Every case must end within the 2 s render limit
# with a clear error, or with the right answer when the operation is now linear.
# Usage: Scripts/bench-template-limits.sh [PARLEY_BINARY]   (default .build/release/parley)
# cpu-s (user + system) is the number to compare on a busy machine.
# Each case is cut off after 10 s of CPU time (300 s of wall time) and 2 GB of memory, so an
# old build can be measured too.
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/parley}"
[ -x "$bin" ] || swift build -c release -Xswiftc -enable-testing --product parley >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo '[{"role": "user", "content": "hi"}]' > "$work/messages.json"

cases=(
  "in-quadratic|{{ ('a'*40000 ~ 'b') in 'a'*80000 }}"
  "in-8MB-x1000|{% set h = 'a'*8000000 %}{% set n = 'a'*4000 ~ 'b' %}{% for i in range(1000) %}{{ n in h }}{% endfor %}"
  "count-8MB-x1000|{% set h = 'a'*8000000 %}{% for i in range(1000) %}{{ h.count('b') }}{% endfor %}"
  "unique-100k|{{ range(100000)|unique|list|length }}"
  "macro-2^30|{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(30) }}"
  "macro-deep-wide|{% macro f(n) %}{% if n < 190 %}{{ f(n+1) }}{{ f(n+1) }}{{ f(n+1) }}{% endif %}{% endmacro %}{{ f(0) }}"
  "replace-8MB-x1000|{% set h = 'a'*8000000 %}{% for i in range(1000) %}{{ h.replace('b', 'c')|length }}{% endfor %}"
  "replace-filter-8MB-x1000|{% set h = 'a'*8000000 %}{% for i in range(1000) %}{{ (h|replace('b', 'c'))|length }}{% endfor %}"
  "join-100k-x1000|{% set l = range(100000)|list %}{% for i in range(1000) %}{{ l|join(',')|length }}{% endfor %}"
  "repeat-8MB-x1000|{% for i in range(1000) %}{{ ('x'*(8000000 + i))|length }}{% endfor %}"
  "format-100x1MB|{{ ('%999999d' * 100) % ((1,) * 100) }}"
  "str-format-100x1MB|{{ ('{:>999999}' * 100).format(*((1,) * 100)) }}"
  "format-filter-x100k|{% for i in range(100000) %}{{ '%999s'|format(i) }}{% endfor %}"
  "sort-long-strings-x100|{% set ns = namespace(l=[]) %}{% for i in range(3000) %}{% set ns.l = ns.l + ['a'*10000 ~ i] %}{% endfor %}{% for i in range(100) %}{{ (ns.l|sort|first)|length }}{% endfor %}"
  "index-8MB-x100k|{% set h = 'a'*8000000 %}{% for i in range(100000) %}{{ h[i] }}{% endfor %}"
  "loop-1M-cheap|{% for i in range(1000) %}{% for j in range(1000) %}{% set x = i * j %}{% endfor %}{% endfor %}"
)

printf '%-26s %9s %9s  %s\n' case wall-s cpu-s result
for entry in "${cases[@]}"; do
  name="${entry%%|*}"
  printf '%s' "${entry#*|}" > "$work/t.jinja"
  TIMEFORMAT='%R %U %S'
  times=$( { time (ulimit -v 2000000 -t 10; timeout 300 "$bin" template --template "$work/t.jinja" \
      --messages "$work/messages.json" > "$work/out" 2> "$work/err"; echo $? > "$work/status") ; } 2>&1 )
  status=$(cat "$work/status")
  read -r wall user sys <<< "$(printf '%s\n' "$times" | tail -n 1)"  # after any "Killed" line
  if [ "$status" -eq 0 ]; then
    result="ok, $(wc -c < "$work/out") bytes"
  elif [ "$status" -eq 124 ]; then
    result="killed after 300 s of wall time"
  elif [ "$status" -eq 152 ] || [ "$status" -eq 137 ]; then
    result="killed after 10 s of CPU time"
  else
    result="exit $status: $(head -c 100 "$work/err" | tr '\n' ' ')"
  fi
  printf '%-26s %9.2f %9.2f  %s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$result"
done
