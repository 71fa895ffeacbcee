#include "base/time.hpp"

#include <cstdio>

namespace netstep {

std::string format_seconds(Duration d) {
  const std::int64_t us = d.count() / 1000;
  const char* sign = us < 0 ? "-" : "";
  const std::int64_t a = us < 0 ? -us : us;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%06lld", sign, static_cast<long long>(a / 1000000),
                static_cast<long long>(a % 1000000));
  return buffer;
}

std::string format_duration(Duration d) {
  char buffer[40];
  const double ns = static_cast<double>(d.count());
  if (d < 10s) {
    std::snprintf(buffer, sizeof buffer, "%.3f ms", ns / 1e6);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3f s", ns / 1e9);
  }
  return buffer;
}

}  // namespace netstep
