#include "connect_readings.hpp"

#include <cstdio>

#include "socket/connect_semantics.hpp"
#include "socket/personality.hpp"

namespace netstep::cli {

std::string connect_readings(const tcp::Connection& connection, std::string_view schedule) {
  const auto soft = connection.soft_error();
  // An ICMP error this host made for itself (its ARP gave up, T08) reads differently on some systems.
  const bool from_this_host = soft && soft->reporter == connection.tuple().local.address;
  std::string text = "what connect() returns for this on each system (the SYNs above followed " +
                     std::string{schedule} + "'s schedule; docs/personalities.md):\n";
  for (const tcp::SynPersonality id : tcp::all_syn_personalities) {
    const std::optional<socket::Ruled> ruled =
        socket::ConnectSemantics::get(id).connection_error(connection.outcome(), soft, from_this_host);
    std::string value = "0";
    std::string rule = "the handshake completed";
    if (ruled) {
      value = socket::Personality::get(id).failure(ruled->error).describe();
      rule = std::string{ruled->rule} + " (" + std::string{to_string(ruled->provenance)} + ")";
    }
    char line[96];
    std::snprintf(line, sizeof line, "  %-10s %-56s ", std::string{tcp::to_string(id)}.c_str(), value.c_str());
    text += line + rule + "\n";
  }
  return text;
}

}  // namespace netstep::cli
