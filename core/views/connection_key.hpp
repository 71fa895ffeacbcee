#pragma once
// A TCP connection as the trace names it: the host and both endpoints.
#include <compare>
#include <string>
#include <string_view>

#include "base/port.hpp"

namespace netstep::views {

struct ConnectionKey {
  std::string host;
  Endpoint local;
  Endpoint remote;
  // The connection a trace event of `host` about local > remote is about.
  [[nodiscard]] static ConnectionKey of(std::string_view host, Endpoint local, Endpoint remote);
  friend auto operator<=>(const ConnectionKey&, const ConnectionKey&) = default;
  // "client 10.0.0.1:42251 > 10.0.0.2:80"
  [[nodiscard]] std::string text() const;
};

// Left-aligns `text` in `width` columns (at least one space after it).
[[nodiscard]] std::string pad(const std::string& text, std::size_t width);

}  // namespace netstep::views
