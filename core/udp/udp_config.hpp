#pragma once
// What the UDP layer and each socket it makes are configured with: typed,
// with Linux's defaults, validated once.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace netstep::udp {

struct UdpConfig {
  // Each new socket's receive queue limit in bytes: Linux's
  // net.core.rmem_default. UdpPcb::set_receive_buffer() changes one socket's.
  std::size_t receive_buffer = 212992;

  // Throws std::invalid_argument naming the first impossible value.
  void validate() const {
    if (receive_buffer == 0) throw std::invalid_argument("udp: receive_buffer must be at least 1 byte");
  }
};

struct BindOptions {
  // SO_REUSEADDR. Linux lets two UDP sockets share a port on overlapping
  // addresses only when both set it; a unicast datagram then goes to one of
  // them (the one bound last), a broadcast to each.
  bool reuse_address = false;
};

}  // namespace netstep::udp
