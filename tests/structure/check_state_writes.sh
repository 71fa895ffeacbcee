#!/usr/bin/env bash
# One door per state change (STYLE.md practice 5, issue 3's acceptance): in
# core/tcp the connection's state member is assigned in exactly one place,
# and that place is inside set_state(), which traces the change. The
# member's default initialiser in the class (`State state_ = State::Closed;`)
# is not a write. Comments are ignored.
#
# Counted as writes: `state_ = x` (not `==`), `state_{...}`/`state_(...)` in
# a constructor's initialiser list, compound assignments, std::exchange /
# std::swap on it, and taking its address or a non-const reference to it.
set -u
cd "$(dirname "$0")/../.."

files=$(find core/tcp -name '*.cpp' -o -name '*.hpp' | sort)
if [[ -z $files ]]; then
  echo "core/tcp: no sources found"
  exit 1
fi

# file:line:code, with // comments stripped.
code=$(grep -nE '\bstate_\b' $files | sed -E 's#//.*$##')

writes=$(printf '%s\n' "$code" | grep -E \
  '(\bstate_\s*([-+*/|&^]?=)([^=]|$))|(\bexchange\s*\(\s*(this->)?state_\b)|(\bswap\s*\(\s*(this->)?state_\b)|((^|[^&])&\s*(this->)?state_\b)|(^[^:]*:[0-9]+:\s*[,:]\s*state_\s*[({])' \
  | grep -vE '^[^:]*:[0-9]+:\s*State\s+state_\s*=\s*State::[A-Za-z]+\s*;\s*$' || true)

count=$(printf '%s' "$writes" | grep -c . || true)
if [[ $count -ne 1 ]]; then
  echo "core/tcp: the state member must be written in exactly one place (set_state), found $count:"
  printf '%s\n' "$writes"
  exit 1
fi

# ... and that one place is inside set_state(): the nearest function
# definition above it is Connection::set_state.
file=${writes%%:*}
rest=${writes#*:}
line=${rest%%:*}
enclosing=$(head -n "$line" "$file" | grep -nE '^[A-Za-z].*\b[A-Za-z_]+::[A-Za-z_~]+\s*\(' | tail -n 1)
if [[ $enclosing != *"::set_state("* ]]; then
  echo "core/tcp: the one write of the state member is not inside set_state():"
  echo "  write:     $writes"
  echo "  function:  ${enclosing:-<none found>}"
  exit 1
fi
echo "core/tcp: the state member is written once, in set_state() ($file:$line)"
