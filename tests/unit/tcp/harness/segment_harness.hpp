#pragma once
// SegmentHarness: the test plays the peer of ONE tcp::Connection, packetdrill
// style, on virtual time. The harness is the connection's Owner, so every
// segment the connection sends is captured here instead of going to a wire;
// the test injects the peer's segments, expects ours, and moves the clock.
//
//   SegmentHarness h;                         // 10.0.0.1:49152 -> 10.0.0.2:80, ISS 1000
//   h.connect();
//   h.expect_sent(syn().seq(h.iss()).mss(1460));
//   h.advance(1s);
//   h.expect_sent(syn().seq(h.iss()));       // retransmitted
//   h.inject(syn_ack().seq(5000).ack(h.iss() + 1).window(65535).mss(1460));
//   h.expect_sent(ack().seq(h.iss() + 1).ack(5001));
//   h.expect_state(State::Established);
//
// Every call is a numbered step of a narrative, together with what the
// connection did in between: each segment it sent, each state change (from
// the trace, with its cause and RFC section), each timer that fired, each
// segment it dropped and why. The first expectation that fails ends the
// Catch test with that narrative, ending in "EXPECTED ..., GOT ...".
//
// After every step the harness also checks one invariant on its own: the
// connection's state() is the `to` of the last TcpStateChanged it traced
// (CLOSED before any), and each traced change starts where the previous one
// ended. A state written anywhere but the one door shows up here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/four_tuple.hpp"
#include "base/seq_num.hpp"
#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "sinks/recorder.hpp"
#include "tcp/connection.hpp"
#include "tcp/tcp_config.hpp"
#include "tcp/tcp_state.hpp"
#include "trace/trace_bus.hpp"
#include "wire/tcp.hpp"

namespace netstep::tcp::test {

// A segment described field by field. Injected, the fields left unset take
// defaults (window 65535, no options, no payload; seq is required). Expected,
// the fields left unset are "don't care"; the control bits are always
// compared (SYN, ACK, FIN, RST exactly; PSH only when psh() was called).
class SegmentSpec {
 public:
  SegmentSpec() = default;
  explicit SegmentSpec(std::uint8_t flags) : flags_{flags} {}

  SegmentSpec& seq(SeqNum s) { seq_ = s; return *this; }
  SegmentSpec& seq(std::uint32_t s) { return seq(SeqNum{s}); }
  // Sets the acknowledgment number and the ACK bit.
  SegmentSpec& ack(SeqNum a) { ack_ = a; flags_ |= wire::TcpFlags::ack; return *this; }
  SegmentSpec& ack(std::uint32_t a) { return ack(SeqNum{a}); }
  SegmentSpec& window(std::uint16_t w) { window_ = w; return *this; }
  SegmentSpec& psh() { flags_ |= wire::TcpFlags::psh; check_psh_ = true; return *this; }
  // Expected only: this bit may be set or not (a RST from ABORT may carry
  // ACK; a FIN may ride on the last data segment or follow it).
  SegmentSpec& ack_bit_either() { either_bits_ |= wire::TcpFlags::ack; return *this; }
  SegmentSpec& fin_bit_either() { either_bits_ |= wire::TcpFlags::fin; return *this; }

  // Options. mss(n) / wscale(n): present with that value; mss() / wscale():
  // expected present, any value; no_mss() / no_wscale(): expected absent.
  SegmentSpec& mss(std::uint16_t m) { mss_ = {Want::Equals, m}; return *this; }
  SegmentSpec& mss() { mss_ = {Want::Present, 0}; return *this; }
  SegmentSpec& no_mss() { mss_ = {Want::Absent, 0}; return *this; }
  SegmentSpec& wscale(std::uint8_t shift) { wscale_ = {Want::Equals, shift}; return *this; }
  SegmentSpec& wscale() { wscale_ = {Want::Present, 0}; return *this; }
  SegmentSpec& no_wscale() { wscale_ = {Want::Absent, 0}; return *this; }
  SegmentSpec& sack_permitted() { sack_permitted_ = true; return *this; }
  SegmentSpec& no_sack_permitted() { no_sack_permitted_ = true; return *this; }
  // Timestamps (RFC 7323): ts(val, ecr) present with those values; ts()
  // expected present, any values; no_ts() expected absent.
  SegmentSpec& ts(std::uint32_t value, std::uint32_t echo) { ts_ = {Want::Equals, value}; ts_echo_ = echo; return *this; }
  SegmentSpec& ts() { ts_ = {Want::Present, 0}; return *this; }
  SegmentSpec& no_ts() { ts_ = {Want::Absent, 0}; return *this; }
  // One SACK block [left, right) (RFC 2018), in the order given; expected:
  // exactly these blocks. no_sack(): expected without blocks.
  SegmentSpec& sack(SeqNum left, SeqNum right) { sack_.push_back({left, right}); check_sack_ = true; return *this; }
  SegmentSpec& no_sack() { sack_.clear(); check_sack_ = true; return *this; }

  // Payload: these exact bytes, or (length) that many bytes, injected as a
  // repeating 'a'..'z' pattern and expected of any content.
  SegmentSpec& payload(std::string_view text);
  SegmentSpec& payload(std::vector<std::byte> bytes);
  SegmentSpec& length(std::size_t n) { length_ = n; payload_.reset(); return *this; }
  SegmentSpec& no_payload() { return length(0); }

  // "SYN,ACK seq=5000 ack=1001 win=65535 <mss 1460>", only the fields set.
  [[nodiscard]] std::string describe() const;

  // The segment to inject, with the ports of `peer_to_us` (local = the peer);
  // the payload is borrowed from this spec.
  [[nodiscard]] wire::TcpRepr to_repr(const FourTuple& peer_to_us) const;
  // Every difference from `got`, as pairs ("ack=5001", "ack=5000"); empty if it matches.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> mismatches(const wire::TcpRepr& got) const;

  [[nodiscard]] std::optional<SeqNum> seq_value() const { return seq_; }

 private:
  enum class Want : std::uint8_t { DontCare, Absent, Present, Equals };
  struct OptionWant {
    Want want = Want::DontCare;
    std::uint32_t value = 0;
  };

  std::uint8_t flags_ = 0;
  bool check_psh_ = false;
  std::uint8_t either_bits_ = 0;
  std::optional<SeqNum> seq_;
  std::optional<SeqNum> ack_;
  std::optional<std::uint16_t> window_;
  OptionWant mss_;
  OptionWant wscale_;
  bool sack_permitted_ = false;
  bool no_sack_permitted_ = false;
  OptionWant ts_;
  std::uint32_t ts_echo_ = 0;
  std::vector<wire::SackBlock> sack_;
  bool check_sack_ = false;
  std::optional<std::vector<std::byte>> payload_;
  std::optional<std::size_t> length_;
  mutable std::vector<std::byte> generated_;  // the pattern bytes of length(n), when injected
};

// Starting points, named by their control bits.
[[nodiscard]] inline SegmentSpec syn() { return SegmentSpec{wire::TcpFlags::syn}; }
[[nodiscard]] inline SegmentSpec syn_ack() { return SegmentSpec{wire::TcpFlags::syn | wire::TcpFlags::ack}; }
[[nodiscard]] inline SegmentSpec ack() { return SegmentSpec{wire::TcpFlags::ack}; }
[[nodiscard]] inline SegmentSpec fin() { return SegmentSpec{wire::TcpFlags::fin}; }  // .ack(n) adds ACK
[[nodiscard]] inline SegmentSpec rst() { return SegmentSpec{wire::TcpFlags::rst}; }
[[nodiscard]] inline SegmentSpec rst_ack() { return SegmentSpec{wire::TcpFlags::rst | wire::TcpFlags::ack}; }

// "SYN seq=1000 win=65535 <mss 1460,wscale 3>" for a segment on the wire.
[[nodiscard]] std::string describe(const wire::TcpRepr& segment);

// One segment the connection sent, with its payload copied.
struct SentSegment {
  Instant time;
  wire::TcpRepr header;  // payload empty: see `payload`
  std::vector<std::byte> payload;
  [[nodiscard]] wire::TcpRepr repr() const {
    wire::TcpRepr r = header;
    r.payload = Bytes{payload};
    return r;
  }
};

struct HarnessAddresses {
  FourTuple tuple{Endpoint{Ipv4Address{10, 0, 0, 1}, Port{49152}}, Endpoint{Ipv4Address{10, 0, 0, 2}, Port{80}}};
  SeqNum iss{1000};
  // Our timestamp clock reads this at t=0, then counts milliseconds (RFC 7323).
  std::uint32_t ts_offset{100000};
};

class SegmentHarness final : public Connection::Owner {
 public:
  explicit SegmentHarness(TcpConfig config = {}, HarnessAddresses addresses = {});
  SegmentHarness(const SegmentHarness&) = delete;
  SegmentHarness& operator=(const SegmentHarness&) = delete;
  ~SegmentHarness() override;

  // --- user calls (each one step) -------------------------------------------
  void connect();
  void accept(const SegmentSpec& syn);
  std::size_t send(std::string_view text);
  std::size_t send(Bytes data);
  // Reads everything readable, as text.
  std::string receive();
  void close();
  void abort();

  // --- the peer --------------------------------------------------------------
  void inject(const SegmentSpec& segment);

  // --- the clock ------------------------------------------------------------
  // Runs every event due up to now + d (EventLoop::run_until).
  void advance(Duration d);
  // Runs every event due up to `t` after the harness started.
  void advance_to(Duration since_start);
  [[nodiscard]] Duration elapsed() const { return loop_.now().time_since_epoch(); }

  // --- expectations (the first failure ends the test with the narrative) ---
  // The oldest segment sent and not yet expected must match.
  void expect_sent(const SegmentSpec& segment);
  // ... and is returned, for a test that reads what it cannot predict.
  SentSegment take_sent(const SegmentSpec& segment);
  void expect_nothing_sent();
  void expect_state(State state);
  void expect_outcome(Outcome outcome);
  // Reads everything readable and compares it with `text`.
  void expect_received(std::string_view text);
  // Any other fact, in words: h.expect(conn.readable() == 0, "nothing readable").
  void expect(bool condition, std::string_view what);
  // A number, in words: h.expect_equal(conn.unacknowledged(), 5, "bytes unacknowledged").
  template <class T, class U>
  void expect_equal(const T& actual, const U& expected, std::string_view what) {
    if (equal(actual, expected)) {
      note("expect " + std::string{what} + " = " + text_of(expected) + ": ok");
      return;
    }
    fail(std::string{what} + " = " + text_of(expected), std::string{what} + " = " + text_of(actual));
  }
  // Every TcpStateChanged so far has a cause and an "RFC 9293 ..." section.
  void expect_state_changes_explained();

  // --- observers ------------------------------------------------------------
  [[nodiscard]] Connection& connection() { return *connection_; }
  [[nodiscard]] const Connection& connection() const { return *connection_; }
  [[nodiscard]] SeqNum iss() const { return connection_->iss(); }
  [[nodiscard]] const Recorder& recorder() const { return recorder_; }
  [[nodiscard]] std::vector<TcpStateChanged> state_changes() const;
  [[nodiscard]] int established_calls() const { return established_calls_; }
  [[nodiscard]] int closed_calls() const { return closed_calls_; }
  [[nodiscard]] std::size_t unexpected_sent() const { return sent_.size() - next_expected_; }
  // Everything so far, numbered: what a failure prints.
  [[nodiscard]] std::string narrative() const;

 private:
  // Connection::Owner
  void send_segment(Connection& connection, const wire::TcpRepr& segment) override;
  void connection_established(Connection& connection) override;
  void connection_closed(Connection& connection) override;

  // One numbered line of the narrative (after the trace events so far).
  void note(std::string line);
  void absorb_trace();
  void check_invariants();
  [[noreturn]] void fail(const std::string& expected, const std::string& got);

  template <class T, class U>
  static bool equal(const T& a, const U& b) {
    if constexpr (std::is_integral_v<T> && std::is_integral_v<U> && !std::is_same_v<T, bool>) {
      return std::cmp_equal(a, b);
    } else {
      return a == b;
    }
  }
  template <class T>
  static std::string text_of(const T& v) {
    if constexpr (std::is_same_v<T, SeqNum>) {
      return std::to_string(v.value());
    } else if constexpr (std::is_same_v<T, State>) {
      return std::string{to_string(v)};
    } else if constexpr (std::is_same_v<T, Outcome>) {
      return std::string{to_string(v)};
    } else if constexpr (std::is_same_v<T, Duration>) {
      return format_seconds(v) + " s";
    } else if constexpr (std::is_same_v<T, bool>) {
      return v ? "true" : "false";
    } else if constexpr (std::is_convertible_v<T, std::string_view>) {
      return std::string{std::string_view{v}};
    } else {
      return std::to_string(v);
    }
  }

  EventLoop loop_;
  TraceBus bus_{loop_};
  Recorder recorder_;
  std::optional<Connection> connection_;  // emplaced once the recorder listens

  std::vector<SentSegment> sent_;
  std::size_t next_expected_ = 0;
  std::vector<std::string> steps_;
  std::size_t trace_seen_ = 0;
  std::string violation_;  // an invariant broken inside a callback, reported after the step
  State traced_state_ = State::Closed;
  int established_calls_ = 0;
  int closed_calls_ = 0;
};

}  // namespace netstep::tcp::test
