// Options and algorithms on one connection: timestamps and PAWS (RFC 7323),
// SACK (RFC 2018), delayed ACK (RFC 9293 3.8.6.3), Nagle and TCP_NODELAY
// (3.7.4), Limited Transmit (RFC 3042), zero-window probes (3.8.6.1) and
// keepalive (RFC 1122 4.2.3.6). The test plays the peer through
// SegmentHarness; names read "STATE + event -> what happens".
//
// Numbers: we are 10.0.0.1:49152 with ISS 1000, our timestamp clock reads
// 100000 at t=0 and counts milliseconds; the peer has ISS 5000 and its
// clock reads 7000.
#include <catch2/catch.hpp>

#include <string>

#include "harness/segment_harness.hpp"

using namespace netstep;
using namespace netstep::tcp;
using namespace netstep::tcp::test;

namespace {

constexpr std::uint32_t peer_iss = 5000;
constexpr std::uint32_t our_clock = 100000;  // HarnessAddresses::ts_offset
constexpr std::uint32_t peer_clock = 7000;

TcpConfig rfc6298_timers() {
  TcpConfig c;
  c.rto = RtoConfig::rfc6298();
  return c;
}

// Active open with a peer that answers timestamps (its SYN,ACK echoes ours).
void establish_with_timestamps(SegmentHarness& h) {
  h.connect();
  h.expect_sent(syn().seq(h.iss()).sack_permitted().ts(our_clock, 0));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460).ts(peer_clock, our_clock));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).ts(our_clock, peer_clock));
  h.expect_state(State::Established);
}

// Active open with a peer that allows SACK but does not use timestamps, so
// segments carry 1460 bytes.
void establish_with_sack(SegmentHarness& h) {
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460).sack_permitted());
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_ts());
  h.expect_state(State::Established);
}

// Active open, no options but the MSS.
void establish_plain(SegmentHarness& h) {
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  h.expect_state(State::Established);
}

std::string bytes_of(std::size_t n) { return std::string(n, 'x'); }

}  // namespace

// ===========================================================================
// Timestamps and PAWS (RFC 7323)
// ===========================================================================

TEST_CASE("CLOSED + connect() -> the SYN offers SACK, window scaling and timestamps (TSecr 0)",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()).mss(1460).sack_permitted().wscale().ts(our_clock, 0));
}

TEST_CASE("SYN-SENT + SYN,ACK with timestamps -> every later segment carries our clock and echoes TS.Recent",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  establish_with_timestamps(h);
  h.expect(h.connection().timestamps_enabled(), "timestamps in use");
  h.expect_equal(h.connection().segment_size(), 1448, "payload per segment (MSS less 12 option bytes, RFC 6691)");
  h.advance(5ms);
  h.send("hello");
  h.expect_sent(ack().seq(h.iss() + 1).payload("hello").ts(our_clock + 5, peer_clock));
}

TEST_CASE("SYN-SENT + SYN,ACK without timestamps -> none are sent (RFC 7323 3.2)",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  establish_plain(h);
  h.expect(!h.connection().timestamps_enabled(), "timestamps not in use");
  h.send("hello");
  h.expect_sent(ack().payload("hello").no_ts());
}

TEST_CASE("CLOSED + passive open of a SYN without timestamps -> the SYN,ACK offers none",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1).no_ts().no_sack_permitted().no_wscale());
}

TEST_CASE("CLOSED + passive open of a SYN with timestamps and SACK -> the SYN,ACK answers both",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460).sack_permitted().ts(peer_clock, 0));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1).sack_permitted().ts(our_clock, peer_clock));
}

TEST_CASE("ESTABLISHED + data whose TSval is older than TS.Recent -> PAWS drops it, ACK sent (RFC 7323 5.3)",
          "[tcp][connection][options][timestamps][paws]") {
  SegmentHarness h;
  establish_with_timestamps(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("old").ts(peer_clock - 1, our_clock));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).ts(our_clock, peer_clock));
  h.expect_equal(h.connection().readable(), 0, "readable()");
}

TEST_CASE("ESTABLISHED (timestamps agreed) + data without the option -> dropped silently (RFC 7323 3.2)",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  establish_with_timestamps(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("bare"));
  h.advance(100ms);
  h.expect_nothing_sent();
  h.expect_equal(h.connection().readable(), 0, "readable()");
}

TEST_CASE("ESTABLISHED + in-order data with a newer TSval -> TS.Recent takes it, the ACK echoes it",
          "[tcp][connection][options][timestamps]") {
  SegmentHarness h;
  establish_with_timestamps(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("new").ts(peer_clock + 30, our_clock));
  h.advance(40ms);  // delayed ACK
  h.expect_sent(ack().ack(peer_iss + 4).ts(our_clock + 40, peer_clock + 30));
}

TEST_CASE("ESTABLISHED, after a timeout + ACK echoing the original's timestamp -> no RTT sample (spurious, RFC 3522)",
          "[tcp][connection][options][timestamps][rtt]") {
  SegmentHarness h{rfc6298_timers()};
  establish_with_timestamps(h);
  const Duration srtt_before = h.connection().rtt().srtt();
  h.send("data");
  h.expect_sent(ack().payload("data").ts(our_clock, peer_clock));
  h.advance(1s);  // RTO (RFC 6298's 1 s floor): sent again
  h.expect_sent(ack().payload("data").ts(our_clock + 1000, peer_clock));
  // The peer had the original; its ACK (the first was lost) echoes that one.
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 5).ts(peer_clock + 1, our_clock));
  h.expect_equal(h.connection().snd_una(), h.iss() + 5, "SND.UNA");
  h.expect_equal(h.connection().rtt().srtt(), srtt_before, "SRTT (unchanged: the echo predates the retransmission)");
}

TEST_CASE("ESTABLISHED, after a timeout + ACK echoing the retransmission -> an RTT sample of 20 ms (RFC 7323 4.1)",
          "[tcp][connection][options][timestamps][rtt]") {
  SegmentHarness h{rfc6298_timers()};
  establish_with_timestamps(h);
  h.send("data");
  h.expect_sent(ack().payload("data"));
  h.advance(1s);
  h.expect_sent(ack().payload("data").ts(our_clock + 1000, peer_clock));
  h.advance(20ms);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 5).ts(peer_clock + 1, our_clock + 1000));
  // The handshake measured 0 s; 20 ms is the second sample (RFC 6298 2.3).
  h.expect_equal(h.connection().rtt().srtt(), Duration{2500us}, "SRTT (7/8 of 0 + 1/8 of 20 ms)");
}

// ===========================================================================
// SACK (RFC 2018)
// ===========================================================================

TEST_CASE("ESTABLISHED (SACK agreed) + data beyond a hole -> the duplicate ACK reports it in a SACK block",
          "[tcp][connection][options][sack]") {
  SegmentHarness h;
  establish_with_sack(h);
  h.inject(ack().seq(peer_iss + 101).ack(h.iss() + 1).length(100));
  h.expect_sent(ack().ack(peer_iss + 1).sack(SeqNum{peer_iss + 101}, SeqNum{peer_iss + 201}));
  h.inject(ack().seq(peer_iss + 301).ack(h.iss() + 1).length(100));
  // The newest block first (RFC 2018 section 4).
  h.expect_sent(ack().ack(peer_iss + 1)
                    .sack(SeqNum{peer_iss + 301}, SeqNum{peer_iss + 401})
                    .sack(SeqNum{peer_iss + 101}, SeqNum{peer_iss + 201}));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).length(100));  // fills the first hole
  h.expect_sent(ack().ack(peer_iss + 201).sack(SeqNum{peer_iss + 301}, SeqNum{peer_iss + 401}));
}

TEST_CASE("ESTABLISHED (SACK not agreed) + data beyond a hole -> duplicate ACK without SACK blocks",
          "[tcp][connection][options][sack]") {
  SegmentHarness h;
  establish_plain(h);
  h.inject(ack().seq(peer_iss + 101).ack(h.iss() + 1).length(100));
  h.expect_sent(ack().ack(peer_iss + 1).no_sack());
}

TEST_CASE("ESTABLISHED (SACK agreed), segments 1 and 3 of 5 lost -> fast retransmit of 1, then 3 on the next "
          "duplicate ACK",
          "[tcp][connection][options][sack]") {
  SegmentHarness h;
  establish_with_sack(h);
  const std::uint32_t s = 1460;
  const SeqNum first = h.iss() + 1;
  h.send(bytes_of(5 * s));
  for (int i = 0; i < 5; ++i) h.expect_sent(ack().seq(first + static_cast<std::uint32_t>(i) * s).length(s));
  const auto dup = [&] { return ack().seq(peer_iss + 1).ack(first); };
  h.inject(dup().sack(first + s, first + 2 * s));  // segment 2 arrived
  h.inject(dup().sack(first + 3 * s, first + 4 * s).sack(first + s, first + 2 * s));
  h.expect_nothing_sent();  // nothing new to send: Limited Transmit has no data
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  // Third duplicate: fast retransmit, of the first hole only.
  h.expect_sent(ack().seq(first).length(s));
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  // In recovery, the next hole the scoreboard shows, without waiting a round trip.
  h.expect_sent(ack().seq(first + 2 * s).length(s));
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  h.expect_nothing_sent();  // no hole left below the highest SACKed byte
  h.inject(ack().seq(peer_iss + 1).ack(first + 5 * s));
  h.expect_equal(h.connection().unacknowledged(), 0, "bytes unacknowledged");
}

TEST_CASE("fast recovery (SACK agreed) + partial ACK up to a hole already retransmitted -> nothing sent again",
          "[tcp][connection][options][sack][newreno]") {
  // RFC 6675 NextSeg rule 1 sends a hole once; RFC 6582 3.2 step 3 resends
  // the first unacknowledged segment on a partial ACK. With SACK the two
  // meet: segment 3 went again on the fourth duplicate ACK, so the partial
  // ACK that stops at it must not send it a third time (it is not known to
  // be lost again; if it is, the retransmission timer repairs it).
  SegmentHarness h;
  establish_with_sack(h);
  const std::uint32_t s = 1460;
  const SeqNum first = h.iss() + 1;
  h.send(bytes_of(5 * s));
  for (int i = 0; i < 5; ++i) h.expect_sent(ack().seq(first + static_cast<std::uint32_t>(i) * s).length(s));
  const auto dup = [&] { return ack().seq(peer_iss + 1).ack(first); };
  h.inject(dup().sack(first + s, first + 2 * s));
  h.inject(dup().sack(first + 3 * s, first + 4 * s).sack(first + s, first + 2 * s));
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  h.expect_sent(ack().seq(first).length(s));  // fast retransmit of segment 1
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  h.expect_sent(ack().seq(first + 2 * s).length(s));  // segment 3, the next hole
  // Segment 1 arrives again: the ACK covers 1 and 2 and stops at 3.
  h.inject(ack().seq(peer_iss + 1).ack(first + 2 * s).sack(first + 3 * s, first + 5 * s));
  h.expect(h.connection().congestion().in_fast_recovery(), "still in fast recovery (a partial ACK)");
  h.expect_nothing_sent();
  // Segment 3's retransmission arrives: everything is acknowledged.
  h.inject(ack().seq(peer_iss + 1).ack(first + 5 * s));
  h.expect(!h.connection().congestion().in_fast_recovery(), "out of fast recovery");
  h.expect_equal(h.connection().unacknowledged(), 0, "bytes unacknowledged");
  h.expect_nothing_sent();
}

TEST_CASE("fast recovery (SACK agreed), the retransmitted hole lost again -> resent once by the retransmission timer",
          "[tcp][connection][options][sack][newreno]") {
  SegmentHarness h;
  establish_with_sack(h);
  const std::uint32_t s = 1460;
  const SeqNum first = h.iss() + 1;
  h.send(bytes_of(5 * s));
  for (int i = 0; i < 5; ++i) h.expect_sent(ack().seq(first + static_cast<std::uint32_t>(i) * s).length(s));
  const auto dup = [&] { return ack().seq(peer_iss + 1).ack(first); };
  h.inject(dup().sack(first + s, first + 2 * s));
  h.inject(dup().sack(first + 3 * s, first + 4 * s).sack(first + s, first + 2 * s));
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  h.expect_sent(ack().seq(first).length(s));
  h.inject(dup().sack(first + 3 * s, first + 5 * s).sack(first + s, first + 2 * s));
  h.expect_sent(ack().seq(first + 2 * s).length(s));
  h.inject(ack().seq(peer_iss + 1).ack(first + 2 * s).sack(first + 3 * s, first + 5 * s));
  h.expect_nothing_sent();
  // Segment 3's retransmission is lost too: the timer (200 ms, restarted by
  // the partial ACK) sends it, once.
  h.advance(250ms);
  h.expect_sent(ack().seq(first + 2 * s).length(s));
  h.inject(ack().seq(peer_iss + 1).ack(first + 5 * s));
  h.expect_equal(h.connection().unacknowledged(), 0, "bytes unacknowledged");
  h.advance(10s);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED (no SACK), segments 1 and 3 of 5 lost -> segment 3 waits for NewReno's partial ACK",
          "[tcp][connection][options][sack]") {
  SegmentHarness h;
  establish_plain(h);
  const std::uint32_t s = 1460;
  const SeqNum first = h.iss() + 1;
  h.send(bytes_of(5 * s));
  for (int i = 0; i < 5; ++i) h.expect_sent(ack().seq(first + static_cast<std::uint32_t>(i) * s).length(s));
  for (int i = 0; i < 3; ++i) h.inject(ack().seq(peer_iss + 1).ack(first));
  h.expect_sent(ack().seq(first).length(s));
  h.inject(ack().seq(peer_iss + 1).ack(first));
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1).ack(first + 2 * s));  // partial ACK (RFC 6582 3.2 step 3)
  h.expect_sent(ack().seq(first + 2 * s).length(s));
}

TEST_CASE("ESTABLISHED + SACK blocks outside SND.UNA..SND.MAX -> ignored", "[tcp][connection][options][sack]") {
  SegmentHarness h;
  establish_with_sack(h);
  h.send(bytes_of(1000));
  h.expect_sent(ack().length(1000));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).sack(h.iss() + 2000, h.iss() + 3000));
  h.expect(h.connection().scoreboard().empty(), "scoreboard empty (block beyond SND.MAX)");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).sack(h.iss() - 100, h.iss() + 1));
  h.expect(h.connection().scoreboard().empty(), "scoreboard empty (D-SACK below SND.UNA)");
}

// ===========================================================================
// Delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2)
// ===========================================================================

TEST_CASE("ESTABLISHED + two full-sized segments -> the second is ACKed at once", "[tcp][connection][delayed-ack]") {
  SegmentHarness h;
  establish_plain(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).length(1460));
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1461).ack(h.iss() + 1).length(1460));
  h.expect_sent(ack().ack(peer_iss + 2921).no_payload());
  h.advance(100ms);
  h.expect_nothing_sent();  // nothing left owing
}

TEST_CASE("ESTABLISHED + data, the application answers before 40 ms -> the ACK rides on the reply",
          "[tcp][connection][delayed-ack]") {
  SegmentHarness h;
  establish_plain(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("ping"));
  h.advance(10ms);
  h.expect_received("ping");
  h.send("pong");
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 5).payload("pong"));
  h.advance(100ms);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED, delayed ACK off + data -> ACKed at once", "[tcp][connection][delayed-ack]") {
  TcpConfig config;
  config.delayed_ack = false;
  SegmentHarness h{config};
  establish_plain(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("now"));
  h.expect_sent(ack().ack(peer_iss + 4));
}

TEST_CASE("ESTABLISHED + a retransmission of data already ACKed, twice within 500 ms -> ACKed both times",
          "[tcp][connection][delayed-ack][rfc5961]") {
  SegmentHarness h;
  establish_plain(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("abc"));
  h.advance(40ms);
  h.expect_sent(ack().ack(peer_iss + 4));
  // Our ACK was lost; the peer sends the data again. The answer is not rate
  // limited: it carries data, so it cannot be part of an ACK loop.
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("abc"));
  h.expect_sent(ack().ack(peer_iss + 4));
  h.advance(100ms);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("abc"));
  h.expect_sent(ack().ack(peer_iss + 4));
}

// ===========================================================================
// Nagle and TCP_NODELAY (RFC 9293 3.7.4, RFC 896)
// ===========================================================================

TEST_CASE("ESTABLISHED + two small writes -> the second waits for the ACK of the first (Nagle)",
          "[tcp][connection][nagle]") {
  SegmentHarness h;
  establish_plain(h);
  h.send("a");
  h.expect_sent(ack().payload("a"));
  h.send("b");
  h.send("c");
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).payload("bc"));
}

TEST_CASE("ESTABLISHED, TCP_NODELAY + two small writes -> both sent at once", "[tcp][connection][nagle]") {
  SegmentHarness h;
  establish_plain(h);
  h.connection().set_nodelay(true);
  h.send("a");
  h.expect_sent(ack().payload("a"));
  h.send("b");
  h.expect_sent(ack().seq(h.iss() + 2).payload("b"));
}

TEST_CASE("ESTABLISHED, a small write held by Nagle + TCP_NODELAY set -> sent at once", "[tcp][connection][nagle]") {
  SegmentHarness h;
  establish_plain(h);
  h.send("a");
  h.expect_sent(ack().payload("a"));
  h.send("b");
  h.expect_nothing_sent();
  h.connection().set_nodelay(true);
  h.expect_sent(ack().seq(h.iss() + 2).payload("b"));
}

TEST_CASE("ESTABLISHED, a small write held by Nagle + close() -> the data goes with the FIN",
          "[tcp][connection][nagle][close]") {
  SegmentHarness h;
  establish_plain(h);
  h.send("a");
  h.expect_sent(ack().payload("a"));
  h.send("b");
  h.expect_nothing_sent();
  h.close();
  h.expect_sent(fin().ack(peer_iss + 1).seq(h.iss() + 2).payload("b"));
}

// ===========================================================================
// Limited Transmit (RFC 3042)
// ===========================================================================

TEST_CASE("ESTABLISHED, cwnd full + first and second duplicate ACK -> one new segment each (Limited Transmit)",
          "[tcp][connection][congestion]") {
  SegmentHarness h;
  establish_plain(h);
  const std::uint32_t s = 1460;
  const SeqNum first = h.iss() + 1;
  h.send(bytes_of(12 * s));
  for (int i = 0; i < 10; ++i) h.take_sent(ack().length(s));  // the initial window (RFC 6928)
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1).ack(first));  // a duplicate ACK (RFC 5681 2)
  h.expect_sent(ack().seq(first + 10 * s).length(s));
  h.inject(ack().seq(peer_iss + 1).ack(first));
  h.expect_sent(ack().seq(first + 11 * s).length(s));
  h.inject(ack().seq(peer_iss + 1).ack(first));
  h.expect_sent(ack().seq(first).length(s));  // third: fast retransmit
}

// ===========================================================================
// Zero-window probes (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17)
// ===========================================================================

TEST_CASE("ESTABLISHED, the peer's window closed + data to send -> probes with doubling intervals until it opens",
          "[tcp][connection][persist]") {
  SegmentHarness h;
  establish_plain(h);
  h.send(bytes_of(100));
  h.expect_sent(ack().length(100));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 101).window(0));  // all taken, window now closed
  h.send("more");
  h.expect_nothing_sent();
  // Persist timer: the RTO (the handshake measured 0 s, so Linux's 200 ms floor).
  h.advance(199ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  // The probe: one sequence number below SND.UNA, no data; the peer must answer.
  h.expect_sent(ack().seq(h.iss() + 100).ack(peer_iss + 1).no_payload());
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 101).window(0));
  h.advance(399ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss() + 100).no_payload());
  // The window opens: the data goes at once.
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 101).window(1000));
  h.expect_sent(ack().seq(h.iss() + 101).payload("more"));
}

TEST_CASE("ESTABLISHED, the peer's window closed + probes never answered -> CLOSED after 15, outcome TimedOut",
          "[tcp][connection][persist][timeout]") {
  SegmentHarness h;
  establish_plain(h);
  h.send(bytes_of(100));
  h.expect_sent(ack().length(100));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 101).window(0));
  h.send("more");
  for (int i = 0; i < 15; ++i) {
    h.advance(121s);
    h.take_sent(ack().seq(h.iss() + 100).no_payload());
  }
  h.advance(121s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
}

// ===========================================================================
// Keepalive (RFC 1122 4.2.3.6)
// ===========================================================================

namespace {
TcpConfig keepalive_config() {
  TcpConfig c;
  c.keepalive = KeepaliveConfig{true, 10s, 2s, 3};
  return c;
}
}  // namespace

TEST_CASE("ESTABLISHED, keepalive on, idle 10 s -> probe, answered -> quiet again for 10 s",
          "[tcp][connection][keepalive]") {
  SegmentHarness h{keepalive_config()};
  establish_plain(h);
  h.advance(9999ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss()).ack(peer_iss + 1).no_payload());  // SND.UNA - 1: the peer must answer
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1));
  h.advance(9999ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss()).no_payload());
}

TEST_CASE("ESTABLISHED, keepalive on + 3 probes unanswered -> CLOSED, outcome TimedOut",
          "[tcp][connection][keepalive][timeout]") {
  SegmentHarness h{keepalive_config()};
  establish_plain(h);
  h.advance(10s);
  h.expect_sent(ack().seq(h.iss()).no_payload());
  h.advance(2s);
  h.expect_sent(ack().seq(h.iss()).no_payload());
  h.advance(2s);
  h.expect_sent(ack().seq(h.iss()).no_payload());
  h.expect_state(State::Established);
  h.advance(2s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
}

TEST_CASE("ESTABLISHED, keepalive off (the default) + idle for a day -> nothing sent", "[tcp][connection][keepalive]") {
  SegmentHarness h;
  establish_plain(h);
  h.advance(24h);
  h.expect_nothing_sent();
  h.expect_state(State::Established);
}

TEST_CASE("ESTABLISHED + keepalive switched on later -> first probe after the idle time from the last segment",
          "[tcp][connection][keepalive]") {
  SegmentHarness h;
  establish_plain(h);
  h.advance(3s);
  h.connection().set_keepalive(KeepaliveConfig{true, 10s, 2s, 3});
  h.advance(6999ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss()).no_payload());
}
