#pragma once
// Everything one TCP connection is configured with, as a typed struct with
// documented defaults (Linux's, where Linux is the reference) validated once.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "base/time.hpp"
#include "tcp/rtt_estimator.hpp"
#include "tcp/syn_schedule.hpp"

namespace netstep::tcp {

struct TcpConfig {
  std::uint16_t mss = 1460;                  // announced in our SYN: the interface MTU less 40
  std::size_t send_buffer = 256 * 1024;      // bytes the application may queue
  std::size_t receive_buffer = 256 * 1024;   // bytes we can hold: our largest window
  bool window_scaling = true;                // RFC 7323 section 2, offered in our SYN
  RtoConfig rto = RtoConfig::linux_kernel();
  Duration time_wait = 60s;                  // 2 MSL; Linux's TCP_TIMEWAIT_LEN
  SynPolicy syn = linux_syn_policy();
  SynOverrides syn_overrides;

  // Throws std::invalid_argument naming the first impossible value.
  void validate() const {
    if (mss < 88) throw std::invalid_argument("tcp: mss must be at least 88 (RFC 9293 3.7.1 with options)");
    if (send_buffer < mss) throw std::invalid_argument("tcp: send_buffer must hold at least one segment");
    if (receive_buffer < mss) throw std::invalid_argument("tcp: receive_buffer must hold at least one segment");
    if (receive_buffer > (std::size_t{0xffff} << 14)) {
      throw std::invalid_argument("tcp: receive_buffer exceeds the largest window (2^30 bytes)");
    }
    if (time_wait < Duration::zero()) throw std::invalid_argument("tcp: time_wait must not be negative");
    rto.validate();
    syn.validate();
  }
};

}  // namespace netstep::tcp
