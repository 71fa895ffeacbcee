#pragma once
// A socket call's return as the trace writes it ("-1, errno ECONNREFUSED
// (111)", "SOCKET_ERROR, WSAGetLastError() WSAECONNREFUSED (10061)",
// "-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)", "3") read back: the value and the
// canonical error, whatever the personality's spelling.
#include <cstdint>
#include <optional>
#include <string_view>

#include "socket/errc.hpp"

namespace netstep::lab {

struct CallReturn {
  std::int64_t value = 0;
  std::optional<socket::Errc> error;
};

[[nodiscard]] CallReturn parse_call_result(std::string_view text);
// ECONNREFUSED, WSAECONNREFUSED, pdFREERTOS_ERRNO_ECONNREFUSED,
// -pdFREERTOS_ERRNO_ECONNREFUSED (case ignored) -> the canonical error.
[[nodiscard]] bool parse_error_name(std::string_view name, socket::Errc& out);

}  // namespace netstep::lab
