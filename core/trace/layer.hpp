#pragma once
// The layers that report trace events, spelled as the narrative and the
// JSON Lines log spell them.
#include <cstdint>
#include <string_view>

namespace netstep {

enum class Layer : std::uint8_t { Loop, Driver, Ethernet, Arp, Ipv4, Icmp, Udp, Tcp, Socket, App };

[[nodiscard]] constexpr std::string_view to_string(Layer layer) {
  switch (layer) {
    case Layer::Loop: return "loop";
    case Layer::Driver: return "driver";
    case Layer::Ethernet: return "eth";
    case Layer::Arp: return "arp";
    case Layer::Ipv4: return "ipv4";
    case Layer::Icmp: return "icmp";
    case Layer::Udp: return "udp";
    case Layer::Tcp: return "tcp";
    case Layer::Socket: return "socket";
    case Layer::App: return "app";
  }
  return "?";
}

}  // namespace netstep
