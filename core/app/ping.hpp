#pragma once
// ping as an application on the event loop: echo requests at an interval,
// replies and ICMP errors matched by sequence number, round-trip times in
// virtual time, and the statistics Linux's ping prints at the end.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "base/ipv4_address.hpp"
#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "event/timer.hpp"
#include "ip/icmp_layer.hpp"
#include "ip/send_status.hpp"
#include "trace/trace_bus.hpp"

namespace netstep {

struct PingConfig {
  Ipv4Address destination;
  int count = 3;                 // requests to send, at least 1
  Duration interval = 1s;        // between requests (ping -i)
  std::size_t payload_size = 56; // bytes of echo data (ping -s); 56 + 8 = 64 bytes of ICMP
  Duration linger = 10s;         // after the last request, how long to wait for answers (ping -W)
  std::uint8_t ttl = 0;          // 0: the host's default (ping -t)
  std::uint16_t identifier = 1;

  void validate() const {
    if (count < 1) throw std::invalid_argument("ping: count must be at least 1");
    if (interval <= Duration::zero()) throw std::invalid_argument("ping: interval must be positive");
    if (payload_size > 65507) throw std::invalid_argument("ping: payload size must be at most 65507 bytes");
    if (linger < Duration::zero()) throw std::invalid_argument("ping: linger must not be negative");
  }
};

struct PingStatistics {
  int transmitted = 0;
  int received = 0;
  int duplicates = 0;
  int errors = 0;
  Duration rtt_min{};
  Duration rtt_max{};
  Duration rtt_sum{};
  double rtt_sum_squares_ms = 0;  // for mdev, in ms^2

  [[nodiscard]] int loss_percent() const {
    return transmitted == 0 ? 0 : (transmitted - received) * 100 / transmitted;
  }
  [[nodiscard]] Duration rtt_avg() const { return received == 0 ? Duration{} : rtt_sum / received; }
  [[nodiscard]] double rtt_mdev_ms() const;
};

class Ping final : public EchoListener {
 public:
  Ping(EventLoop& loop, Tracer tracer, IcmpLayer& icmp, PingConfig config);
  ~Ping() override;
  Ping(const Ping&) = delete;
  Ping& operator=(const Ping&) = delete;

  void start();
  [[nodiscard]] bool done() const { return done_; }
  [[nodiscard]] const PingStatistics& statistics() const { return stats_; }
  // Set when a request could not even leave this host (no route, ...).
  [[nodiscard]] std::optional<SendStatus> local_error() const { return local_error_; }
  [[nodiscard]] const PingConfig& config() const { return config_; }

  void receive_echo_reply(const wire::Ipv4Repr& header, const wire::IcmpRepr& reply) override;
  void receive_echo_error(const IcmpErrorReport& report, std::uint16_t sequence) override;

 private:
  struct Probe {
    std::optional<Instant> sent_at;
    bool answered = false;
  };
  void send_next();
  void on_timer();
  void finish_if_all_answered();

  EventLoop& loop_;
  Tracer tracer_;
  IcmpLayer& icmp_;
  PingConfig config_;
  Timer timer_;
  std::vector<Probe> probes_;  // index = sequence number; 0 unused
  std::vector<std::byte> data_;
  std::uint16_t next_sequence_ = 1;
  PingStatistics stats_;
  std::optional<SendStatus> local_error_;
  bool done_ = false;
};

}  // namespace netstep
