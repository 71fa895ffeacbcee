#pragma once
// Constants and helpers shared by the files that implement Connection
// (connection*.cpp); not part of any interface.
#include <cstdint>

#include "base/time.hpp"
#include "tcp/congestion.hpp"

namespace netstep::tcp::detail {

inline constexpr std::uint8_t max_window_scale = 14;       // RFC 7323 2.3
inline constexpr int max_data_retransmissions = 15;        // Linux tcp_retries2
inline constexpr int max_synack_retransmissions = 5;       // Linux tcp_synack_retries
inline constexpr Duration invalid_ack_interval = 500ms;    // Linux tcp_invalid_ratelimit

inline NewRenoConfig congestion_config(std::uint16_t smss) {
  NewRenoConfig config;
  config.smss = smss;
  config.initial_window = InitialWindow::Iw10;  // Linux (RFC 6928)
  return config;
}

}  // namespace netstep::tcp::detail
