#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>

#include "base/seq_num.hpp"
#include "tcp/congestion.hpp"

using netstep::SeqNum;
using netstep::tcp::CongestionAction;
using netstep::tcp::CongestionUpdate;
using netstep::tcp::DuplicateAck;
using netstep::tcp::InitialWindow;
using netstep::tcp::NewAck;
using netstep::tcp::NewReno;
using netstep::tcp::NewRenoConfig;
using netstep::tcp::PartialAckTimer;
using netstep::tcp::WindowGrowth;
using netstep::tcp::initial_window;

namespace {

constexpr std::uint32_t smss = 1000;
constexpr std::uint32_t unlimited = std::numeric_limits<std::uint32_t>::max();

// A sender in miniature: it tracks SND.UNA and SND.NXT so the tests can say
// "send this much, ack that much, three duplicates" and read like the RFC's
// scenarios.
struct Sender {
  explicit Sender(NewRenoConfig config = {smss}, SeqNum iss = SeqNum{1000})
      : cc{config, iss}, una{iss + 1}, nxt{iss + 1} {}

  void send(std::uint32_t bytes) { nxt += bytes; }
  [[nodiscard]] std::uint32_t flight() const { return static_cast<std::uint32_t>(nxt - una); }

  CongestionUpdate ack(std::uint32_t bytes) {
    una += bytes;
    return cc.on_new_ack(NewAck{bytes, una, flight()});
  }
  CongestionUpdate dup() { return cc.on_duplicate_ack(DuplicateAck{una, flight(), nxt}); }
  CongestionUpdate dups(int n) {
    CongestionUpdate last;
    for (int i = 0; i < n; ++i) last = dup();
    return last;
  }
  CongestionUpdate timeout() { return cc.on_retransmission_timeout(flight(), nxt); }

  // Fill the pipe with `bytes` and take three duplicate ACKs.
  CongestionUpdate lose_one_of(std::uint32_t bytes) {
    send(bytes);
    return dups(3);
  }

  NewReno cc;
  SeqNum una;
  SeqNum nxt;
};

NewRenoConfig config(WindowGrowth growth, PartialAckTimer timer = PartialAckTimer::Impatient) {
  NewRenoConfig c;
  c.smss = smss;
  c.growth = growth;
  c.partial_ack_timer = timer;
  return c;
}

}  // namespace

TEST_CASE("a new connection starts in slow start with the RFC 5681 initial window and ssthresh arbitrarily high",
          "[tcp][congestion]") {
  const NewReno cc{NewRenoConfig{1460}, SeqNum{5000}};
  CHECK(cc.cwnd() == 3 * 1460);
  CHECK(cc.ssthresh() == unlimited);
  CHECK_FALSE(cc.in_fast_recovery());
  CHECK(cc.recover() == SeqNum{5000});
  CHECK(cc.duplicate_acks() == 0);
}

TEST_CASE("initial window is 4, 3 or 2 segments by SMSS per RFC 5681", "[tcp][congestion][iw]") {
  CHECK(initial_window(536, InitialWindow::Rfc5681) == 2144);
  CHECK(initial_window(1095, InitialWindow::Rfc5681) == 4380);
  CHECK(initial_window(1096, InitialWindow::Rfc5681) == 3288);
  CHECK(initial_window(1460, InitialWindow::Rfc5681) == 4380);
  CHECK(initial_window(2190, InitialWindow::Rfc5681) == 6570);
  CHECK(initial_window(2191, InitialWindow::Rfc5681) == 4382);
  CHECK(initial_window(9000, InitialWindow::Rfc5681) == 18000);
}

TEST_CASE("IW10 is min of 10 segments and max of 2 segments or 14600 bytes per RFC 6928", "[tcp][congestion][iw]") {
  CHECK(initial_window(536, InitialWindow::Iw10) == 5360);
  CHECK(initial_window(1460, InitialWindow::Iw10) == 14600);
  CHECK(initial_window(2190, InitialWindow::Iw10) == 14600);
  CHECK(initial_window(9000, InitialWindow::Iw10) == 18000);
  NewRenoConfig linux_like;
  linux_like.smss = 1460;
  linux_like.initial_window = InitialWindow::Iw10;
  CHECK(NewReno{linux_like, SeqNum{}}.cwnd() == 14600);
}

TEST_CASE("a config with SMSS 0 or above 65535 is rejected at construction", "[tcp][congestion]") {
  CHECK_THROWS_AS(NewReno(NewRenoConfig{0}, SeqNum{}), std::invalid_argument);
  CHECK_THROWS_AS(NewReno(NewRenoConfig{65536}, SeqNum{}), std::invalid_argument);
  CHECK_NOTHROW(NewReno(NewRenoConfig{65535}, SeqNum{}));
}

TEST_CASE("slow start grows cwnd by one SMSS per ACK of one SMSS", "[tcp][congestion][slow-start]") {
  Sender s;
  REQUIRE(s.cc.cwnd() == 4000);
  s.send(4000);
  const CongestionUpdate u = s.ack(1000);
  CHECK(u.action == CongestionAction::SlowStart);
  CHECK(u.cwnd_before == 4000);
  CHECK(u.cwnd == 5000);
  CHECK(u.restart_retransmit_timer);
  CHECK_FALSE(u.retransmit_now);
  s.ack(1000);
  s.ack(1000);
  s.ack(1000);
  CHECK(s.cc.cwnd() == 8000);  // one window acked: cwnd doubled in one round trip
}

TEST_CASE("slow start counts a stretch ACK as one SMSS per ACK, or up to 2 SMSS with byte counting",
          "[tcp][congestion][slow-start]") {
  Sender per_ack{config(WindowGrowth::PerAck)};
  per_ack.send(4000);
  CHECK(per_ack.ack(3000).cwnd == 5000);  // RFC 5681 eq. 2: min(N, SMSS)

  Sender abc{config(WindowGrowth::ByteCounting)};
  abc.send(4000);
  CHECK(abc.ack(3000).cwnd == 6000);  // RFC 3465: min(N, 2*SMSS)
  CHECK(abc.ack(500).cwnd == 6500);   // a small ACK counts its bytes only
}

TEST_CASE("congestion avoidance grows cwnd by about one SMSS per round trip", "[tcp][congestion][avoidance]") {
  Sender s;
  s.send(20000);
  s.timeout();  // ssthresh = 10000, cwnd = 1000
  REQUIRE(s.cc.ssthresh() == 10000);
  while (s.cc.cwnd() < s.cc.ssthresh()) REQUIRE(s.ack(1000).action == CongestionAction::SlowStart);
  REQUIRE(s.cc.cwnd() == 10000);

  // One round trip: a full window of ten segments, each acked.
  s.send(10000);
  CongestionUpdate u;
  for (int i = 0; i < 10; ++i) u = s.ack(1000);
  CHECK(u.action == CongestionAction::CongestionAvoidance);
  // SMSS*SMSS/cwnd per ACK: 100, 99, 98, ... a little under one segment.
  CHECK(s.cc.cwnd() > 10900);
  CHECK(s.cc.cwnd() < 11000);
}

TEST_CASE("congestion avoidance with byte counting adds exactly one SMSS per cwnd of acked bytes",
          "[tcp][congestion][avoidance]") {
  Sender s{config(WindowGrowth::ByteCounting)};
  s.send(20000);
  s.timeout();
  while (s.cc.cwnd() < s.cc.ssthresh()) s.ack(1000);
  REQUIRE(s.cc.cwnd() == 10000);
  s.send(10000);
  for (int i = 0; i < 9; ++i) CHECK(s.ack(1000).cwnd == 10000);
  CHECK(s.ack(1000).cwnd == 11000);
  // Delayed ACKs (one per two segments) grow it just as fast.
  s.send(11000);
  for (int i = 0; i < 5; ++i) s.ack(2000);
  CHECK(s.cc.cwnd() == 11000);
  CHECK(s.ack(1000).cwnd == 12000);
}

TEST_CASE("the first and second duplicate ACKs change nothing", "[tcp][congestion][fast-retransmit]") {
  Sender s;
  s.send(4000);
  for (int i = 1; i <= 2; ++i) {
    const CongestionUpdate u = s.dup();
    CHECK(u.action == CongestionAction::DuplicateAck);
    CHECK_FALSE(u.window_changed());
    CHECK_FALSE(u.retransmit_now);
    CHECK_FALSE(u.restart_retransmit_timer);
    CHECK(s.cc.duplicate_acks() == static_cast<std::uint32_t>(i));
  }
  CHECK_FALSE(s.cc.in_fast_recovery());
}

TEST_CASE("third duplicate ACK -> fast retransmit, ssthresh = FlightSize/2, cwnd = ssthresh + 3 SMSS, recover = SND.NXT",
          "[tcp][congestion][fast-retransmit]") {
  Sender s;
  s.send(20000);
  s.dups(2);
  const CongestionUpdate u = s.dup();
  CHECK(u.action == CongestionAction::EnterFastRecovery);
  CHECK(u.retransmit_now);
  CHECK(u.ssthresh_before == unlimited);
  CHECK(u.ssthresh == 10000);
  CHECK(u.cwnd == 13000);
  CHECK(u.recover == s.nxt);
  CHECK(s.cc.recover() == s.nxt);
  CHECK(s.cc.in_fast_recovery());
}

TEST_CASE("fast retransmit never sets ssthresh below 2 SMSS", "[tcp][congestion][fast-retransmit]") {
  Sender s;
  const CongestionUpdate u = s.lose_one_of(3000);
  CHECK(u.action == CongestionAction::EnterFastRecovery);
  CHECK(u.ssthresh == 2000);  // max(1500, 2*SMSS)
  CHECK(u.cwnd == 5000);
}

TEST_CASE("each further duplicate ACK in fast recovery inflates cwnd by one SMSS without a retransmission",
          "[tcp][congestion][fast-recovery]") {
  Sender s;
  s.lose_one_of(20000);
  for (std::uint32_t i = 1; i <= 50; ++i) {
    const CongestionUpdate u = s.dup();
    CHECK(u.action == CongestionAction::WindowInflation);
    CHECK(u.cwnd == 13000 + i * smss);
    CHECK_FALSE(u.retransmit_now);
    CHECK(u.ssthresh == 10000);
  }
  CHECK(s.cc.in_fast_recovery());
}

TEST_CASE("partial ACK keeps fast recovery, retransmits, deflates by the bytes acked and adds back one SMSS",
          "[tcp][congestion][fast-recovery]") {
  Sender s;
  s.lose_one_of(20000);
  s.dups(2);  // cwnd 15000
  const CongestionUpdate u = s.ack(3000);
  CHECK(u.action == CongestionAction::PartialAck);
  CHECK(u.retransmit_now);
  CHECK(u.cwnd == 15000 - 3000 + 1000);
  CHECK(u.ssthresh == 10000);
  CHECK(s.cc.in_fast_recovery());
  CHECK(s.cc.duplicate_acks() == 0);

  // Less than one SMSS acked: deflate only.
  CHECK(s.ack(500).cwnd == 13000 - 500);
}

TEST_CASE("Impatient restarts the timer on the first partial ACK only, Slow-but-Steady on every one",
          "[tcp][congestion][fast-recovery]") {
  Sender impatient{config(WindowGrowth::PerAck, PartialAckTimer::Impatient)};
  impatient.lose_one_of(20000);
  CHECK(impatient.ack(1000).restart_retransmit_timer);
  CHECK_FALSE(impatient.ack(1000).restart_retransmit_timer);
  CHECK_FALSE(impatient.ack(1000).restart_retransmit_timer);

  Sender steady{config(WindowGrowth::PerAck, PartialAckTimer::SlowButSteady)};
  steady.lose_one_of(20000);
  CHECK(steady.ack(1000).restart_retransmit_timer);
  CHECK(steady.ack(1000).restart_retransmit_timer);
  CHECK(steady.ack(1000).restart_retransmit_timer);

  // A new recovery has a new first partial ACK.
  impatient.ack(17000);  // full
  REQUIRE_FALSE(impatient.cc.in_fast_recovery());
  impatient.lose_one_of(20000);
  CHECK(impatient.ack(1000).restart_retransmit_timer);
}

TEST_CASE("full ACK exits fast recovery with cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)",
          "[tcp][congestion][fast-recovery]") {
  SECTION("nothing else outstanding: one segment more than in flight, not a burst of ssthresh") {
    Sender s;
    s.lose_one_of(20000);
    s.dups(5);
    const CongestionUpdate u = s.ack(20000);
    CHECK(u.action == CongestionAction::ExitFastRecovery);
    CHECK(u.cwnd == 2000);
    CHECK(u.ssthresh == 10000);
    CHECK(u.restart_retransmit_timer);
    CHECK_FALSE(u.retransmit_now);
    CHECK_FALSE(s.cc.in_fast_recovery());
    // Then slow start back up towards ssthresh.
    s.send(2000);
    CHECK(s.ack(1000).action == CongestionAction::SlowStart);
  }
  SECTION("new data sent during recovery still in flight: cwnd = ssthresh") {
    Sender s;
    s.lose_one_of(20000);
    s.dups(10);
    s.send(15000);  // allowed by the inflated window
    const CongestionUpdate u = s.ack(20000);
    CHECK(u.action == CongestionAction::ExitFastRecovery);
    CHECK(u.cwnd == 10000);
    CHECK(s.ack(1000).action == CongestionAction::CongestionAvoidance);
  }
  SECTION("an ACK beyond recover is a full ACK too") {
    Sender s;
    s.lose_one_of(20000);
    s.send(5000);
    CHECK(s.ack(22000).action == CongestionAction::ExitFastRecovery);
  }
}

TEST_CASE("RTO -> cwnd is one SMSS and ssthresh half the flight size", "[tcp][congestion][rto]") {
  Sender s;
  s.send(20000);
  const CongestionUpdate u = s.timeout();
  CHECK(u.action == CongestionAction::LossWindow);
  CHECK(u.cwnd == 1000);
  CHECK(u.ssthresh == 10000);
  CHECK(u.recover == s.nxt);
  CHECK_FALSE(u.restart_retransmit_timer);
  CHECK(s.ack(1000).action == CongestionAction::SlowStart);
}

TEST_CASE("RTO never sets ssthresh below 2 SMSS", "[tcp][congestion][rto]") {
  Sender s;
  s.send(1000);
  CHECK(s.timeout().ssthresh == 2000);
}

TEST_CASE("a repeated RTO of the same segment keeps ssthresh, a timeout after progress halves again",
          "[tcp][congestion][rto]") {
  Sender s;
  s.send(40000);
  CHECK(s.timeout().ssthresh == 20000);
  CHECK(s.timeout().ssthresh == 20000);  // backoff: same segment, not a new loss
  CHECK(s.timeout().cwnd == 1000);
  s.ack(1000);
  CHECK(s.timeout().ssthresh == 19500);  // 39000 in flight
}

TEST_CASE("RTO during fast recovery leaves it and records recover", "[tcp][congestion][rto]") {
  Sender s;
  s.lose_one_of(20000);
  s.send(3000);
  const CongestionUpdate u = s.timeout();
  CHECK(u.action == CongestionAction::LossWindow);
  CHECK_FALSE(s.cc.in_fast_recovery());
  CHECK(s.cc.cwnd() == 1000);
  CHECK(s.cc.ssthresh() == 11500);  // half of the 23000 then in flight
  CHECK(s.cc.recover() == s.nxt);
}

TEST_CASE("no second fast retransmit until an ACK reaches recover", "[tcp][congestion][fast-retransmit]") {
  Sender s;
  s.send(20000);
  s.timeout();
  const SeqNum recover = s.cc.recover();
  const std::uint32_t ssthresh = s.cc.ssthresh();
  // Go-back-N after the timeout makes the receiver repeat its ACK: these
  // duplicates are below recover and must not halve ssthresh again.
  s.ack(1000);
  s.dups(2);
  const CongestionUpdate third = s.dup();
  CHECK(third.action == CongestionAction::FastRetransmitSuppressed);
  CHECK_FALSE(third.retransmit_now);
  CHECK_FALSE(third.window_changed());
  CHECK(s.cc.ssthresh() == ssthresh);
  CHECK_FALSE(s.cc.in_fast_recovery());
  CHECK(s.dup().action == CongestionAction::DuplicateAck);
  CHECK(s.dup().action == CongestionAction::DuplicateAck);

  // Once SND.UNA reaches recover, three duplicates are a new loss.
  s.ack(static_cast<std::uint32_t>(recover - s.una));
  REQUIRE(s.una == recover);
  s.send(8000);
  const CongestionUpdate next = s.dups(3);
  CHECK(next.action == CongestionAction::EnterFastRecovery);
  CHECK(next.retransmit_now);
}

TEST_CASE("recover follows SND.UNA so fast retransmit still works after 2^31 bytes and a wrap",
          "[tcp][congestion][fast-retransmit]") {
  Sender s{NewRenoConfig{smss}, SeqNum{0xffff0000u}};
  for (int i = 0; i < 3; ++i) {
    s.send(1u << 30);
    s.ack(1u << 30);
  }
  s.send(20000);
  CHECK(s.dups(3).action == CongestionAction::EnterFastRecovery);
}

TEST_CASE("byte counting slow start after an RTO limits growth to one SMSS per ACK", "[tcp][congestion][rto]") {
  Sender s{config(WindowGrowth::ByteCounting)};
  s.send(40000);
  s.timeout();
  CHECK(s.ack(4000).cwnd == 2000);  // L = 1*SMSS right after a timeout
  CHECK(s.ack(4000).cwnd == 3000);
}

TEST_CASE("restart after idle returns cwnd to at most the initial window", "[tcp][congestion]") {
  Sender s;
  s.send(40000);
  for (int i = 0; i < 20; ++i) s.ack(1000);
  REQUIRE(s.cc.cwnd() == 24000);
  const CongestionUpdate u = s.cc.on_idle_restart();
  CHECK(u.action == CongestionAction::RestartWindow);
  CHECK(u.cwnd == 4000);
  s.timeout();
  CHECK(s.cc.on_idle_restart().cwnd == 1000);  // already smaller: kept
}

TEST_CASE("a retransmitted SYN makes the first window one segment", "[tcp][congestion][iw]") {
  NewReno cc{NewRenoConfig{1460}, SeqNum{}};
  const CongestionUpdate u = cc.on_handshake_retransmitted();
  CHECK(u.action == CongestionAction::SynLossWindow);
  CHECK(u.cwnd_before == 4380);
  CHECK(u.cwnd == 1460);
}

TEST_CASE("every congestion action has a trace name and an explanation", "[tcp][congestion]") {
  const CongestionAction all[] = {
      CongestionAction::SlowStart,          CongestionAction::CongestionAvoidance,
      CongestionAction::DuplicateAck,       CongestionAction::FastRetransmitSuppressed,
      CongestionAction::EnterFastRecovery,  CongestionAction::WindowInflation,
      CongestionAction::PartialAck,         CongestionAction::ExitFastRecovery,
      CongestionAction::LossWindow,         CongestionAction::RestartWindow,
      CongestionAction::SynLossWindow,
  };
  std::set<std::string> names;
  for (const CongestionAction a : all) {
    names.insert(std::string{to_string(a)});
    CHECK(to_string(a) != "?");
    CHECK_FALSE(explain(a).empty());
  }
  CHECK(names.size() == std::size(all));
  CHECK(to_string(CongestionAction::EnterFastRecovery) == "enter-fast-recovery");
}
