#pragma once
// SharedConfig: a TcpConfig validated once, with its SYN schedule built
// once, and shared read-only by every connection made from it. A listener's
// thousand connections hold one copy (and one validation), not a thousand;
// the per-connection parts that the application may change later (Nagle,
// keepalive) are copied into the connection.
#include <memory>

#include "tcp/syn_schedule.hpp"
#include "tcp/tcp_config.hpp"

namespace netstep::tcp {

struct SharedConfig {
  // Throws std::invalid_argument if the configuration is impossible.
  explicit SharedConfig(const TcpConfig& config) : tcp{checked(config)}, syn{tcp.syn, tcp.syn_overrides} {}

  TcpConfig tcp;
  SynSchedule syn;

 private:
  static const TcpConfig& checked(const TcpConfig& config) {
    config.validate();
    return config;
  }
};

using SharedConfigPtr = std::shared_ptr<const SharedConfig>;

[[nodiscard]] inline SharedConfigPtr share(const TcpConfig& config) { return std::make_shared<const SharedConfig>(config); }

}  // namespace netstep::tcp
