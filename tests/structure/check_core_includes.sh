#!/usr/bin/env bash
# core/ depends on the C++ standard library alone (DESIGN.md, principle 2):
# no Qt, libpcap, ImGui, yaml-cpp, JSON, fmt, CLI11, Catch2, GLFW/SDL, and no
# operating-system networking or clock headers. Also: nothing in core includes
# a header from another top-level folder.
set -u
cd "$(dirname "$0")/../.."
forbidden='#include *[<"](Q[A-Za-z]+|pcap|imgui|yaml-cpp|nlohmann|fmt/|CLI/|catch2|GLFW|SDL|sys/|netinet/|arpa/|linux/|net/if|unistd\.h|time\.h|ctime|random>|drivers/|cli/|gui/)'
found=$(grep -rnE "$forbidden" core || true)
# Time and randomness are inputs: core never reads a clock or a random device.
found+=$(grep -rnE 'system_clock|steady_clock|high_resolution_clock|random_device|std::rand\b|gettimeofday' core || true)
if [[ -n $found ]]; then
  echo "core/ must depend on the standard library alone; found:"
  echo "$found"
  exit 1
fi
echo "core/: standard library only ($(find core -name '*.[ch]pp' | wc -l) files checked)"
