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

// SO_KEEPALIVE and Linux's TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT (RFC 1122
// 4.2.3.6: off unless asked for, idle at least two hours by default).
struct KeepaliveConfig {
  bool enabled = false;
  Duration idle = 7200s;    // quiet time before the first probe
  Duration interval = 75s;  // between unanswered probes
  int probes = 9;           // unanswered probes before the connection is dropped
};

// When connect() may take a four-tuple still in TIME-WAIT for a new
// connection (Linux's net.ipv4.tcp_tw_reuse: 0, 1, 2).
enum class TimeWaitReuse : std::uint8_t {
  Never,         // 0: wait out the 2 MSL
  LoopbackOnly,  // 2 (Linux's default): only towards 127.0.0.0/8
  Always,        // 1: whenever timestamps protect the new incarnation
};

struct TcpConfig {
  std::uint16_t mss = 1460;                  // announced in our SYN: the interface MTU less 40
  std::size_t send_buffer = 256 * 1024;      // bytes the application may queue
  std::size_t receive_buffer = 256 * 1024;   // bytes we can hold: our largest window
  bool window_scaling = true;                // RFC 7323 section 2, offered in our SYN
  bool timestamps = true;                    // RFC 7323 section 3, offered in our SYN
  bool sack = true;                          // RFC 2018: SACK-permitted offered, blocks sent and honoured
  bool delayed_ack = true;                   // RFC 9293 3.8.6.3 / RFC 5681 4.2; false: every segment ACKed at once
  Duration delayed_ack_timeout = 40ms;       // Linux's TCP_DELACK_MIN (the RFC allows up to 500 ms)
  bool delayed_fin_ack = true;               // Linux: a FIN in ESTABLISHED is ACKed like data; false: at once (FreeBSD, lwIP)
  bool nodelay = false;                      // TCP_NODELAY: no Nagle (RFC 9293 3.7.4)
  KeepaliveConfig keepalive;
  TimeWaitReuse time_wait_reuse = TimeWaitReuse::LoopbackOnly;
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
    if (delayed_ack_timeout <= Duration::zero() || delayed_ack_timeout > 500ms) {
      throw std::invalid_argument("tcp: delayed_ack_timeout must be in (0, 500 ms] (RFC 9293 3.8.6.3)");
    }
    if (keepalive.idle <= Duration::zero() || keepalive.interval <= Duration::zero() || keepalive.probes < 1) {
      throw std::invalid_argument("tcp: keepalive idle and interval must be positive, probes at least 1");
    }
    rto.validate();
    syn.validate();
  }
};

}  // namespace netstep::tcp
