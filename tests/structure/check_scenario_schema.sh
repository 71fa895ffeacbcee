#!/usr/bin/env bash
# docs/scenario.schema.json must name every key the scenario loader accepts
# (every only_keys list, every call and step key), so editors that check
# files against it never reject a file netstep runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
loader="$root/drivers/scenario/scenario_loader.cpp"
schema="$root/docs/scenario.schema.json"
keys=$(
  {
    # only_keys(node, {"a", "b", ...}) and the initializer lists passed to it
    grep -o 'only_keys([^;]*' "$loader" | grep -o '"[a-z_]*"'
    grep -o 'initializer_list<std::string_view>{[^}]*}' "$loader" | grep -o '"[a-z_]*"'
    # the calls of a step
    sed -n '/constexpr CallName call_names/,/^};/p' "$loader" | grep -o '{"[a-z_]*"' | tr -d '{'
  } | sort -u
)
missing=0
for key in $keys; do
  if ! grep -q "$key:" "$schema"; then
    echo "docs/scenario.schema.json does not mention the key $key that scenario_loader.cpp accepts"
    missing=1
  fi
done
[[ -n "$keys" ]] || { echo "found no keys in $loader: the check is out of date"; exit 1; }
exit $missing
