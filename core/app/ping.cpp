#include "app/ping.hpp"

#include <algorithm>
#include <cmath>

namespace netstep {

namespace {
void store_le64(MutableBytes b, std::size_t at, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) b[at + i] = static_cast<std::byte>((v >> (8 * i)) & 0xff);
}
}  // namespace

double PingStatistics::rtt_mdev_ms() const {
  if (received == 0) return 0;
  const double mean = std::chrono::duration<double, std::milli>(rtt_avg()).count();
  const double variance = rtt_sum_squares_ms / received - mean * mean;
  return variance > 0 ? std::sqrt(variance) : 0;
}

Ping::Ping(EventLoop& loop, Tracer tracer, IcmpLayer& icmp, PingConfig config)
    : loop_{loop},
      tracer_{tracer},
      icmp_{icmp},
      config_{config},
      timer_{loop, tracer, Layer::App, "ping interval", [this] { on_timer(); }},
      probes_(static_cast<std::size_t>(config.count) + 1),
      data_(config.payload_size) {
  config_.validate();
  // Linux ping's pattern: byte i is i; the first 16 bytes then carry the
  // send time (see send_next).
  for (std::size_t i = 0; i < data_.size(); ++i) data_[i] = static_cast<std::byte>(i & 0xff);
  icmp_.add_echo_listener(config_.identifier, *this);
}

Ping::~Ping() { icmp_.remove_echo_listener(config_.identifier); }

void Ping::start() { send_next(); }

void Ping::send_next() {
  const std::uint16_t sequence = next_sequence_++;
  probes_[sequence].sent_at = loop_.now();
  if (data_.size() >= 16) {
    // A struct timeval (seconds, microseconds; 64-bit little-endian) of the
    // scenario clock, where Linux ping puts it, so Wireshark shows it too.
    const auto us = to_ns(loop_.now()) / 1000;
    store_le64(MutableBytes{data_}, 0, static_cast<std::uint64_t>(us / 1'000'000));
    store_le64(MutableBytes{data_}, 8, static_cast<std::uint64_t>(us % 1'000'000));
  }
  ++stats_.transmitted;
  tracer_.emit(Layer::App, PingSent{config_.destination, sequence, config_.payload_size + 8});
  const SendStatus status =
      icmp_.send_echo_request(config_.destination, config_.identifier, sequence, Bytes{data_}, config_.ttl);
  if (!succeeded(status)) {
    // Like ping's "connect: Network is unreachable": nothing left the host.
    local_error_ = status;
    done_ = true;
    timer_.cancel();
    return;
  }
  if (sequence < config_.count) {
    timer_.arm_after(config_.interval, "ping interval");
  } else {
    timer_.arm_after(config_.linger, "ping linger");
  }
}

void Ping::on_timer() {
  if (next_sequence_ <= config_.count) {
    send_next();
  } else {
    done_ = true;  // linger over: whatever has not come back is lost
  }
}

void Ping::finish_if_all_answered() {
  if (next_sequence_ <= config_.count) return;
  const bool all = std::all_of(probes_.begin() + 1, probes_.end(), [](const Probe& p) { return p.answered; });
  if (all) {
    done_ = true;
    timer_.cancel();
  }
}

void Ping::receive_echo_reply(const wire::Ipv4Repr& header, const wire::IcmpRepr& reply) {
  const std::uint16_t sequence = reply.sequence();
  // Matched by identifier (the listener) and sequence, as Linux ping does:
  // a reply may come from another address than the one pinged (0.0.0.0 is
  // answered by 127.0.0.1, a broadcast by each host).
  if (done_ || sequence == 0 || sequence >= next_sequence_ || !probes_[sequence].sent_at) return;
  Probe& probe = probes_[sequence];
  const Duration rtt = loop_.now() - *probe.sent_at;
  if (probe.answered) {
    ++stats_.duplicates;
  } else {
    probe.answered = true;
    ++stats_.received;
    stats_.rtt_min = stats_.received == 1 ? rtt : std::min(stats_.rtt_min, rtt);
    stats_.rtt_max = std::max(stats_.rtt_max, rtt);
    stats_.rtt_sum += rtt;
    const double ms = std::chrono::duration<double, std::milli>(rtt).count();
    stats_.rtt_sum_squares_ms += ms * ms;
  }
  tracer_.emit(Layer::App, PingReply{header.source, sequence, header.ttl, reply.length(), rtt});
  finish_if_all_answered();
}

void Ping::receive_echo_error(const IcmpErrorReport& report, std::uint16_t sequence) {
  if (done_ || sequence == 0 || sequence >= next_sequence_) return;
  probes_[sequence].answered = true;
  ++stats_.errors;
  tracer_.emit(Layer::App, PingError{report.reporter, sequence, wire::describe_icmp(report.type, report.code)});
  finish_if_all_answered();
}

}  // namespace netstep
