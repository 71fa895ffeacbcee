// The RFC 9293 state diagram (section 3.3.2, figure 5), transition by
// transition, and the events each state must survive unchanged: RFC 5961's
// checks in every state after SYN-SENT, user calls that the state refuses,
// retransmitted FINs, timers. Together with connection_test.cpp this covers
// every arc of the diagram a Connection can take; LISTEN belongs to the TCP
// layer's listener and is tested end to end in tests/scenario/tcp_listen_test.cpp.
//
// Each name reads "STATE + event -> what happens". The numbers are those of
// connection_test.cpp: we are 10.0.0.1:49152 with ISS 1000 (h.iss()), the
// peer is 10.0.0.2:80 with ISS 5000, so its first data byte is 5001.
//
// These tests do not depend on when a data segment is acknowledged: where an
// ACK is expected only to show what was received, expect_acked() waits for a
// delayed ACK too. ACKs that the RFC requires at once (challenge ACKs, the
// answer to an unacceptable segment, the ACK of a FIN) are expected at once.
#include <catch2/catch.hpp>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "harness/segment_harness.hpp"
#include "sinks/recorder.hpp"

using namespace netstep;
using namespace netstep::tcp;
using namespace netstep::tcp::test;

namespace {

constexpr std::uint32_t peer_iss = 5000;

// RFC 6298 as written (1 s floor): the first RTO is 1 s.
TcpConfig rfc6298_timers() {
  TcpConfig c;
  c.rto = RtoConfig::rfc6298();
  return c;
}

void establish_active(SegmentHarness& h) {
  h.connect();
  h.expect_sent(syn().seq(h.iss()));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::Established);
}

// The peer's bytes up to `through` are acknowledged: at once, or within the
// 500 ms a delayed ACK may take (RFC 9293 3.8.6.3), whichever this build does.
void expect_acked(SegmentHarness& h, std::uint32_t through) {
  for (int waited = 0; h.unexpected_sent() == 0 && waited < 500; waited += 10) h.advance(10ms);
  h.expect_sent(ack().ack(through).no_payload());
}

// The next segment that carries data, after any pure ACKs: whether the ACK
// of a handshake rides on the first data or goes before it is not the point.
void expect_data(SegmentHarness& h, const SegmentSpec& data) {
  for (;;) {
    const SentSegment s = h.take_sent(ack());
    if (s.payload.empty()) continue;
    const auto differences = data.mismatches(s.repr());
    std::string what = "the first data segment is " + data.describe();
    for (const auto& [expected, got] : differences) what += " (expected " + expected + ", got " + got + ")";
    h.expect(differences.empty(), what);
    return;
  }
}

// What an ACK from the connection carries where drive_to() left it.
struct Position {
  SeqNum snd_nxt;  // SND.NXT (= SND.MAX: nothing was retransmitted)
  SeqNum rcv_nxt;  // RCV.NXT
};

// Takes a fresh connection to `target` the ordinary way, expecting each
// segment on the way.
Position drive_to(SegmentHarness& h, State target) {
  const SeqNum iss = h.iss();
  const SeqNum peer{peer_iss};
  Position at{};
  switch (target) {
    case State::SynSent:
      h.connect();
      h.expect_sent(syn().seq(iss));
      at = {iss + 1, SeqNum{0}};
      break;
    case State::SynReceived:
      h.accept(syn().seq(peer_iss).window(65535).mss(1460));
      h.expect_sent(syn_ack().seq(iss).ack(peer + 1));
      at = {iss + 1, peer + 1};
      break;
    case State::Established:
      establish_active(h);
      at = {iss + 1, peer + 1};
      break;
    case State::FinWait1:
      establish_active(h);
      h.close();
      h.expect_sent(fin().seq(iss + 1).ack(peer + 1).no_payload());
      at = {iss + 2, peer + 1};
      break;
    case State::FinWait2:
      drive_to(h, State::FinWait1);
      h.inject(ack().seq(peer + 1).ack(iss + 2));
      at = {iss + 2, peer + 1};
      break;
    case State::CloseWait:
      establish_active(h);
      h.inject(fin().seq(peer + 1).ack(iss + 1));
      h.advance(40ms);  // the FIN's ACK waits for the delayed-ACK timer (Linux)
      h.expect_sent(ack().seq(iss + 1).ack(peer + 2).no_payload());
      at = {iss + 1, peer + 2};
      break;
    case State::Closing:
      drive_to(h, State::FinWait1);
      h.inject(fin().seq(peer + 1).ack(iss + 1));  // crosses our FIN
      h.expect_sent(ack().seq(iss + 2).ack(peer + 2).no_payload());
      at = {iss + 2, peer + 2};
      break;
    case State::LastAck:
      drive_to(h, State::CloseWait);
      h.close();
      h.expect_sent(fin().seq(iss + 1).ack(peer + 2).no_payload());
      at = {iss + 2, peer + 2};
      break;
    case State::TimeWait:
      drive_to(h, State::FinWait2);
      h.inject(fin().seq(peer + 1).ack(iss + 2));
      h.expect_sent(ack().seq(iss + 2).ack(peer + 2).no_payload());
      at = {iss + 2, peer + 2};
      break;
    case State::Closed:
    case State::Listen:
      FAIL("drive_to(" << to_string(target) << "): not a state a Connection is driven to");
  }
  h.expect_state(target);
  return at;
}

// The states after SYN-SENT, where RFC 5961 3.2 governs a RST.
constexpr State after_syn_sent[] = {State::SynReceived, State::Established, State::FinWait1,
                                    State::FinWait2,    State::CloseWait,   State::Closing,
                                    State::LastAck,     State::TimeWait};
// The synchronized states (RFC 9293 3.3.2), where RFC 5961 4.2 governs a SYN.
constexpr State synchronized_states[] = {State::Established, State::FinWait1, State::FinWait2, State::CloseWait,
                                         State::Closing,     State::LastAck,  State::TimeWait};
// Our FIN is queued or sent: SEND answers "connection closing" (RFC 9293 3.10.2).
constexpr State closing_states[] = {State::FinWait1, State::FinWait2, State::Closing, State::LastAck,
                                    State::TimeWait};

// Two connections back to back, a segment taking 1 ms, for the arcs that
// need both ends to move at once (simultaneous open and close).
struct Pair final : Connection::Owner {
  Pair()
      : a{loop, Tracer{bus, "a"}, *this, FourTuple{a_end, b_end}, share(TcpConfig{}), SeqNum{1000}},
        b{loop, Tracer{bus, "b"}, *this, FourTuple{b_end, a_end}, share(TcpConfig{}), SeqNum{900000}} {
    bus.attach(recorder);
  }
  ~Pair() override { bus.detach(recorder); }
  // Every segment takes 1 ms, so they arrive in the order sent.
  void send_segment(Connection& from, const wire::TcpRepr& segment) override {
    in_flight.push_back(
        Flight{&from == &a ? &b : &a, segment, std::vector<std::byte>(segment.payload.begin(), segment.payload.end())});
    loop.post_after(1ms, [this] { deliver(); });
  }
  void deliver() {
    Flight f = std::move(in_flight.front());
    in_flight.pop_front();
    f.segment.payload = Bytes{f.payload};
    f.to->receive_segment(f.segment);
  }
  void connection_established(Connection&) override {}
  void connection_closed(Connection&) override {}
  // Every state a connection went through, CLOSED first.
  std::vector<std::string> states_of(std::string_view host) const {
    std::vector<std::string> out{"CLOSED"};
    for (const RecordedEvent* e : recorder.all<TcpStateChanged>()) {
      if (e->host == host) out.emplace_back(e->as<TcpStateChanged>()->to);
    }
    return out;
  }

  struct Flight {
    Connection* to;
    wire::TcpRepr segment;
    std::vector<std::byte> payload;
  };
  std::deque<Flight> in_flight;
  const Endpoint a_end{Ipv4Address{10, 0, 0, 1}, Port{40000}};
  const Endpoint b_end{Ipv4Address{10, 0, 0, 2}, Port{40001}};
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  Connection a;
  Connection b;
};

}  // namespace

// ===========================================================================
// SYN-SENT (RFC 9293 3.10.2, 3.10.4, 3.10.7.3)
// ===========================================================================

TEST_CASE("SYN-SENT + close() -> CLOSED, nothing sent, no more SYNs", "[tcp][connection][states][close]") {
  SegmentHarness h;
  drive_to(h, State::SynSent);
  h.close();
  // 3.10.4, SYN-SENT: "Delete the TCB and return 'error: closing' responses
  // to any queued SENDs, or RECEIVEs."
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-SENT + send() -> queued, the data follows the handshake", "[tcp][connection][states][data]") {
  SegmentHarness h;
  drive_to(h, State::SynSent);
  // 3.10.2, SYN-SENT: "Queue the data for transmission after entering ESTABLISHED state."
  h.expect_equal(h.send("early"), 5, "bytes send() took");
  h.expect_nothing_sent();
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_state(State::Established);
  expect_data(h, ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("early"));
}

TEST_CASE("SYN-SENT + SYN, then + RST -> SYN-RECEIVED, then CLOSED, outcome Refused (simultaneous open refused)",
          "[tcp][connection][states][simultaneous][refused]") {
  SegmentHarness h;
  drive_to(h, State::SynSent);
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.expect_state(State::SynReceived);
  h.inject(rst().seq(peer_iss + 1));
  // 3.10.7.4 second, SYN-RECEIVED: "If this connection was initiated with an
  // active OPEN (i.e., came from SYN-SENT state), then the connection was
  // refused; signal the user 'connection refused'."
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Refused);
  h.expect_nothing_sent();
  h.advance(200s);
  h.expect_nothing_sent();
}

// ===========================================================================
// SYN-RECEIVED (RFC 9293 3.10.2, 3.10.4, 3.10.5, 3.10.7.4)
// ===========================================================================

TEST_CASE("SYN-RECEIVED (passive) + RST at RCV.NXT -> CLOSED, outcome Reset (back to the listener)",
          "[tcp][connection][states][passive]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.inject(rst().seq(peer_iss + 1));
  // 3.10.7.4 second: "If this connection was initiated with a passive OPEN
  // (i.e., came from the LISTEN state), then return this connection to
  // LISTEN state": the listener stays; this connection is gone, unreported.
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
  h.expect_nothing_sent();
  h.advance(200s);
  h.expect_nothing_sent();  // no SYN,ACK retransmission either
}

TEST_CASE("SYN-RECEIVED + SYN,ACK acking our SYN -> ESTABLISHED, nothing sent (simultaneous open, RFC 9293 figure 8)",
          "[tcp][connection][states][simultaneous]") {
  SegmentHarness h;
  drive_to(h, State::SynSent);
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.expect_state(State::SynReceived);
  // The peer, also in SYN-RECEIVED, answers our SYN with its SYN,ACK. Figure
  // 8 of RFC 9293 3.5 (line 6) has it take us to ESTABLISHED, as Linux does
  // (tcp_validate_incoming since 6.11). Its SEQ (5000) is below RCV.NXT
  // (5001), so a literal first check of 3.10.7.4 would drop it with an ACK
  // and wait one more round trip for the peer's ACK.
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_state(State::Established);
  h.expect_nothing_sent();
  h.expect_equal(h.established_calls(), 1, "connection_established() calls");
  h.expect_state_changes_explained();
  // No SYN,ACK retransmission later: the timer was stopped.
  h.advance(10s);
  h.expect_nothing_sent();
  h.expect_state(State::Established);
}

TEST_CASE("SYN-RECEIVED (simultaneous open) + SYN,ACK, data queued -> ESTABLISHED, the data sent at once",
          "[tcp][connection][states][simultaneous][data]") {
  SegmentHarness h;
  drive_to(h, State::SynSent);
  h.send("early");
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_state(State::Established);
  expect_data(h, ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("early"));
}

TEST_CASE("SYN-RECEIVED (simultaneous open) + SYN,ACK not acking our SYN -> ACK sent, still SYN-RECEIVED",
          "[tcp][connection][states][simultaneous]") {
  // The exception is narrow: SEQ = IRS and ACK = SND.NXT, or the ordinary
  // checks of 3.10.7.4 apply (here the first: SEQ below RCV.NXT, ACK sent).
  SegmentHarness h;
  drive_to(h, State::SynSent);
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.inject(syn_ack().seq(peer_iss).ack(h.iss()).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::SynReceived);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_state(State::Established);
  h.expect_nothing_sent();
}

TEST_CASE("SYN-RECEIVED (passive) + SYN,ACK with SEQ = IRS -> ACK sent, still SYN-RECEIVED (no simultaneous open)",
          "[tcp][connection][states][passive]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.inject(syn_ack().seq(peer_iss).ack(h.iss() + 1).window(65535).mss(1460));
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::SynReceived);
}

TEST_CASE("SYN-RECEIVED (passive) + SYN in the window -> CLOSED, back to the listener (RFC 9293 3.10.7.4 fourth)",
          "[tcp][connection][states][passive]") {
  // RFC 5961 4.2's challenge ACK is for synchronized states; 3.10.7.4 fourth
  // says for SYN-RECEIVED: "If the connection was initiated with a passive
  // OPEN, then return this connection to the LISTEN state and return."
  // (Linux resets the embryonic connection.) Commit e9e530c answered with a
  // challenge ACK and stayed in SYN-RECEIVED.
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.inject(syn().seq(peer_iss + 1 + 10).window(65535).mss(1460));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
}

TEST_CASE("SYN-RECEIVED + the peer's SYN again (our SYN,ACK lost) -> ACK, state unchanged, SYN,ACK resent on its timer",
          "[tcp][connection][states][passive]") {
  SegmentHarness h{rfc6298_timers()};
  drive_to(h, State::SynReceived);
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  // SEQ = IRS is below RCV.NXT: unacceptable, answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  // (3.10.7.4 first check). No second connection, no RST.
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.expect_state(State::SynReceived);
  h.advance_to(1s);
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.expect_state(State::SynReceived);
}

TEST_CASE("SYN-RECEIVED + FIN,ACK acking our SYN -> ESTABLISHED then CLOSE-WAIT, the FIN acknowledged",
          "[tcp][connection][states][passive][close]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  // 3.10.7.4 fifth (the ACK: ESTABLISHED), then eighth (the FIN: "SYN-RECEIVED
  // STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state").
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.advance(40ms);  // the FIN's ACK waits for the delayed-ACK timer (Linux)
  h.expect_sent(ack().seq(h.iss() + 1).ack(peer_iss + 2).no_payload());
  h.expect_state(State::CloseWait);
  h.expect(h.connection().peer_finished(), "peer_finished()");
  h.expect_equal(h.established_calls(), 1, "connection_established() calls");
  const auto changes = h.state_changes();
  h.expect_equal(changes.size(), 3u, "state changes (CLOSED -> SYN-RECEIVED -> ESTABLISHED -> CLOSE-WAIT)");
  h.expect_equal(changes[2].from, std::string_view{"ESTABLISHED"}, "the last change from");
}

TEST_CASE("SYN-RECEIVED + send() -> queued, sent once the ACK of our SYN arrives", "[tcp][connection][states][data]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.expect_equal(h.send("early"), 5, "bytes send() took");
  h.expect_nothing_sent();  // 3.10.2, SYN-RECEIVED: queued until ESTABLISHED
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_state(State::Established);
  expect_data(h, ack().seq(h.iss() + 1).ack(peer_iss + 1).payload("early"));
}

TEST_CASE("SYN-RECEIVED + close() -> FIN-WAIT-1, FIN sent, then + ACK of SYN and FIN -> FIN-WAIT-2",
          "[tcp][connection][states][close]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.close();
  // 3.10.4, SYN-RECEIVED: "If no SENDs have been issued and there is no
  // pending data to send, then form a FIN segment and send it, and enter
  // FIN-WAIT-1 state."
  h.expect_state(State::FinWait1);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1).no_payload());
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_state(State::FinWait2);
  h.expect_equal(h.connection().snd_una(), h.iss() + 2, "SND.UNA (SYN and FIN acknowledged)");
}

TEST_CASE("FIN-WAIT-1 after close() in SYN-RECEIVED, SYN,ACK unacknowledged -> the SYN,ACK is retransmitted",
          "[tcp][connection][states][close][simultaneous]") {
  // 3.10.4 moves SYN-RECEIVED to FIN-WAIT-1 with our SYN still in the
  // retransmission queue, and a segment is retransmitted until acknowledged
  // (3.8.1). Commit e9e530c resent only the FIN (SEQ=ISS+1): a peer in
  // SYN-SENT whose SYN,ACK was lost drops every FIN ("neither SYN nor RST"),
  // our answer to its retransmitted SYN is a bare ACK, and neither side can
  // synchronize until one gives up. Reached here by a simultaneous open,
  // which an application can close.
  SegmentHarness h{rfc6298_timers()};
  drive_to(h, State::SynSent);
  h.inject(syn().seq(peer_iss).window(65535).mss(1460));
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
  h.close();
  h.expect_state(State::FinWait1);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 1));
  h.advance(3s);  // the first retransmission, whatever the schedule
  h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));
}

TEST_CASE("SYN-RECEIVED (passive), SYN,ACK never acknowledged -> 5 retransmissions, then CLOSED, outcome TimedOut",
          "[tcp][connection][states][passive][timeout]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.advance(10min);
  for (int i = 0; i < 5; ++i) h.expect_sent(syn_ack().seq(h.iss()).ack(peer_iss + 1));  // Linux tcp_synack_retries
  h.expect_nothing_sent();
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
}

TEST_CASE("SYN-RECEIVED + abort() -> RST with SEQ = SND.NXT, CLOSED, outcome Aborted", "[tcp][connection][states][abort]") {
  SegmentHarness h;
  drive_to(h, State::SynReceived);
  h.abort();
  h.expect_sent(rst().seq(h.iss() + 1).ack_bit_either().no_payload());  // 3.10.5
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
  h.advance(200s);
  h.expect_nothing_sent();
}

// ===========================================================================
// ESTABLISHED (RFC 9293 3.8.3, 3.10.7.4)
// ===========================================================================

TEST_CASE("ESTABLISHED, data never acknowledged -> 15 retransmissions, then CLOSED, outcome TimedOut",
          "[tcp][connection][states][timeout]") {
  // RFC 9293 3.8.3: R2 ends the connection; here after Linux's tcp_retries2 (15).
  SegmentHarness h{rfc6298_timers()};
  drive_to(h, State::Established);
  h.send("hello");
  h.expect_sent(ack().seq(h.iss() + 1).payload("hello"));
  h.advance(1h);
  for (int i = 0; i < 15; ++i) h.expect_sent(ack().seq(h.iss() + 1).payload("hello"));
  h.expect_nothing_sent();  // no RST: the peer is presumed gone
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::TimedOut);
  h.expect_equal(h.closed_calls(), 1, "connection_closed() calls");
}

// ===========================================================================
// FIN-WAIT-1, FIN-WAIT-2: we closed, the peer may still send (half-close)
// ===========================================================================

TEST_CASE("FIN-WAIT-1 + data -> readable and acknowledged, still FIN-WAIT-1 (half-close)",
          "[tcp][connection][states][close][half-close]") {
  SegmentHarness h;
  drive_to(h, State::FinWait1);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 1).payload("more"));  // does not ack our FIN
  expect_acked(h, peer_iss + 5);
  h.expect_state(State::FinWait1);
  h.expect_received("more");
}

TEST_CASE("FIN-WAIT-2 + data, data, FIN -> everything readable, TIME-WAIT (half-close to the end)",
          "[tcp][connection][states][close][half-close]") {
  SegmentHarness h;
  drive_to(h, State::FinWait2);
  h.inject(ack().seq(peer_iss + 1).ack(h.iss() + 2).payload("one "));
  h.inject(ack().seq(peer_iss + 5).ack(h.iss() + 2).payload("two"));
  h.expect_state(State::FinWait2);
  h.inject(fin().seq(peer_iss + 8).ack(h.iss() + 2));
  h.expect_state(State::TimeWait);
  h.expect_received("one two");
  h.expect(h.connection().peer_finished(), "peer_finished()");
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 9}, "RCV.NXT (7 bytes and the FIN)");
}

TEST_CASE("FIN-WAIT-1 + close() again -> no second FIN", "[tcp][connection][states][close]") {
  SegmentHarness h;
  drive_to(h, State::FinWait1);
  h.close();
  h.expect_nothing_sent();
  h.expect_state(State::FinWait1);
}

TEST_CASE("FIN-WAIT-1 + FIN,ACK acking our FIN -> TIME-WAIT, CLOSED 2 MSL later", "[tcp][connection][states][time-wait]") {
  SegmentHarness h;
  drive_to(h, State::FinWait1);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 2));
  h.expect_sent(ack().seq(h.iss() + 2).ack(peer_iss + 2).no_payload());
  h.expect_state(State::TimeWait);
  const Duration entered = h.elapsed();
  h.advance_to(entered + 60s - 1ms);
  h.expect_state(State::TimeWait);
  h.advance_to(entered + 60s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
}

TEST_CASE("FIN-WAIT-1 + abort() -> RST with SEQ = SND.NXT, CLOSED", "[tcp][connection][states][abort]") {
  SegmentHarness h;
  drive_to(h, State::FinWait1);
  h.abort();
  h.expect_sent(rst().seq(h.iss() + 2).ack_bit_either().no_payload());  // 3.10.5
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
  h.advance(200s);
  h.expect_nothing_sent();  // and the FIN is not retransmitted
}

// ===========================================================================
// CLOSE-WAIT: the peer closed, we may still send
// ===========================================================================

TEST_CASE("CLOSE-WAIT + the peer's FIN again -> ACK again, still CLOSE-WAIT", "[tcp][connection][states][close]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::CloseWait);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));  // our ACK of it was lost
  h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
  h.expect_state(State::CloseWait);
}

TEST_CASE("CLOSE-WAIT + data beyond the peer's FIN -> ignored (RFC 9293 3.10.7.4 seventh)",
          "[tcp][connection][states][close]") {
  SegmentHarness h;
  drive_to(h, State::CloseWait);
  // "This should not occur since a FIN has been received from the remote
  // side. Ignore the segment text."
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 1).payload("late"));
  h.expect_equal(h.connection().readable(), 0, "readable()");
  h.expect_equal(h.connection().rcv_nxt(), SeqNum{peer_iss + 2}, "RCV.NXT");
  h.expect_state(State::CloseWait);
}

TEST_CASE("CLOSE-WAIT + abort() -> RST with SEQ = SND.NXT, CLOSED", "[tcp][connection][states][abort]") {
  SegmentHarness h;
  drive_to(h, State::CloseWait);
  h.abort();
  h.expect_sent(rst().seq(h.iss() + 1).ack_bit_either().no_payload());  // 3.10.5
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
}

// ===========================================================================
// CLOSING, LAST-ACK: both FINs sent, ours not yet acknowledged
// ===========================================================================

TEST_CASE("CLOSING, our FIN unacknowledged -> FIN retransmitted after the RTO", "[tcp][connection][states][close]") {
  SegmentHarness h{rfc6298_timers()};
  drive_to(h, State::Closing);
  h.advance(1s);
  h.expect_sent(fin().seq(h.iss() + 1).ack(peer_iss + 2).no_payload());
  h.expect_state(State::Closing);
}

TEST_CASE("CLOSING + the peer's FIN again -> ACK again, still CLOSING", "[tcp][connection][states][close]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::Closing);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
  h.expect_state(State::Closing);
}

TEST_CASE("CLOSING + ACK of our FIN -> TIME-WAIT, CLOSED 2 MSL later", "[tcp][connection][states][time-wait]") {
  SegmentHarness h;
  drive_to(h, State::Closing);
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2));
  h.expect_state(State::TimeWait);
  h.expect_nothing_sent();
  const Duration entered = h.elapsed();
  h.advance_to(entered + 60s - 1ms);
  h.expect_state(State::TimeWait);
  h.advance_to(entered + 60s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
}

TEST_CASE("LAST-ACK + the peer's FIN again -> ACK again, still LAST-ACK", "[tcp][connection][states][close]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::LastAck);
  h.inject(fin().seq(peer_iss + 1).ack(h.iss() + 1));
  h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
  h.expect_state(State::LastAck);
}

TEST_CASE("LAST-ACK + ACK not covering our FIN -> still LAST-ACK", "[tcp][connection][states][close]") {
  SegmentHarness h;
  drive_to(h, State::LastAck);
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 1));  // a duplicate, older than our FIN
  h.expect_state(State::LastAck);
  h.expect_outcome(Outcome::Open);
}

// ===========================================================================
// TIME-WAIT (RFC 9293 3.10.7.4, 3.10.8: 2 MSL)
// ===========================================================================

TEST_CASE("TIME-WAIT lasts the configured 2 MSL: time_wait 4 s -> CLOSED 4 s after entering",
          "[tcp][connection][states][time-wait]") {
  TcpConfig config;
  config.time_wait = 4s;
  SegmentHarness h{config};
  drive_to(h, State::TimeWait);
  const Duration entered = h.elapsed();
  h.advance_to(entered + 4s - 1ms);
  h.expect_state(State::TimeWait);
  h.advance_to(entered + 4s);
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
}

TEST_CASE("TIME-WAIT + abort() -> CLOSED without a RST", "[tcp][connection][states][abort][time-wait]") {
  SegmentHarness h;
  drive_to(h, State::TimeWait);
  h.abort();
  h.expect_nothing_sent();  // 3.10.5: "Respond with 'ok' and delete the TCB"
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Aborted);
  h.advance(120s);
  h.expect_nothing_sent();
}

TEST_CASE("TIME-WAIT + data segment -> ACK, the data ignored, 2 MSL not restarted",
          "[tcp][connection][states][time-wait]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::TimeWait);
  const Duration entered = h.elapsed();
  h.advance_to(entered + 30s);
  h.inject(ack().seq(peer_iss + 2).ack(h.iss() + 2).payload("zombie"));
  h.expect_equal(h.connection().readable(), 0, "readable()");
  h.expect_equal(h.connection().rcv_nxt(), at.rcv_nxt, "RCV.NXT");
  h.advance_to(entered + 60s);
  h.expect_state(State::Closed);  // only a retransmitted FIN restarts the wait
}

// ===========================================================================
// RST in every state after SYN-SENT (RFC 9293 3.10.7.4 second, RFC 5961 3.2)
// ===========================================================================

TEST_CASE("FIN-WAIT-1 + RST at RCV.NXT -> CLOSED, outcome Reset", "[tcp][connection][states][rst]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::FinWait1);
  h.inject(rst().seq(at.rcv_nxt));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
  h.expect_nothing_sent();
  h.advance(200s);
  h.expect_nothing_sent();  // the FIN is not retransmitted
}

TEST_CASE("FIN-WAIT-2 + RST at RCV.NXT -> CLOSED, outcome Reset", "[tcp][connection][states][rst]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::FinWait2);
  h.inject(rst().seq(at.rcv_nxt));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
  h.expect_nothing_sent();
}

TEST_CASE("CLOSE-WAIT + RST at RCV.NXT -> CLOSED, outcome Reset", "[tcp][connection][states][rst]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::CloseWait);
  h.inject(rst().seq(at.rcv_nxt));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Reset);
  h.expect_nothing_sent();
}

TEST_CASE("CLOSING + RST at RCV.NXT -> CLOSED, outcome Closed", "[tcp][connection][states][rst]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::Closing);
  h.inject(rst().seq(at.rcv_nxt));
  // 3.10.7.4 second, CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state,
  // delete the TCB, and return" (both sides had finished: no error).
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("LAST-ACK + RST at RCV.NXT -> CLOSED, outcome Closed", "[tcp][connection][states][rst]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::LastAck);
  h.inject(rst().seq(at.rcv_nxt));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
  h.advance(200s);
  h.expect_nothing_sent();
}

TEST_CASE("TIME-WAIT + RST at RCV.NXT -> CLOSED at once (RFC 9293, not RFC 1337)", "[tcp][connection][states][rst]") {
  // RFC 1337 suggests ignoring a RST in TIME-WAIT (TIME-WAIT assassination);
  // RFC 9293 3.10.7.4 and Linux's default (tcp_rfc1337 = 0) close at once.
  SegmentHarness h;
  const Position at = drive_to(h, State::TimeWait);
  h.inject(rst().seq(at.rcv_nxt));
  h.expect_state(State::Closed);
  h.expect_outcome(Outcome::Closed);
  h.expect_nothing_sent();
}

TEST_CASE("every state after SYN-SENT + RST in the window but not at RCV.NXT -> challenge ACK, state unchanged",
          "[tcp][connection][states][rfc5961][rst]") {
  for (const State state : after_syn_sent) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      const Position at = drive_to(h, state);
      h.inject(rst().seq(at.rcv_nxt + 100));
      // RFC 5961 3.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
      h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
      h.expect_nothing_sent();
      h.expect_state(state);
      h.expect_outcome(Outcome::Open);
    }
  }
}

TEST_CASE("every state after SYN-SENT + RST outside the window -> dropped silently, state unchanged",
          "[tcp][connection][states][rfc5961][rst]") {
  for (const State state : after_syn_sent) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      const Position at = drive_to(h, state);
      h.inject(rst().seq(at.rcv_nxt + 1'000'000));
      h.inject(rst_ack().seq(at.rcv_nxt - 1).ack(at.snd_nxt));  // just behind RCV.NXT
      h.expect_nothing_sent();
      h.expect_state(state);
      h.expect_outcome(Outcome::Open);
    }
  }
}

// ===========================================================================
// SYN and ACK checks in every synchronized state (RFC 5961 4.2, 5.2)
// ===========================================================================

TEST_CASE("every synchronized state + SYN -> challenge ACK, state unchanged", "[tcp][connection][states][rfc5961]") {
  for (const State state : synchronized_states) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      const Position at = drive_to(h, state);
      h.inject(syn().seq(at.rcv_nxt + 10).window(65535).mss(1460));
      // RFC 5961 4.2 / RFC 9293 3.10.7.4 fourth: "irrespective of the
      // sequence number", <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
      h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
      h.expect_nothing_sent();
      h.expect_state(state);
      h.expect_outcome(Outcome::Open);
    }
  }
}

TEST_CASE("every synchronized state + ACK of data never sent -> ACK sent, segment dropped",
          "[tcp][connection][states][rfc5961]") {
  for (const State state : synchronized_states) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      const Position at = drive_to(h, state);
      const SeqNum una = h.connection().snd_una();
      h.inject(ack().seq(at.rcv_nxt).ack(at.snd_nxt + 1000));
      // RFC 9293 3.10.7.4 fifth: SEG.ACK > SND.NXT -> send an ACK, drop.
      h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());
      h.expect_nothing_sent();
      h.expect_equal(h.connection().snd_una(), una, "SND.UNA");
      h.expect_state(state);
    }
  }
}

TEST_CASE("every synchronized state + ACK older than SND.UNA - MAX.SND.WND -> ACK sent, segment dropped",
          "[tcp][connection][states][rfc5961]") {
  for (const State state : synchronized_states) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      const Position at = drive_to(h, state);
      h.inject(ack().seq(at.rcv_nxt).ack(h.iss() - 100'000));  // MAX.SND.WND is 65535
      h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt).no_payload());  // RFC 5961 5.2
      h.expect_nothing_sent();
      h.expect_state(state);
    }
  }
}

TEST_CASE("ESTABLISHED + invalid segments in a burst -> at most one ACK per 500 ms (Linux tcp_invalid_ratelimit)",
          "[tcp][connection][states][rfc5961]") {
  SegmentHarness h;
  const Position at = drive_to(h, State::Established);
  h.inject(rst().seq(at.rcv_nxt + 100));
  h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt));
  h.inject(rst().seq(at.rcv_nxt + 200));
  h.inject(syn().seq(at.rcv_nxt + 300));
  h.expect_nothing_sent();
  h.advance(500ms);
  h.inject(rst().seq(at.rcv_nxt + 400));
  h.expect_sent(ack().seq(at.snd_nxt).ack(at.rcv_nxt));
  h.expect_state(State::Established);
}

// ===========================================================================
// SEND after CLOSE (RFC 9293 3.10.2)
// ===========================================================================

TEST_CASE("FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT + send() -> nothing taken (connection closing)",
          "[tcp][connection][states][close]") {
  for (const State state : closing_states) {
    DYNAMIC_SECTION(to_string(state)) {
      SegmentHarness h;
      drive_to(h, state);
      h.expect_equal(h.send("more"), 0, "bytes send() took");
      h.expect_nothing_sent();
      h.expect_state(state);
    }
  }
}

// ===========================================================================
// Both ends at once: simultaneous open and simultaneous close, end to end
// ===========================================================================

TEST_CASE("simultaneous open then simultaneous close, two connections: both go SYN-SENT, SYN-RECEIVED, ESTABLISHED, "
          "FIN-WAIT-1, CLOSING, TIME-WAIT, CLOSED",
          "[tcp][connection][states][simultaneous]") {
  Pair p;
  p.a.connect();
  p.b.connect();  // the SYNs cross on the wire
  p.loop.run_until(p.loop.now() + 5s);
  REQUIRE(p.a.state() == State::Established);
  REQUIRE(p.b.state() == State::Established);
  p.a.close();
  p.b.close();  // the FINs cross on the wire
  p.loop.run_until(p.loop.now() + 5s);
  CHECK(p.a.state() == State::TimeWait);
  CHECK(p.b.state() == State::TimeWait);
  p.loop.run_until(p.loop.now() + 60s);
  CHECK(p.a.state() == State::Closed);
  CHECK(p.b.state() == State::Closed);
  CHECK(p.a.outcome() == Outcome::Closed);
  CHECK(p.b.outcome() == Outcome::Closed);
  const std::vector<std::string> expected{"CLOSED",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
                                          "FIN-WAIT-1", "CLOSING",  "TIME-WAIT",    "CLOSED"};
  CHECK(p.states_of("a") == expected);
  CHECK(p.states_of("b") == expected);
}
