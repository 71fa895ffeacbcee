#pragma once
// The Timestamps option of RFC 7323, for one connection: our TSval clock,
// TS.Recent (the peer's last timestamp worth echoing), PAWS (protection
// against old duplicates whose sequence numbers wrapped, section 5) and RTT
// samples from echoed timestamps (RTTM, section 4).
//
// TSval is scenario time in milliseconds (RFC 7323 5.4 asks for a tick
// between 1 ms and 1 s) plus an offset per address pair, so an observer
// cannot read our uptime from it, while two connections between the same
// addresses still see one increasing clock (what PAWS across incarnations,
// and TIME-WAIT reuse, rely on). Linux does the same (secure_tcp_ts_off).
#include <cstdint>
#include <optional>

#include "base/seq_num.hpp"
#include "base/time.hpp"
#include "wire/tcp.hpp"

namespace netstep::tcp {

// RFC 7323 5.5: TS.Recent is only trusted for 24 days of idleness.
inline constexpr Duration ts_recent_lifetime = std::chrono::hours{24 * 24};
// The option's size on the wire, padded (two NOPs and 10 bytes).
inline constexpr std::uint16_t timestamps_option_length = 12;

class Timestamps {
 public:
  explicit Timestamps(std::uint32_t offset = 0) : offset_{offset} {}

  // Our clock at `now`.
  [[nodiscard]] std::uint32_t value_at(Instant now) const;

  // The handshake (RFC 7323 3.2): the option is used only if both SYNs
  // carried it. `peer_syn` is the SYN (or SYN,ACK) from the peer.
  void negotiate(const wire::TcpRepr& peer_syn, bool we_offered, Instant now);
  [[nodiscard]] bool enabled() const { return enabled_; }

  // The option for a segment we send: our clock, and TS.Recent echoed.
  [[nodiscard]] wire::TcpTimestamps option_at(Instant now) const { return {value_at(now), recent_}; }

  // PAWS test R1 (5.3): an arriving non-RST segment whose TSval is older
  // than TS.Recent is an old duplicate.
  [[nodiscard]] bool rejects(const wire::TcpRepr& seg, Instant now) const;

  // R3 (4.3): remember SEG.TSval if the segment covers the last ACK we sent
  // (SEG.SEQ <= Last.ACK.sent), so the echo times the whole delay a delayed
  // ACK adds.
  void on_acceptable(const wire::TcpRepr& seg, SeqNum last_ack_sent, Instant now);

  // RTTM (4.1): an ACK of new data that echoes one of our timestamps gives
  // a round-trip time sample, retransmission or not.
  [[nodiscard]] std::optional<Duration> rtt_sample(const wire::TcpRepr& ack, Instant now) const;

  // TS.Recent and when it was last set (for RFC 6191 and TIME-WAIT reuse).
  [[nodiscard]] std::uint32_t recent() const { return recent_; }
  [[nodiscard]] Instant recent_set_at() const { return recent_set_at_; }

  // A segment that comes in a new incarnation of this tuple while it is in
  // TIME-WAIT: its timestamp is newer than anything the old one saw
  // (RFC 6191 section 2).
  [[nodiscard]] bool newer_than_recent(const wire::TcpRepr& seg) const;

 private:
  std::uint32_t offset_;
  bool enabled_ = false;
  std::uint32_t recent_ = 0;  // TS.Recent
  Instant recent_set_at_{};
};

}  // namespace netstep::tcp
