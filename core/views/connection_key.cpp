#include "views/connection_key.hpp"

namespace netstep::views {

ConnectionKey ConnectionKey::of(std::string_view host, Endpoint local, Endpoint remote) {
  ConnectionKey key;
  key.host = host;
  key.local = local;
  key.remote = remote;
  return key;
}

std::string ConnectionKey::text() const { return host + " " + local.to_string() + " > " + remote.to_string(); }

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

}  // namespace netstep::views
