#pragma once
// How each system's connect() would report a connection's outcome: the
// same TCP exchange, read by the five personalities' socket layers. `netstep
// connect` drives TCP directly (Linux's SYN schedule), so this is what a
// program on each system would have been told about what just happened.
#include <string>
#include <string_view>

#include "tcp/connection.hpp"

namespace netstep::cli {

// One line per personality: "  linux      -1, errno ECONNREFUSED (111)   T02: ...".
// `schedule`: the personality whose SYN schedule the exchange followed.
[[nodiscard]] std::string connect_readings(const tcp::Connection& connection, std::string_view schedule);

}  // namespace netstep::cli
