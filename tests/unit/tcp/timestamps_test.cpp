// Timestamps (RFC 7323) for one connection: the clock, negotiation, PAWS,
// TS.Recent and RTT samples.
#include <catch2/catch.hpp>

#include "tcp/timestamps.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {
Instant at(Duration d) { return Instant{} + d; }

wire::TcpRepr with_ts(std::uint32_t value, std::uint32_t echo, std::uint32_t seq = 100) {
  wire::TcpRepr r;
  r.seq = SeqNum{seq};
  r.flags = wire::TcpFlags{wire::TcpFlags::ack};
  r.timestamps = wire::TcpTimestamps{value, echo};
  return r;
}
}  // namespace

TEST_CASE("timestamps: the clock counts milliseconds from the offset and wraps", "[tcp][timestamps]") {
  const Timestamps ts{0xfffffff0u};
  CHECK(ts.value_at(at(0ms)) == 0xfffffff0u);
  CHECK(ts.value_at(at(15ms)) == 0xffffffffu);
  CHECK(ts.value_at(at(16ms)) == 0u);
}

TEST_CASE("timestamps: used only when both SYNs carry the option (RFC 7323 3.2)", "[tcp][timestamps]") {
  Timestamps ts;
  wire::TcpRepr syn;
  ts.negotiate(syn, true, at(0ms));
  CHECK_FALSE(ts.enabled());
  syn.timestamps = wire::TcpTimestamps{500, 0};
  ts.negotiate(syn, false, at(0ms));
  CHECK_FALSE(ts.enabled());
  ts.negotiate(syn, true, at(0ms));
  CHECK(ts.enabled());
  CHECK(ts.recent() == 500);
}

TEST_CASE("timestamps: PAWS rejects an older TSval, across the wrap, but never a RST (RFC 7323 5.3)",
          "[tcp][timestamps]") {
  Timestamps ts;
  wire::TcpRepr syn;
  syn.timestamps = wire::TcpTimestamps{0xfffffff0u, 0};
  ts.negotiate(syn, true, at(0ms));
  CHECK(ts.rejects(with_ts(0xffffffe0u, 0), at(1ms)));
  CHECK_FALSE(ts.rejects(with_ts(0x00000010u, 0), at(1ms)));  // newer, past the wrap
  wire::TcpRepr rst = with_ts(1, 0);
  rst.flags = wire::TcpFlags{wire::TcpFlags::rst};
  CHECK_FALSE(ts.rejects(rst, at(1ms)));
  // After 24 days of idleness TS.Recent is no longer trusted (5.5).
  CHECK_FALSE(ts.rejects(with_ts(0xffffffe0u, 0), at(std::chrono::hours{24 * 24} + 1ms)));
}

TEST_CASE("timestamps: TS.Recent follows segments at or below Last.ACK.sent (RFC 7323 4.3)", "[tcp][timestamps]") {
  Timestamps ts;
  wire::TcpRepr syn;
  syn.timestamps = wire::TcpTimestamps{1000, 0};
  ts.negotiate(syn, true, at(0ms));
  ts.on_acceptable(with_ts(1010, 0, 200), SeqNum{100}, at(1ms));  // beyond Last.ACK.sent: a hole before it
  CHECK(ts.recent() == 1000);
  ts.on_acceptable(with_ts(1020, 0, 100), SeqNum{100}, at(2ms));
  CHECK(ts.recent() == 1020);
  CHECK(ts.recent_set_at() == at(2ms));
  CHECK(ts.newer_than_recent(with_ts(1021, 0)));
  CHECK_FALSE(ts.newer_than_recent(with_ts(1020, 0)));
}

TEST_CASE("timestamps: an echo gives the round trip in milliseconds, zero or future echoes give none",
          "[tcp][timestamps]") {
  Timestamps ts{5000};
  wire::TcpRepr syn;
  syn.timestamps = wire::TcpTimestamps{1, 0};
  ts.negotiate(syn, true, at(0ms));
  CHECK(ts.rtt_sample(with_ts(2, 5010), at(35ms)) == Duration{25ms});
  CHECK_FALSE(ts.rtt_sample(with_ts(2, 0), at(35ms)).has_value());
  CHECK_FALSE(ts.rtt_sample(with_ts(2, 5100), at(35ms)).has_value());
}
