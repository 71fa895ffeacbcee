#pragma once
// One TCP connection: the transmission control block and the state machine
// of RFC 9293 section 3.10, event by event. Every state change goes through
// set_state() and is traced with its cause and the section that governs it;
// every segment sent or received, and every change of the TCB's variables,
// is traced too.
//
// Implemented: active and passive open (with simultaneous open), the SYN
// schedule of the configured personality, MSS, window scaling and
// timestamps with PAWS (RFC 7323), SACK (RFC 2018: blocks sent, and the
// sender retransmits only the holes), delayed ACK, Nagle (TCP_NODELAY turns
// it off), zero-window probes, keepalive, RFC 6298 retransmission (Karn's
// rule), NewReno (RFC 5681/6582), orderly close in every state and
// TIME-WAIT (ended early by a newer SYN, RFC 6191), RST processing with
// RFC 5961's checks and challenge ACKs. Not implemented: urgent data (the
// URG bit is ignored, as RFC 6093 recommends new applications do).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/four_tuple.hpp"
#include "base/seq_num.hpp"
#include "event/event_loop.hpp"
#include "event/timer.hpp"
#include "tcp/congestion.hpp"
#include "tcp/connection_storage.hpp"
#include "tcp/receive_buffer.hpp"
#include "tcp/rtt_estimator.hpp"
#include "tcp/sack_scoreboard.hpp"
#include "tcp/send_buffer.hpp"
#include "tcp/shared_config.hpp"
#include "tcp/syn_schedule.hpp"
#include "tcp/tcp_config.hpp"
#include "tcp/tcp_state.hpp"
#include "tcp/timestamps.hpp"
#include "trace/trace_bus.hpp"
#include "wire/tcp.hpp"

namespace netstep::tcp {

// How a connection ended, before a personality turns it into an errno.
enum class Outcome : std::uint8_t {
  Open,      // not ended
  Closed,    // orderly close finished (or TIME-WAIT ran out)
  Refused,   // an acceptable RST answered our SYN (RFC 9293 3.10.7.3)
  TimedOut,  // the SYN schedule or the retransmission limit gave up
  Reset,     // the peer reset a synchronized connection (3.10.7.4, RFC 5961 3.2)
  Aborted,   // our own abort(): RST sent (3.10.5)
  Unreachable,  // an ICMP error about our SYN ended the handshake (soft_error() says which)
};
[[nodiscard]] std::string_view to_string(Outcome o);

// The last ICMP error about a connection (RFC 1122 4.2.3.9 calls most of them
// "soft": TCP must not abort for them). Kept for the socket layer, which
// decides what a user sees (Linux reports it as the error of a connect() that
// then times out: EHOSTUNREACH instead of ETIMEDOUT).
// What ended a connection: the fact a socket call's result names (issue 4:
// "the RST segment, the ICMP message, the timer that decided it").
struct EndCause {
  enum class Kind : std::uint8_t { Segment, IcmpError, Timer, Application };
  static constexpr std::uint64_t no_event = ~std::uint64_t{0};
  Kind kind = Kind::Timer;
  std::string_view what;                // finish()'s cause: "rcv RST,ACK: connection refused"
  Instant at{};
  // The trace event to point at: the received segment for Kind::Segment,
  // else the state change to CLOSED (whose cause names the timer or ICMP
  // error). no_event when no trace was being recorded.
  std::uint64_t trace_event = no_event;
};
[[nodiscard]] std::string_view to_string(EndCause::Kind k);

struct SoftError {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  Ipv4Address reporter;
};

class Connection {
 public:
  // What a connection needs from the TCP layer that owns it.
  class Owner {
   public:
    virtual ~Owner() = default;
    // Put one segment on the wire; the owner adds the IPv4 header.
    virtual void send_segment(Connection& connection, const wire::TcpRepr& segment) = 0;
    // Reached ESTABLISHED (once).
    virtual void connection_established(Connection& connection) = 0;
    // Reached CLOSED (once); outcome() says how. The owner must not destroy
    // the connection inside this call.
    virtual void connection_closed(Connection& connection) = 0;
  };

  // Whoever waits on this connection (a socket with a blocked task): told of
  // every state change, after it happened. It must not call back into the
  // connection or its layer from here; a socket wakes its task, which runs
  // from a later loop event.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void connection_changed(Connection& connection) = 0;
    // A segment brought data to read or freed room in the send buffer (a
    // blocked recv() or send() may go on). Same rule: do not call back.
    virtual void connection_io(Connection& /*connection*/) {}
  };
  void set_observer(Observer* observer) { observer_ = observer; }

  // `iss` comes from the layer's IsnGenerator (RFC 6528), `timestamp_offset`
  // too (per address pair, see timestamps.hpp). The configuration was
  // validated when it was shared.
  Connection(EventLoop& loop, Tracer tracer, Owner& owner, FourTuple tuple, SharedConfigPtr config, SeqNum iss,
             std::uint32_t timestamp_offset = 0);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Blocks are reused from a small per-thread list (connection_storage.hpp).
  static void* operator new(std::size_t size) { return ConnectionStorage::allocate(size); }
  static void operator delete(void* block, std::size_t size) noexcept { ConnectionStorage::release(block, size); }

  // --- user calls (RFC 9293 3.10.1 - 3.10.5) -------------------------------
  // Active OPEN: send a SYN, CLOSED -> SYN-SENT. Only from CLOSED.
  void connect();
  // Passive OPEN completed by a listener for this `syn`: SYN-RECEIVED, SYN,ACK
  // sent (3.10.7.2). Only from CLOSED.
  void accept(const wire::TcpRepr& syn);
  // Queues data; returns the bytes accepted (0 once the send side is closed
  // or while the buffer is full).
  std::size_t send(Bytes data);
  // Reads in-order data; returns the bytes read.
  std::size_t receive(MutableBytes out);
  // CLOSE: a FIN after the queued data (3.10.4).
  void close();
  // ABORT: RST to the peer if synchronized, then CLOSED (3.10.5).
  void abort();
  // TCP_NODELAY: true sends small segments at once instead of waiting for
  // the outstanding data to be acknowledged (Nagle, RFC 9293 3.7.4).
  void set_nodelay(bool nodelay);
  // SO_KEEPALIVE and its knobs; takes effect from now.
  void set_keepalive(const KeepaliveConfig& keepalive);

  // --- TIME-WAIT ended early (RFC 6191, Linux's tcp_tw_reuse) ---------------
  // A SYN for this four-tuple while it is in TIME-WAIT that may open a new
  // incarnation: its timestamp is newer than the old one's (or, without
  // timestamps, its sequence number is above RCV.NXT).
  [[nodiscard]] bool accepts_new_incarnation(const wire::TcpRepr& syn) const;
  // connect() may reuse this four-tuple: TIME-WAIT, timestamps on, and the
  // last segment from the peer came in an earlier second (Linux's rule).
  [[nodiscard]] bool reusable_by_connect(Instant now) const;
  // Ends TIME-WAIT for a new incarnation: CLOSED, outcome Closed.
  void end_time_wait(std::string_view cause, std::string_view rfc);
  // An ISS above anything this incarnation sent, for the next one (Linux:
  // SND.NXT + 65535 + 2), so old duplicates fall outside the new window.
  [[nodiscard]] SeqNum next_incarnation_iss() const { return snd_nxt_ + 65537u; }

  // --- from the network (3.10.7) -------------------------------------------
  void receive_segment(const wire::TcpRepr& segment);

  // The owner believed an ICMP error about this connection (RFC 5927 4.1).
  // An ICMP error about a segment of ours (already checked by the layer
  // against SND.UNA..SND.MAX). During the handshake the personality's
  // HandshakeIcmp decides; afterwards it is only remembered (RFC 1122
  // 4.2.3.9: TCP must not abort on a soft error), to be reported if the
  // connection times out.
  void icmp_error(const SoftError& error);

  // --- observers ----------------------------------------------------------
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] Outcome outcome() const { return outcome_; }
  // Meaningful once outcome() != Open.
  [[nodiscard]] const EndCause& end_cause() const { return end_cause_; }
  [[nodiscard]] const FourTuple& tuple() const { return tuple_; }
  // As made: the layer's defaults, the listener's, or connect()'s own.
  // Nagle and keepalive as changed since: nodelay() and keepalive().
  [[nodiscard]] const TcpConfig& config() const { return config_; }
  [[nodiscard]] bool nodelay() const { return nodelay_; }
  [[nodiscard]] const KeepaliveConfig& keepalive() const { return keepalive_; }
  [[nodiscard]] std::size_t readable() const { return receive_buffer_.readable(); }
  [[nodiscard]] bool peer_finished() const { return fin_received_; }  // the peer's FIN arrived in order
  [[nodiscard]] std::size_t send_space() const { return send_buffer_.free_space(); }
  [[nodiscard]] std::size_t unacknowledged() const { return send_buffer_.size(); }
  [[nodiscard]] SeqNum iss() const { return iss_; }
  [[nodiscard]] SeqNum snd_una() const { return snd_una_; }
  [[nodiscard]] SeqNum snd_nxt() const { return snd_nxt_; }
  [[nodiscard]] SeqNum snd_max() const { return snd_max_; }  // highest sent + 1 (SND.NXT may have gone back)
  [[nodiscard]] SeqNum rcv_nxt() const { return rcv_nxt_; }
  [[nodiscard]] std::uint32_t snd_wnd() const { return snd_wnd_; }
  [[nodiscard]] std::uint32_t rcv_wnd() const { return static_cast<std::uint32_t>(receive_buffer_.window()); }
  [[nodiscard]] std::uint16_t send_mss() const { return send_mss_; }
  [[nodiscard]] const RttEstimator& rtt() const { return rtt_; }
  [[nodiscard]] const NewReno& congestion() const { return congestion_; }
  [[nodiscard]] int syns_sent() const { return syns_sent_; }
  // The last ICMP error noted, kept after CLOSED for the socket layer.
  [[nodiscard]] const std::optional<SoftError>& soft_error() const { return soft_error_; }
  [[nodiscard]] bool timestamps_enabled() const { return timestamps_.enabled(); }
  [[nodiscard]] bool sack_enabled() const { return sack_ok_; }
  [[nodiscard]] const SackScoreboard& scoreboard() const { return scoreboard_; }
  // Payload bytes per full-sized segment: the MSS less the options every
  // segment carries (RFC 6691), Linux's mss_cache.
  [[nodiscard]] std::uint16_t segment_size() const { return effective_mss_; }

 private:
  // The one door: every state change, with its cause and RFC section.
  void set_state(State next, std::string_view cause, std::string_view rfc);
  void finish(Outcome outcome, std::string_view cause, std::string_view rfc);

  // Arrival, one function per part of RFC 9293 3.10.7.
  void receive_in_syn_sent(const wire::TcpRepr& seg);
  void receive_synchronized(const wire::TcpRepr& seg);
  [[nodiscard]] bool completes_simultaneous_open(const wire::TcpRepr& seg) const;
  void receive_simultaneous_syn_ack(const wire::TcpRepr& seg);
  [[nodiscard]] bool acceptable(const wire::TcpRepr& seg) const;
  void receive_rst(const wire::TcpRepr& seg);
  bool receive_ack(const wire::TcpRepr& seg);
  ReceiveBuffer::InsertResult receive_text(const wire::TcpRepr& seg);
  void receive_fin(bool ack_may_wait);
  void learn_peer_options(const wire::TcpRepr& syn);
  [[nodiscard]] bool ack_due_now(const ReceiveBuffer::InsertResult& result, std::size_t length, bool had_holes);
  void acknowledge_data(const ReceiveBuffer::InsertResult& result, std::size_t length, bool had_holes);
  void schedule_delayed_ack();

  // Sending.
  void send_syn(bool with_ack);
  void send_ack();
  void send_ack_for_invalid(const wire::TcpRepr& seg);
  void send_rst(SeqNum seq, std::optional<SeqNum> ack);
  void send_pending();
  void send_data_segment(std::size_t offset, std::size_t length, bool fin);
  [[nodiscard]] bool nagle_holds(std::size_t length, std::size_t unsent) const;
  void send_probe();  // SEQ = SND.UNA - 1, no data: the peer must answer with an ACK
  // Offset into the send buffer of sequence number `seq` (at or above SND.UNA).
  [[nodiscard]] std::size_t buffer_offset(SeqNum seq) const;
  // Bytes the application wrote that were never sent (from SND.NXT on).
  [[nodiscard]] std::size_t unsent_bytes() const;
  // The ACK echoes a timestamp older than our latest retransmission.
  [[nodiscard]] bool echoes_before_retransmission(const wire::TcpRepr& seg) const;
  void transmit(wire::TcpRepr& segment);
  [[nodiscard]] std::uint16_t advertised_window() const;

  // Timers.
  void on_retransmission_timer();
  void on_time_wait_timer();
  void arm_retransmission();
  void retransmit_syn();
  void retransmit_first_unacknowledged();
  void retransmit_after_partial_ack();
  void retransmit_next_sack_hole();
  void send_limited_transmit();
  void on_delayed_ack_timer();
  void on_persist_timer();
  [[nodiscard]] Duration persist_interval() const;
  void on_keepalive_timer();
  void arm_keepalive();
  void arm_persist_if_window_closed();

  void drop(std::string_view reason);
  void report_variables();
  // Bytes sent and not acknowledged: up to SND.MAX (what the network may hold)
  // and up to SND.NXT (what pacing counts, after a go-back retransmission).
  [[nodiscard]] std::uint32_t flight_size() const { return static_cast<std::uint32_t>(snd_max_ - snd_una_); }
  [[nodiscard]] std::uint32_t in_flight_from_nxt() const { return static_cast<std::uint32_t>(snd_nxt_ - snd_una_); }
  [[nodiscard]] bool syn_unacknowledged() const { return state_ != State::Closed && snd_una_ == iss_; }
  [[nodiscard]] SeqNum data_end() const;  // one past the last byte written by the application
  [[nodiscard]] bool fin_ever_sent() const;  // our FIN is below SND.MAX

  EventLoop& loop_;
  Tracer tracer_;
  Owner& owner_;
  Observer* observer_ = nullptr;
  FourTuple tuple_;
  SharedConfigPtr shared_config_;
  const TcpConfig& config_;  // *shared_config_, read-only

  State state_ = State::Closed;
  Outcome outcome_ = Outcome::Open;
  // While a segment, an ICMP error or a user call is being handled, what
  // finish() would name as the cause (timers are the default).
  EndCause::Kind handling_ = EndCause::Kind::Timer;
  std::uint64_t handling_event_ = EndCause::no_event;  // the received segment's trace event
  EndCause end_cause_;
  // Names the entry point being handled, back to timers on leaving.
  struct Handling {
    Handling(Connection& c, EndCause::Kind k) : connection{c} { connection.handling_ = k; }
    ~Handling() { connection.handling_ = EndCause::Kind::Timer; }
    Handling(const Handling&) = delete;
    Handling& operator=(const Handling&) = delete;
    Connection& connection;
  };

  // RFC 9293 3.3.1: send and receive sequence variables.
  SeqNum iss_;
  SeqNum snd_una_;
  SeqNum snd_nxt_;
  SeqNum snd_max_;             // highest sequence number sent + 1: SND.NXT goes back on a timeout, this does not
  std::uint32_t snd_wnd_ = 0;  // scaled
  SeqNum snd_wl1_;
  SeqNum snd_wl2_;
  std::uint32_t max_snd_wnd_ = 0;  // for RFC 5961 5.2's ACK check
  SeqNum irs_;
  SeqNum rcv_nxt_;

  // Negotiated in the handshake.
  std::uint16_t send_mss_ = 536;  // RFC 9293 3.7.1: the default without an MSS option
  std::uint8_t snd_scale_ = 0;    // shift applied to windows the peer sends
  std::uint8_t rcv_scale_ = 0;    // shift we apply to the windows we send
  std::uint8_t offered_scale_ = 0;
  bool peer_offered_scale_ = false;
  bool passive_ = false;
  std::uint16_t effective_mss_ = 536;  // send_mss_ less the options on every segment
  Timestamps timestamps_;
  bool peer_offered_sack_ = false;
  bool sack_ok_ = false;               // both SYNs carried SACK-permitted
  SackScoreboard scoreboard_;
  std::optional<SeqNum> high_retransmitted_;
  std::optional<std::uint32_t> last_retransmission_tsval_;  // our clock when we last sent data again  // SACK recovery: holes below this were sent again

  // Acknowledging: the ACK field of the last segment sent (RFC 7323's
  // Last.ACK.sent), and what a delayed ACK still owes.
  SeqNum last_ack_sent_;
  std::size_t unacknowledged_bytes_ = 0;  // received since our last ACK
  std::size_t largest_segment_seen_ = 0;  // the peer's segment size, as Linux's rcv_mss guesses it
  bool nodelay_ = false;
  KeepaliveConfig keepalive_;
  Instant last_heard_{};  // the last segment from the peer (keepalive idles from here)
  int keepalive_probes_ = 0;
  int persist_probes_ = 0;  // unanswered zero-window probes

  SendBuffer send_buffer_;
  ReceiveBuffer receive_buffer_;
  std::uint64_t bytes_written_ = 0;  // by the application, ever: places our FIN
  bool close_requested_ = false;     // FIN follows the data
  bool fin_received_ = false;
  std::optional<SeqNum> pending_fin_;  // the peer's FIN, seen beyond a hole

  RttEstimator rtt_;
  NewReno congestion_;
  std::optional<SeqNum> rtt_timed_seq_;  // Karn: at most one segment timed, never a retransmitted one
  Instant rtt_timed_at_{};
  int retransmissions_ = 0;              // of the current oldest segment
  const SynSchedule& syn_schedule_;  // shared_config_'s
  int syns_sent_ = 0;
  int refusals_ = 0;  // RSTs in SYN-SENT that the personality chose to sit out (Winsock)
  Instant first_syn_at_{};

  Timer retransmission_timer_;  // also the persist timer while the peer's window is closed
  Timer time_wait_timer_;
  Timer delayed_ack_timer_;
  Timer keepalive_timer_;
  std::vector<std::byte> payload_scratch_;  // one outgoing segment's data, when the ring wraps
  std::optional<TcpVariables> last_reported_;
  std::optional<SoftError> soft_error_;
  std::optional<Instant> last_invalid_ack_at_;
};

}  // namespace netstep::tcp
