#include "call_result.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace netstep::lab {

bool parse_error_name(std::string_view name, socket::Errc& out) {
  std::string s = uppercase(trimmed(name));
  for (const std::string_view prefix : {"-", "PDFREERTOS_ERRNO_", "WSA"}) {
    if (std::string_view{s}.starts_with(prefix)) s.erase(0, prefix.size());
  }
  if (socket::parse_errc(s, out)) return true;
  if (!s.starts_with("E") && socket::parse_errc("E" + s, out)) return true;  // Winsock's WSAEWOULDBLOCK is fine; WSANOTINITIALISED too
  return socket::parse_errc("WSA" + s, out);
}

CallReturn parse_call_result(std::string_view text) {
  CallReturn r;
  std::vector<std::string> tokens;
  std::string token;
  for (const char c : text) {
    if (c == ' ' || c == ',' || c == '(' || c == ')') {
      if (!token.empty()) tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) tokens.push_back(token);
  if (tokens.empty()) return r;
  if (tokens.front() == "SOCKET_ERROR") {
    r.value = -1;
  } else {
    (void)std::from_chars(tokens.front().data(), tokens.front().data() + tokens.front().size(), r.value);
  }
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    socket::Errc e{};
    if (tokens[i] != "errno" && parse_error_name(tokens[i], e)) {
      r.error = e;
      break;
    }
  }
  return r;
}

}  // namespace netstep::lab
