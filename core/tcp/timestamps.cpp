#include "tcp/timestamps.hpp"

namespace netstep::tcp {

namespace {
// Timestamp clocks wrap: compare as RFC 7323 5.2 does, modulo 2^32.
bool older(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
}  // namespace

std::uint32_t Timestamps::value_at(Instant now) const {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return static_cast<std::uint32_t>(ms) + offset_;
}

void Timestamps::negotiate(const wire::TcpRepr& peer_syn, bool we_offered, Instant now) {
  enabled_ = we_offered && peer_syn.timestamps.has_value();
  if (enabled_) {
    recent_ = peer_syn.timestamps->value;
    recent_set_at_ = now;
  }
}

bool Timestamps::rejects(const wire::TcpRepr& seg, Instant now) const {
  if (!enabled_ || seg.flags.rst_set() || !seg.timestamps) return false;
  if (now - recent_set_at_ > ts_recent_lifetime) return false;  // TS.Recent too old to trust (5.5)
  return older(seg.timestamps->value, recent_);
}

void Timestamps::on_acceptable(const wire::TcpRepr& seg, SeqNum last_ack_sent, Instant now) {
  if (!enabled_ || !seg.timestamps) return;
  if (older(seg.timestamps->value, recent_) || seg.seq > last_ack_sent) return;
  recent_ = seg.timestamps->value;
  recent_set_at_ = now;
}

std::optional<Duration> Timestamps::rtt_sample(const wire::TcpRepr& ack, Instant now) const {
  if (!enabled_ || !ack.timestamps || ack.timestamps->echo == 0) return std::nullopt;
  const std::uint32_t elapsed = value_at(now) - ack.timestamps->echo;
  if (static_cast<std::int32_t>(elapsed) < 0) return std::nullopt;  // an echo from the future: ignore
  return std::chrono::milliseconds{elapsed};
}

bool Timestamps::newer_than_recent(const wire::TcpRepr& seg) const {
  return enabled_ && seg.timestamps && older(recent_, seg.timestamps->value);
}

}  // namespace netstep::tcp
