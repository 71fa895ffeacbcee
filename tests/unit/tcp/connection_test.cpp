// The connection state machine, one event at a time: RFC 9293 section 3.10
// (event processing) and RFC 5961 (blind RST, SYN and data injection). The
// test plays the peer through SegmentHarness: inject the peer's segment,
// expect ours, move the virtual clock. Each name reads "STATE + event ->
// what happens".
//
// Numbers used throughout: we are 10.0.0.1:49152 with ISS 1000 (h.iss()),
// the peer is 10.0.0.2:80 with ISS 5000, so its first data byte is 5001.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "harness/segment_harness.hpp"

using namespace netstep;
using namespace netstep::tcp;
using namespace netstep::tcp::test;

namespace {

constexpr std::uint32_t peer_iss = 5000;

// Active open with a peer that offers MSS 1460 and no window scaling, so
// neither side scales (RFC 7323 2.2) and windows read as they are.
void establish_active(SegmentHarness& h, std::uint16_t peer_mss = 1460) {
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(peer_mss));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::Established);
}

// Passive open: the listener hands us the peer's SYN, we answer, it ACKs.
void establish_passive(SegmentHarness& h) {
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_state(State::Established);
}

// RFC 6298 as written (1 s floor), so the first RTO is 1 s whether or not
// the handshake gave an RTT sample.
TcpConfig rfc6298_timers() {
  TcpConfig c;
  c.rto = RtoConfig::rfc6298();
  return c;
}

}  // namespace

// ===========================================================================
// Active open (RFC 9293 3.10.1, 3.10.7.3)
// ===========================================================================

TEST_CASE("CLOSED + connect() -> SYN-SENT, SYN sent with MSS and window scale", "[tcp][connection][open]") {
  SegmentHarness h;
  h.expect_state(State::Closed);
  h.connect();
  h.expect_state(State::SynSent);
  // RFC 7323 2.2: the window of a SYN is never scaled, so 256 KiB shows as 65535.
  h.expect_sent(syn().seq(h.iss()).window(65535).mss(1460).wscale().no_payload());
  h.expect_nothing_sent();
  h.expect_equal(h.connection().syns_sent(), 1, "syns_sent()");
  h.expect_equal(h.connection().snd_nxt(), h.iss() + 1, "SND.NXT");
  h.expect_equal(h.connection().snd_una(), h.iss(), "SND.UNA");
}

TEST_CASE("CLOSED + connect() with window scaling off -> SYN without the window scale option",
          "[tcp][connection][open]") {
  TcpConfig config;
  config.window_scaling = false;
  SegmentHarness h{config};
  h.connect();
  h.expect_sent(syn().seq(h.iss()).mss(1460).no_wscale());
}

TEST_CASE("SYN-SENT + SYN,ACK acking our SYN -> ESTABLISHED, ACK sent", "[tcp][connection][open]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::Established);
  h.expect_nothing_sent();
  h.expect_equal(h.established_calls(), 1, "connection_established() calls");
  h.expect_equal(h.connection().snd_una(), h.iss() + 1, "SND.UNA");
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 1}, "RCV.NXT");
  h.expect_equal(h.connection().snd_wnd(), 65535u, "SND.WND");
  h.expect_equal(h.connection().send_mss(), 1460, "send MSS");
  h.expect_outcome(Outcome::Open);
}

TEST_CASE("SYN-SENT + SYN,ACK with a smaller MSS -> the send MSS is the peer's", "[tcp][connection][open]") {
  SegmentHarness h;
  establish_active(h, 536);
  h.expect_equal(h.connection().send_mss(), 536, "send MSS (RFC 9293 3.7.1: at most what the peer announced)");
}

TEST_CASE("SYN-SENT + SYN,ACK without window scale -> neither side scales its window",
          "[tcp][connection][open][wscale]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()).wscale());
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  // RFC 7323 2.2: scaling is off both ways; our 256 KiB buffer shows as 65535.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).window(65535));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(1000));
  h.expect_equal(h.connection().snd_wnd(), 1000u, "SND.WND (unscaled)");
}

TEST_CASE("SYN-SENT + SYN,ACK with window scale -> both windows scaled after the handshake",
          "[tcp][connection][open][wscale]") {
  SegmentHarness h;
  h.connect();
  const SentSegment our_syn = h.take_sent(syn().seq(h.iss()).wscale());
  const std::uint8_t our_shift = *our_syn.header.window_scale;
  h.expect(our_shift <= 14, "our window scale shift is at most 14 (RFC 7323 2.3)");
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460).wscale(7));
  // The SYN,ACK's own window is not scaled (RFC 7323 2.2).
  h.expect_equal(h.connection().snd_wnd(), 65535u, "SND.WND from the SYN,ACK (unscaled)");
  const std::uint32_t our_window = std::min<std::uint32_t>(65535, (256u * 1024u) >> our_shift);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).window(static_cast<std::uint16_t>(our_window)));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(100));
  h.expect_equal(h.connection().snd_wnd(), 100u << 7, "SND.WND = 100 << 7");
}

TEST_CASE("SYN-SENT + SYN,ACK carrying data -> ESTABLISHED, the data readable and ACKed", "[tcp][connection][open]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  // RFC 9293 3.10.7.3: "If there are other controls or text in the segment,
  // then continue processing at the sixth step under Section 3.10.7.4".
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).mss(1460).payload("hi"));
  h.expect_state(State::Established);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 3).no_payload());
  h.expect_received("hi");
}

TEST_CASE("SYN-SENT + SYN without ACK -> SYN-RECEIVED, SYN,ACK sent (simultaneous open)",
          "[tcp][connection][open][simultaneous]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_state(State::SynReceived);
  // RFC 9293 3.10.7.3: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
}

TEST_CASE("SYN-RECEIVED (simultaneous open) + ACK of our SYN -> ESTABLISHED", "[tcp][connection][open][simultaneous]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_state(State::Established);
  h.expect_nothing_sent();
  h.expect_equal(h.established_calls(), 1, "connection_established() calls");
}

// ===========================================================================
// Refused and rejected handshakes (RFC 9293 3.10.7.3)
// ===========================================================================

TEST_CASE("SYN-SENT + RST acking our SYN -> CLOSED, outcome Refused", "[tcp][connection][refused]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(rst_ack().seq(0).ack(h.iss() + 1).window(0));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Refused);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
  // Nothing is retransmitted afterwards.
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-SENT + RST with an unacceptable ACK -> ignored, the SYN schedule goes on",
          "[tcp][connection][refused]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(rst_ack().seq(0).ack(h.iss() + 5));  // acks something never sent
  h.expect_state(State::SynSent);
  h.expect_nothing_sent();  // never a RST for a RST
  h.inject(rst_ack().seq(0).ack(h.iss()));  // SEG.ACK =< ISS
  h.expect_state(State::SynSent);
  h.expect_nothing_sent();
  h.advance(1s);
  h.expect_sent(syn().seq(h.iss()));
}

TEST_CASE("SYN-SENT + RST without ACK -> ignored", "[tcp][connection][refused]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(rst().seq(peer_iss));
  h.expect_state(State::SynSent);
  h.expect_outcome(Outcome::Open);
  h.expect_nothing_sent();
  h.advance(1s);
  h.expect_sent(syn().seq(h.iss()));
}

TEST_CASE("SYN-SENT + ACK outside ISS to SND.NXT -> RST with SEQ = SEG.ACK, state unchanged",
          "[tcp][connection][refused]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  SECTION("an ACK beyond SND.NXT") {
    h.inject(ack().seq(peer_iss).ack(h.iss() + 100));
    h.expect_sent(rst().seq(h.iss() + 100).no_payload());
  }
  SECTION("an ACK at ISS") {
    h.inject(ack().seq(peer_iss).ack(h.iss()));
    h.expect_sent(rst().seq(h.iss()));
  }
  SECTION("a SYN,ACK acking something never sent") {
    h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 7).mss(1460));
    h.expect_sent(rst().seq(h.iss() + 7));
  }
  h.expect_nothing_sent();
  h.expect_state(State::SynSent);
  h.expect_outcome(Outcome::Open);
}

// ===========================================================================
// The SYN schedule (RFC 6298 5.5 backoff, Linux's tcp_syn_retries model)
// ===========================================================================

TEST_CASE("SYN-SENT, no answer, Linux defaults -> SYNs at 0 1 2 3 4 5 7 11 19 35 67 s, TimedOut at 131 s",
          "[tcp][connection][syn-schedule]") {
  SegmentHarness h;  // linux_syn_policy(): tcp_syn_retries 6, tcp_syn_linear_timeouts 4
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  for (const int at : {1, 2, 3, 4, 5, 7, 11, 19, 35, 67}) {
    h.advance_to(std::chrono::seconds{at} - 1ms);
    h.expect_nothing_sent();
    h.advance_to(std::chrono::seconds{at});
    h.expect_sent(syn().seq(h.iss()).mss(1460));
    h.expect_state(State::SynSent);
  }
  h.expect_equal(h.connection().syns_sent(), 11, "syns_sent()");
  h.advance_to(131s - 1ms);
  h.expect_state(State::SynSent);
  h.advance_to(131s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
}

TEST_CASE("SYN-SENT, no answer, TCP_SYNCNT 1 -> 3 SYNs, TimedOut at 3 s", "[tcp][connection][syn-schedule]") {
  TcpConfig config;
  config.syn_overrides.tcp_syncnt = 1;
  SegmentHarness h{config};
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.advance_to(1s);
  h.expect_sent(syn().seq(h.iss()));
  h.advance_to(2s);
  h.expect_sent(syn().seq(h.iss()));
  h.advance_to(3s - 1ms);
  h.expect_state(State::SynSent);
  h.advance_to(3s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
  h.expect_nothing_sent();
  h.expect_equal(h.connection().syns_sent(), 3, "syns_sent()");
}

TEST_CASE("SYN-SENT after a retransmitted SYN + SYN,ACK -> ESTABLISHED, no more SYNs",
          "[tcp][connection][syn-schedule]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.advance(1s);
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  h.expect_state(State::Established);
  h.advance(200s);
  h.expect_nothing_sent();
  h.expect_state(State::Established);
}

// ===========================================================================
// Passive open (RFC 9293 3.10.7.2, 3.10.7.4)
// ===========================================================================

TEST_CASE("CLOSED + accept(SYN) -> SYN-RECEIVED, SYN,ACK sent", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_state(State::SynReceived);
  // RFC 7323 1.3: no window scale in the SYN,ACK, as the SYN had none.
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1).mss(1460).no_wscale().no_payload());
  h.expect_nothing_sent();
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 1}, "RCV.NXT");
}

TEST_CASE("CLOSED + accept(SYN with window scale) -> SYN,ACK carries our window scale", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460).wscale(7));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1).mss(1460).wscale().window(65535));
}

TEST_CASE("SYN-RECEIVED + ACK of our SYN -> ESTABLISHED", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_state(State::Established);
  h.expect_nothing_sent();
  h.expect_equal(h.established_calls(), 1, "connection_established() calls");
  h.expect_equal(h.connection().snd_una(), h.iss() + 1, "SND.UNA");
}

TEST_CASE("SYN-RECEIVED + RST -> CLOSED", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(rst().seq(peer_iss + 1));  // SEG.SEQ = RCV.NXT: acceptable (RFC 5961 3.2)
  h.expect_state(State::Closed);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
  h.expect_equal(h.established_calls(), 0, "connection_established() calls");
}

TEST_CASE("SYN-RECEIVED + unacceptable ACK -> RST with SEQ = SEG.ACK, state unchanged", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 50));  // acks what was never sent
  // RFC 9293 3.10.7.4, fifth check, SYN-RECEIVED: <SEQ=SEG.ACK><CTL=RST>.
  h.expect_sent(rst().seq(h.iss() + 50).no_payload());
  h.expect_state(State::SynReceived);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-RECEIVED, no ACK for the RTO -> SYN,ACK retransmitted", "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.advance(1s - 1ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.expect_state(State::SynReceived);
}

TEST_CASE("SYN-RECEIVED + ACK carrying data -> ESTABLISHED, data readable and ACKed 40 ms later (delayed ACK)",
          "[tcp][connection][passive]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("GET /"));
  h.expect_state(State::Established);
  h.expect_nothing_sent();
  h.advance(40ms);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 6).no_payload());
  h.expect_received("GET /");
}

TEST_CASE("SYN-RECEIVED + RST in the window but not at RCV.NXT -> challenge ACK, state unchanged",
          "[tcp][connection][passive][rfc5961]") {
  SegmentHarness h;
  h.accept(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(rst().seq(peer_iss + 1 + 10));
  // RFC 5961 3.2 covers every state but SYN-SENT.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::SynReceived);
}

// ===========================================================================
// Data (RFC 9293 3.10.2, 3.10.7.4 sixth and seventh; RFC 6298; RFC 5681/6582)
// ===========================================================================

TEST_CASE("ESTABLISHED + send() -> a segment with that payload", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  CHECK(h.send("hello") == 5);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("hello"));
  h.expect_nothing_sent();
  h.expect_equal(h.connection().snd_nxt(), h.iss() + 6, "SND.NXT");
  h.expect_equal(h.connection().unacknowledged(), 5, "bytes unacknowledged");
}

TEST_CASE("ESTABLISHED + ACK of our data -> the send buffer is freed, no retransmission", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  const std::size_t space = h.connection().send_space();
  h.send("hello");
  h.expect_sent(ack().seq(h.iss() + 1).payload("hello"));
  h.expect_equal(h.connection().send_space(), space - 5, "send_space()");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 6).window(65535));
  h.expect_nothing_sent();  // a pure ACK is not answered
  h.expect_equal(h.connection().unacknowledged(), 0, "bytes unacknowledged");
  h.expect_equal(h.connection().send_space(), space, "send_space()");
  h.expect_equal(h.connection().snd_una(), h.iss() + 6, "SND.UNA");
  h.advance(130s);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + in-order data -> readable, ACKed when the delayed-ACK timer fires (40 ms)",
          "[tcp][connection][data][delayed-ack]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("hello"));
  h.advance(39ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 6).no_payload());
  h.expect_equal(h.connection().readable(), 5, "readable()");
  h.expect_received("hello");
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 6}, "RCV.NXT");
}

TEST_CASE("ESTABLISHED + data overlapping what was received -> only the new bytes kept", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("hello"));
  h.advance(40ms);
  h.expect_sent(ack().ack(peer_iss + 6));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("helloworld"));  // a retransmission with more
  h.advance(40ms);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 11));
  h.expect_received("helloworld");
}

TEST_CASE("ESTABLISHED + out-of-order data -> held, duplicate ACK sent", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 6).ack(h.iss() + 1).payload("world"));  // "hello" is missing
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());  // RFC 5681 4.2: at once
  h.expect_equal(h.connection().readable(), 0, "readable()");
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 1}, "RCV.NXT");
}

TEST_CASE("ESTABLISHED + data filling the hole -> both readable, the ACK jumps", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 6).ack(h.iss() + 1).payload("world"));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("hello"));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 11).no_payload());
  h.expect_received("helloworld");
}

TEST_CASE("ESTABLISHED, data unacknowledged -> retransmitted after 1 s, then 2 s, then 4 s (backoff)",
          "[tcp][connection][data][rto]") {
  SegmentHarness h{rfc6298_timers()};
  establish_active(h);
  const Duration start = h.elapsed();
  h.send("hello");
  h.expect_sent(ack().seq(h.iss() + 1).payload("hello"));
  Duration at = start;
  for (const Duration wait : {Duration{1s}, Duration{2s}, Duration{4s}}) {
    at += wait;
    h.advance_to(at - 1ms);
    h.expect_nothing_sent();
    h.advance_to(at);
    h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("hello"));
    h.expect_nothing_sent();
  }
  h.expect_equal(h.connection().rtt().backoff_count(), 3u, "RTO backoff count");
  // The ACK of a retransmitted segment gives no RTT sample (Karn), and stops the timer.
  const bool had_sample = h.connection().rtt().has_measurement();
  const Duration srtt = h.connection().rtt().srtt();
  h.advance(1s);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 6));
  h.expect_equal(h.connection().rtt().has_measurement(), had_sample, "has an RTT sample (Karn: none new)");
  h.expect_equal(h.connection().rtt().srtt(), srtt, "SRTT (Karn: unchanged)");
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + ACK after a measured round trip -> RTO recomputed per RFC 6298",
          "[tcp][connection][data][rto]") {
  TcpConfig config;
  config.rto = RtoConfig{1s, 100ms, 60s, 1ms};  // a low floor, so the sample shows
  SegmentHarness h{config};
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.advance(100ms);  // the handshake's round trip: a stack may time it (RFC 6298 leaves it open)
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  // What RFC 6298 2.2/2.3 make of one more 250 ms sample, from where the
  // connection stands now: RTO 750 ms if this is the first sample, 418.75 ms
  // if the handshake gave one. Either way it arrives before the RTO fires.
  RttEstimator expected = h.connection().rtt();
  expected.on_measurement(250ms);

  h.send("hello");
  h.expect_sent(ack().seq(h.iss() + 1).payload("hello"));
  h.advance(250ms);
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 6));
  h.expect_equal(h.connection().rtt().srtt(), expected.srtt(), "SRTT");
  h.expect_equal(h.connection().rtt().rttvar(), expected.rttvar(), "RTTVAR");
  h.expect_equal(h.connection().rtt().rto(), expected.rto(), "RTO");
  h.expect(h.connection().rtt().rto() != 1s, "the RTO moved away from the initial 1 s");

  // ... and the timer runs on it.
  const Duration sent_at = h.elapsed();
  h.send("world");
  h.expect_sent(ack().seq(h.iss() + 6).payload("world"));
  h.advance_to(sent_at + expected.rto() - 1ms);
  h.expect_nothing_sent();
  h.advance_to(sent_at + expected.rto());
  h.expect_sent(ack().seq(h.iss() + 6).payload("world"));
}

TEST_CASE("ESTABLISHED + three duplicate ACKs -> fast retransmit, NewReno recovery", "[tcp][connection][data][newreno]") {
  SegmentHarness h{rfc6298_timers()};
  establish_active(h, 536);  // small segments: the initial window holds four
  std::string data(4 * 536, 'x');
  h.send(data);
  for (std::uint32_t i = 0; i < 4; ++i) h.expect_sent(ack().seq(h.iss() + 1 + i * 536).length(536));
  h.expect_nothing_sent();
  // The first segment is lost; the other three each draw a duplicate ACK.
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_nothing_sent();
  h.expect(!h.connection().congestion().in_fast_recovery(), "not yet in fast recovery after two duplicates");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_sent(ack().seq(h.iss() + 1).length(536));  // RFC 5681 3.2 step 2
  h.expect_nothing_sent();
  h.expect(h.connection().congestion().in_fast_recovery(), "in fast recovery");
  // ssthresh = max(FlightSize / 2, 2 * SMSS) = max(1072, 1072) (RFC 5681 eq. 4).
  h.expect_equal(h.connection().congestion().ssthresh(), 1072u, "ssthresh");
  // The retransmission repairs the hole: everything is acknowledged.
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1 + 4 * 536).window(65535));
  h.expect(!h.connection().congestion().in_fast_recovery(), "out of fast recovery (RFC 6582 3.2 step 3)");
  h.expect_equal(h.connection().unacknowledged(), 0, "bytes unacknowledged");
  h.advance(100s);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + send() beyond the peer's window -> only the window is sent, the rest on the next ACK",
          "[tcp][connection][data][window]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(1000).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  h.send(std::string(3000, 'w'));
  h.expect_sent(ack().seq(h.iss() + 1).length(1000));  // RFC 9293 3.8.6: SND.WND limits
  h.expect_nothing_sent();
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1001).window(1000));
  h.expect_sent(ack().seq(h.iss() + 1001).length(1000));
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + FIN carrying data -> data readable, CLOSE-WAIT, one delayed ACK covers both",
          "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1).payload("bye"));
  h.expect_nothing_sent();
  h.advance(40ms);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 5).no_payload());
  h.expect_state(State::CloseWait);
  h.expect_received("bye");
}

TEST_CASE("ESTABLISHED + FIN beyond a hole -> held, then filling the hole -> CLOSE-WAIT", "[tcp][connection][data]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 6).ack(h.iss() + 1).payload("world"));  // "hello" is missing
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
  h.expect_state(State::Established);
  h.expect(!h.connection().peer_finished(), "the FIN is not in order yet");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("hello"));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 12).no_payload());  // 10 bytes and the FIN
  h.expect_state(State::CloseWait);
  h.expect_received("helloworld");
}

TEST_CASE("fast recovery + partial ACK -> the next hole is retransmitted at once (NewReno)",
          "[tcp][connection][data][newreno]") {
  SegmentHarness h{rfc6298_timers()};
  establish_active(h, 536);
  h.send(std::string(4 * 536, 'x'));
  for (std::uint32_t i = 0; i < 4; ++i) h.expect_sent(ack().seq(h.iss() + 1 + i * 536).length(536));
  // Segments 1 and 2 are lost; 3 and 4 draw two duplicates, a third comes from a window probe's echo.
  for (int i = 0; i < 3; ++i) h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).window(65535));
  h.expect_sent(ack().seq(h.iss() + 1).length(536));
  // The retransmitted segment 1 arrives: the ACK covers it only (RFC 6582 3.2 step 3, partial ACK).
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 537).window(65535));
  h.expect_sent(ack().seq(h.iss() + 537).length(536));
  h.expect(h.connection().congestion().in_fast_recovery(), "still in fast recovery");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1 + 4 * 536).window(65535));
  h.expect(!h.connection().congestion().in_fast_recovery(), "out of fast recovery");
  h.expect_nothing_sent();
}

// ===========================================================================
// Closing (RFC 9293 3.10.4, 3.10.7.4 fifth and eighth, 3.6)
// ===========================================================================

TEST_CASE("ESTABLISHED + close() -> FIN-WAIT-1, FIN sent", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_state(State::FinWait1);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
}

TEST_CASE("FIN-WAIT-1 + ACK of our FIN -> FIN-WAIT-2", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_state(State::FinWait2);
  h.expect_nothing_sent();
}

TEST_CASE("FIN-WAIT-2 + FIN -> TIME-WAIT, ACK sent", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_state(State::FinWait2);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2).no_payload());
  h.expect_state(State::TimeWait);
  h.expect(h.connection().peer_finished(), "peer_finished()");
}

TEST_CASE("TIME-WAIT + 60 s -> CLOSED, outcome Closed", "[tcp][connection][close][time-wait]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2));
  h.expect_state(State::TimeWait);
  const Duration entered = h.elapsed();
  h.advance_to(entered + 60s - 1ms);
  h.expect_state(State::TimeWait);
  h.expect_outcome(Outcome::Open);
  h.advance_to(entered + 60s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
}

TEST_CASE("FIN-WAIT-1 + FIN,ACK acking our FIN -> TIME-WAIT, ACK sent", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2));
  h.expect_state(State::TimeWait);
}

TEST_CASE("ESTABLISHED + FIN -> CLOSE-WAIT, the ACK waits for the delayed-ACK timer (Linux)", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_state(State::CloseWait);
  h.advance(39ms);
  h.expect_nothing_sent();
  h.advance(1ms);
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 2).no_payload());
  h.expect(h.connection().peer_finished(), "peer_finished()");
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + FIN with delayed_fin_ack off -> CLOSE-WAIT, ACK sent at once (FreeBSD, lwIP)",
          "[tcp][connection][close]") {
  TcpConfig config;
  config.delayed_fin_ack = false;
  SegmentHarness h{config};
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 2).no_payload());
  h.expect_state(State::CloseWait);
}

TEST_CASE("CLOSE-WAIT + close() at once -> LAST-ACK, our FIN carries the ACK of theirs, then + ACK -> CLOSED",
          "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_state(State::CloseWait);
  h.close();
  h.expect_state(State::LastAck);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 2));  // three segments close the connection, not four
  h.advance(40ms);
  h.expect_nothing_sent();  // the delayed ACK was carried by the FIN
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
}

TEST_CASE("CLOSE-WAIT + send() -> data still flows before our FIN (half-close)", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.send("bye");
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 2).payload("bye"));  // it also acknowledges the FIN
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 4));
  h.close();
  h.expect_sent(fin().seq(h.iss() + 4).ack(peer_iss + 2));
  h.expect_state(State::LastAck);
}

TEST_CASE("FIN-WAIT-1 + FIN -> CLOSING, then + ACK -> TIME-WAIT (simultaneous close)",
          "[tcp][connection][close][simultaneous]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));  // the peer's FIN, not acking ours
  h.expect_state(State::Closing);
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2).no_payload());
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2));
  h.expect_state(State::TimeWait);
  h.expect_nothing_sent();
}

TEST_CASE("TIME-WAIT + retransmitted FIN -> ACK again, the 2MSL timer restarts", "[tcp][connection][close][time-wait]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2));
  h.expect_state(State::TimeWait);
  const Duration entered = h.elapsed();
  h.advance_to(entered + 30s);
  // Our ACK was lost; the peer sends its FIN again (RFC 9293 3.10.7.4, eighth: TIME-WAIT).
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2).no_payload());
  h.expect_state(State::TimeWait);
  h.advance_to(entered + 60s);
  h.expect_state(State::TimeWait);  // would have closed here without the restart
  h.advance_to(entered + 90s - 1ms);
  h.expect_state(State::TimeWait);
  h.advance_to(entered + 90s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
}

TEST_CASE("ESTABLISHED + send() then close() -> the FIN follows the data", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.send("hello");
  h.close();
  h.expect_state(State::FinWait1);
  // The data segment may carry the FIN itself, or the FIN may follow alone.
  const SentSegment data = h.take_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("hello").fin_bit_either());
  if (!data.header.flags.fin_set()) h.expect_sent(fin().seq(h.iss() + 6).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
  h.expect_equal(h.connection().snd_nxt(), h.iss() + 7, "SND.NXT (5 bytes and the FIN)");
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 7));
  h.expect_state(State::FinWait2);
}

TEST_CASE("FIN-WAIT-1, FIN unacknowledged -> FIN retransmitted after the RTO", "[tcp][connection][close]") {
  SegmentHarness h{rfc6298_timers()};
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.advance(1s);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::FinWait1);
}

TEST_CASE("FIN-WAIT-2 + data -> readable and ACKed (the peer may still send)", "[tcp][connection][close]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2).payload("late"));
  h.advance(40ms);
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 5));
  h.expect_state(State::FinWait2);
  h.expect_received("late");
}

TEST_CASE("LAST-ACK, FIN unacknowledged -> FIN retransmitted after the RTO", "[tcp][connection][close]") {
  SegmentHarness h{rfc6298_timers()};
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 2));
  h.advance(1s);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 2));
  h.expect_state(State::LastAck);
}

// ===========================================================================
// ICMP errors (RFC 1122 4.2.3.9) and the personality's HandshakeIcmp
// ===========================================================================

namespace {
const SoftError net_unreachable{3, 0, Ipv4Address{10, 0, 0, 254}};
TcpConfig with_syn_policy(SynPolicy policy) {
  TcpConfig config;
  config.syn = std::move(policy);
  return config;
}
}  // namespace

TEST_CASE("SYN-SENT + ICMP net unreachable -> CLOSED at once, outcome Unreachable (Linux, T04)",
          "[tcp][connection][icmp]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.connection().icmp_error(net_unreachable);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Unreachable);
  h.expect(h.connection().soft_error().has_value(), "the ICMP error is kept for the caller");
  h.advance(10s);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-SENT + ICMP fragmentation needed or source quench -> ignored, still SYN-SENT", "[tcp][connection][icmp]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.connection().icmp_error(SoftError{3, 4, Ipv4Address{10, 0, 0, 254}});
  h.connection().icmp_error(SoftError{4, 0, Ipv4Address{10, 0, 0, 254}});
  h.expect_state(State::SynSent);
  h.expect(!h.connection().soft_error().has_value(), "nothing kept");
}

TEST_CASE("SYN-SENT + ICMP with Winsock's or FreeRTOS's policy -> ignored, the SYN schedule goes on",
          "[tcp][connection][icmp]") {
  for (SynPolicy policy : {winsock_syn_policy(), freertos_syn_policy()}) {
    SegmentHarness h{with_syn_policy(policy)};
    h.connect();
    h.expect_sent(syn().seq(h.iss()));
    h.connection().icmp_error(net_unreachable);
    h.expect_state(State::SynSent);
    h.expect(!h.connection().soft_error().has_value(), "nothing kept");
  }
}

TEST_CASE("SYN-SENT + ICMP with FreeBSD's policy -> kept, the attempt ends only on another after 3 retransmissions",
          "[tcp][connection][icmp]") {
  SegmentHarness h{with_syn_policy(freebsd_syn_policy())};
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.connection().icmp_error(net_unreachable);
  h.expect_state(State::SynSent);
  // FreeBSD's waits after SYNs 1 to 4: 1 s, then doubling plus 200 ms of slop.
  for (const Duration wait : {Duration{1000ms}, Duration{2200ms}, Duration{4200ms}}) {
    h.advance(wait);
    h.expect_sent(syn().seq(h.iss()));
    h.connection().icmp_error(net_unreachable);
    h.expect_state(State::SynSent);  // t_rxtshift <= 3: still only remembered
  }
  h.advance(8200ms);
  h.expect_sent(syn().seq(h.iss()));  // the fourth retransmission
  h.connection().icmp_error(net_unreachable);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Unreachable);
}

TEST_CASE("SYN-SENT + ICMP port unreachable or time exceeded with FreeBSD's policy -> the attempt ends at once",
          "[tcp][connection][icmp]") {
  // tcp_ctlinput: refusals (port, protocol, prohibited) and time exceeded
  // are hard in SYN-SENT; host and net unreachable stay soft (test above).
  for (const SoftError hard : {SoftError{3, 3, Ipv4Address{10, 0, 0, 2}}, SoftError{3, 13, Ipv4Address{10, 0, 0, 254}},
                               SoftError{11, 0, Ipv4Address{10, 0, 0, 254}}}) {
    SegmentHarness h{with_syn_policy(freebsd_syn_policy())};
    h.connect();
    h.expect_sent(syn().seq(h.iss()));
    h.connection().icmp_error(hard);
    h.expect_state(State::Closed);
    h.expect_outcome(Outcome::Unreachable);
    h.expect(h.connection().end_cause().kind == EndCause::Kind::IcmpError, "the cause is the ICMP error");
  }
}

TEST_CASE("ESTABLISHED + ICMP host unreachable -> kept as a soft error, the connection goes on (RFC 1122 4.2.3.9)",
          "[tcp][connection][icmp]") {
  SegmentHarness h;
  establish_active(h);
  h.connection().icmp_error(SoftError{3, 1, Ipv4Address{10, 0, 0, 254}});
  h.expect_state(State::Established);
  h.expect(h.connection().soft_error().has_value(), "kept for a timeout");
}

// ===========================================================================
// RFC 5961: blind reset, SYN and data injection
// ===========================================================================

TEST_CASE("ESTABLISHED + RST with SEQ = RCV.NXT -> CLOSED, outcome Reset", "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(rst().seq(peer_iss + 1));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
}

TEST_CASE("ESTABLISHED + RST in the window but not at RCV.NXT -> challenge ACK, state unchanged",
          "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(rst().seq(peer_iss + 1 + 100));
  // RFC 5961 3.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::Established);
  h.expect_outcome(Outcome::Open);
  h.expect_nothing_sent();
}

TEST_CASE("ESTABLISHED + RST outside the window -> dropped silently", "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  SECTION("far ahead") { h.inject(rst().seq(peer_iss + 1 + 1'000'000)); }
  SECTION("just behind RCV.NXT") { h.inject(rst().seq(peer_iss)); }
  SECTION("with an ACK, far behind") { h.inject(rst_ack().seq(peer_iss - 100'000).ack(h.iss() + 1)); }
  h.expect_nothing_sent();
  h.expect_state(State::Established);
  h.expect_outcome(Outcome::Open);
}

TEST_CASE("ESTABLISHED + SYN -> challenge ACK, state unchanged", "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  SECTION("a SYN in the window") { h.inject(syn().seq(peer_iss + 1 + 10).mss(1460)); }
  SECTION("a SYN at RCV.NXT") { h.inject(syn().seq(peer_iss + 1).mss(1460)); }
  SECTION("a SYN,ACK outside the window") { h.inject(syn_ack().seq(peer_iss + 2'000'000).ack(h.iss() + 1)); }
  // RFC 5961 4.2 / RFC 9293 3.10.7.4 fourth: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
  h.expect_state(State::Established);
  h.expect_outcome(Outcome::Open);
}

TEST_CASE("ESTABLISHED + ACK of data never sent -> ACK sent, segment dropped", "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1000).payload("hello"));
  // RFC 9293 3.10.7.4 fifth: SEG.ACK > SND.NXT -> send an ACK, drop the segment.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
  h.expect_equal(h.connection().readable(), 0, "readable() (the data was dropped with the segment)");
  h.expect_equal(h.connection().snd_una(), h.iss() + 1, "SND.UNA");
  h.expect_state(State::Established);
}

TEST_CASE("ESTABLISHED + ACK older than SND.UNA - MAX.SND.WND -> ACK sent, segment dropped",
          "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);  // MAX.SND.WND = 65535
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1 - 100'000).payload("hello"));
  // RFC 5961 5.2: outside [SND.UNA - MAX.SND.WND, SND.NXT] -> ACK, drop.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_equal(h.connection().readable(), 0, "readable() (the data was dropped with the segment)");
  h.expect_state(State::Established);
}

TEST_CASE("ESTABLISHED + unacceptable sequence number -> ACK sent, segment dropped", "[tcp][connection][rfc5961]") {
  SegmentHarness h;
  establish_active(h);
  SECTION("data beyond the window") {
    h.inject(ack().seq(peer_iss + 1 + 1'000'000).ack(h.iss() + 1).payload("hello"));
  }
  SECTION("data entirely before RCV.NXT (an old duplicate)") {
    h.inject(ack().seq(peer_iss - 9).ack(h.iss() + 1).payload("hello"));
  }
  SECTION("an empty segment behind RCV.NXT") { h.inject(ack().seq(peer_iss - 100).ack(h.iss() + 1)); }
  // RFC 9293 3.10.7.4 first: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_nothing_sent();
  h.expect_equal(h.connection().readable(), 0, "readable()");
  h.expect_state(State::Established);
}

// ===========================================================================
// ABORT (RFC 9293 3.10.5)
// ===========================================================================

TEST_CASE("ESTABLISHED + abort() -> RST sent, CLOSED, outcome Aborted", "[tcp][connection][abort]") {
  SegmentHarness h;
  establish_active(h);
  h.abort();
  // <SEQ=SND.NXT><CTL=RST>; an ACK bit alongside (as Linux sends) is harmless.
  h.expect_sent(rst().seq(h.iss() + 1).ack_bit_either().no_payload());
  h.expect_nothing_sent();
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-SENT + abort() -> CLOSED without a RST, outcome Aborted", "[tcp][connection][abort]") {
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.abort();
  h.expect_nothing_sent();
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
  h.advance(200s);  // and no SYN retransmission either
  h.expect_nothing_sent();
}

TEST_CASE("LAST-ACK + abort() -> CLOSED without a RST", "[tcp][connection][abort]") {
  SegmentHarness h;
  establish_active(h);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 2));
  h.expect_state(State::LastAck);
  h.abort();
  // RFC 9293 3.10.5: "CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: Respond
  // with "ok" and delete the TCB, enter CLOSED state, and return." No RST.
  h.expect_nothing_sent();
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
}

TEST_CASE("CLOSING + abort() -> CLOSED without a RST", "[tcp][connection][abort]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2));
  h.expect_state(State::Closing);
  h.abort();
  h.expect_nothing_sent();  // RFC 9293 3.10.5, as for LAST-ACK
  h.expect_state(State::Closed);
}

TEST_CASE("FIN-WAIT-2 + abort() -> RST sent, CLOSED", "[tcp][connection][abort]") {
  SegmentHarness h;
  establish_active(h);
  h.close();
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_state(State::FinWait2);
  h.abort();
  h.expect_sent(rst().seq(h.iss() + 2).ack_bit_either());  // <SEQ=SND.NXT><CTL=RST>
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
}

// ===========================================================================
// The trace: one door, with its cause and section
// ===========================================================================

TEST_CASE("every state change is traced with a cause and an RFC 9293 section", "[tcp][connection][trace]") {
  using Change = std::pair<std::string, std::string>;
  std::vector<Change> expected;
  SegmentHarness h;

  SECTION("active open, active close, TIME-WAIT expiry") {
    establish_active(h);
    h.close();
    h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
    h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
    h.advance(60s);
    expected = {{"CLOSED", "SYN-SENT"},     {"SYN-SENT", "ESTABLISHED"}, {"ESTABLISHED", "FIN-WAIT-1"},
                {"FIN-WAIT-1", "FIN-WAIT-2"}, {"FIN-WAIT-2", "TIME-WAIT"}, {"TIME-WAIT", "CLOSED"}};
  }
  SECTION("passive open, passive close") {
    establish_passive(h);
    h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
    h.close();
    h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2));
    expected = {{"CLOSED", "SYN-RECEIVED"}, {"SYN-RECEIVED", "ESTABLISHED"}, {"ESTABLISHED", "CLOSE-WAIT"},
                {"CLOSE-WAIT", "LAST-ACK"},  {"LAST-ACK", "CLOSED"}};
  }
  SECTION("simultaneous open and simultaneous close") {
    h.connect();
    h.inject(syn().seq(peer_iss).mss(1460));
    h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1));
    h.close();
    h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
    h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2));
    expected = {{"CLOSED", "SYN-SENT"},      {"SYN-SENT", "SYN-RECEIVED"}, {"SYN-RECEIVED", "ESTABLISHED"},
                {"ESTABLISHED", "FIN-WAIT-1"}, {"FIN-WAIT-1", "CLOSING"},   {"CLOSING", "TIME-WAIT"}};
  }
  SECTION("refused") {
    h.connect();
    h.inject(rst_ack().seq(0).ack(h.iss() + 1));
    expected = {{"CLOSED", "SYN-SENT"}, {"SYN-SENT", "CLOSED"}};
  }
  SECTION("timed out") {
    h.connect();
    h.advance(200s);
    expected = {{"CLOSED", "SYN-SENT"}, {"SYN-SENT", "CLOSED"}};
  }
  SECTION("reset") {
    establish_active(h);
    h.inject(rst().seq(peer_iss + 1));
    expected = {{"CLOSED", "SYN-SENT"}, {"SYN-SENT", "ESTABLISHED"}, {"ESTABLISHED", "CLOSED"}};
  }
  SECTION("RST in SYN-RECEIVED") {
    h.accept(syn().seq(peer_iss).mss(1460));
    h.inject(rst().seq(peer_iss + 1));
    expected = {{"CLOSED", "SYN-RECEIVED"}, {"SYN-RECEIVED", "CLOSED"}};
  }
  SECTION("aborted") {
    establish_active(h);
    h.abort();
    expected = {{"CLOSED", "SYN-SENT"}, {"SYN-SENT", "ESTABLISHED"}, {"ESTABLISHED", "CLOSED"}};
  }

  std::vector<Change> traced;
  for (const TcpStateChanged& c : h.state_changes()) traced.emplace_back(std::string{c.from}, std::string{c.to});
  INFO(h.narrative());
  CHECK(traced == expected);
  h.expect_state_changes_explained();
  for (const TcpStateChanged& c : h.state_changes()) {
    CHECK(c.local == h.connection().tuple().local);
    CHECK(c.remote == h.connection().tuple().remote);
  }
}

TEST_CASE("a failed expectation reports the numbered steps so far", "[tcp][connection][harness]") {
  // The harness's own failure output, checked by catching it: the narrative
  // lists the user call, the segment sent with its options, the state change
  // with its cause, and ends in EXPECTED / GOT.
  SegmentHarness h;
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).mss(1460));
  const std::string story = h.narrative();
  CHECK_THAT(story, Catch::Contains("1. [t=0.000000] Connection 10.0.0.1:49152 -> 10.0.0.2:80, ISS 1000"));
  CHECK_THAT(story, Catch::Contains("connect()"));
  CHECK_THAT(story, Catch::Contains("sent SYN seq=1000 win=65535 <mss 1460"));
  CHECK_THAT(story, Catch::Contains("state CLOSED -> SYN-SENT  ("));
  CHECK_THAT(story, Catch::Contains("inject SYN,ACK seq=5000 ack=1001"));
  CHECK_THAT(story, Catch::Contains("state SYN-SENT -> ESTABLISHED"));
  CHECK_THAT(story, Catch::Contains("sent ACK seq=1001 ack=5001"));

  // Matching, field by field, without failing the test.
  const SegmentSpec spec = ack().seq(1001).ack(5000);
  const SentSegment sent{Instant{}, spec.to_repr(h.connection().tuple()), {}};
  const auto differences = ack().seq(1001).ack(5001).mismatches(sent.repr());
  REQUIRE(differences.size() == 1);
  CHECK(differences[0].first == "ack=5001");
  CHECK(differences[0].second == "ack=5000");
  CHECK(syn().mismatches(sent.repr()).size() == 1);  // the flags differ
  CHECK(ack().payload("hi").mismatches(sent.repr()).size() == 1);
  CHECK(ack().mismatches(sent.repr()).empty());  // unset fields are "don't care"
}

TEST_CASE("a wrong expectation fails the test with the narrative (demonstration)",
          "[tcp][connection][harness][!shouldfail]") {
  // Run with -s to see the failure output: the numbered steps, then
  // "EXPECTED ack=5001, GOT ack=5002" (the peer's byte was acknowledged).
  SegmentHarness h;
  establish_active(h);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("x"));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1));
}
