// Connection: construction, the one door for state changes, the user
// calls (RFC 9293 3.10.1-3.10.5) and tracing. Segment arrival is in
// connection_receive.cpp, sending in connection_send.cpp, timers in
// connection_timers.cpp.
#include "tcp/connection.hpp"

#include <algorithm>

#include "tcp/connection_limits.hpp"

namespace netstep::tcp {

using namespace detail;
using wire::TcpFlags;

namespace {

// The smallest shift that lets a 16-bit field describe the whole buffer.
std::uint8_t scale_for(std::size_t buffer) {
  std::uint8_t shift = 0;
  while (shift < max_window_scale && (buffer >> shift) > 0xffff) ++shift;
  return shift;
}

}  // namespace

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Open: return "open";
    case Outcome::Closed: return "closed";
    case Outcome::Refused: return "refused";
    case Outcome::TimedOut: return "timed out";
    case Outcome::Reset: return "reset";
    case Outcome::Aborted: return "aborted";
    case Outcome::Unreachable: return "unreachable";
  }
  return "?";
}

std::string_view to_string(EndCause::Kind k) {
  switch (k) {
    case EndCause::Kind::Segment: return "segment";
    case EndCause::Kind::IcmpError: return "ICMP error";
    case EndCause::Kind::Timer: return "timer";
    case EndCause::Kind::Application: return "application";
  }
  return "?";
}

Connection::Connection(EventLoop& loop, Tracer tracer, Owner& owner, FourTuple tuple, SharedConfigPtr config,
                       SeqNum iss, std::uint32_t timestamp_offset)
    : loop_{loop},
      tracer_{tracer},
      owner_{owner},
      tuple_{tuple},
      shared_config_{std::move(config)},
      config_{shared_config_->tcp},
      iss_{iss},
      snd_una_{iss},
      snd_nxt_{iss},
      snd_max_{iss},
      timestamps_{timestamp_offset},
      nodelay_{config_.nodelay},
      keepalive_{config_.keepalive},
      send_buffer_{config_.send_buffer},
      receive_buffer_{config_.receive_buffer},
      rtt_{config_.rto},
      congestion_{congestion_config(config_.mss), iss},
      syn_schedule_{shared_config_->syn},
      retransmission_timer_{loop, tracer, Layer::Tcp, "tcp retransmission", [this] { on_retransmission_timer(); }},
      time_wait_timer_{loop, tracer, Layer::Tcp, "tcp time-wait", [this] { on_time_wait_timer(); }},
      delayed_ack_timer_{loop, tracer, Layer::Tcp, "tcp delayed ack", [this] { on_delayed_ack_timer(); }},
      keepalive_timer_{loop, tracer, Layer::Tcp, "tcp keepalive", [this] { on_keepalive_timer(); }} {
  offered_scale_ = config_.window_scaling ? scale_for(config_.receive_buffer) : 0;
}

// --- the one door -----------------------------------------------------------

void Connection::set_state(State next, std::string_view cause, std::string_view rfc) {
  const State previous = state_;
  state_ = next;
  if (tracer_.active()) {
    tracer_.emit(Layer::Tcp, TcpStateChanged{tuple_.local, tuple_.remote, to_string(previous), to_string(next), cause, rfc});
  }
  if (next == State::Established && previous != State::Established) {
    last_heard_ = loop_.now();
    arm_keepalive();
    owner_.connection_established(*this);
  }
  if (observer_ != nullptr && next != State::Closed) observer_->connection_changed(*this);
}

void Connection::finish(Outcome outcome, std::string_view cause, std::string_view rfc) {
  if (state_ == State::Closed && outcome_ != Outcome::Open) return;
  retransmission_timer_.cancel();
  time_wait_timer_.cancel();
  delayed_ack_timer_.cancel();
  keepalive_timer_.cancel();
  outcome_ = outcome;
  end_cause_ = EndCause{handling_, cause, loop_.now(), EndCause::no_event};
  if (tracer_.active()) {
    end_cause_.trace_event = handling_ == EndCause::Kind::Segment ? handling_event_ : tracer_.next_sequence();
  }
  set_state(State::Closed, cause, rfc);
  owner_.connection_closed(*this);
  // Last, once the outcome is final and the layer has filed the connection.
  if (observer_ != nullptr) observer_->connection_changed(*this);
}

// --- user calls -------------------------------------------------------------

void Connection::connect() {
  if (state_ != State::Closed || outcome_ != Outcome::Open) return;
  snd_una_ = iss_;
  snd_nxt_ = iss_;
  first_syn_at_ = loop_.now();
  set_state(State::SynSent, "connect() / snd SYN", "RFC 9293 3.10.1");
  send_syn(false);
  arm_retransmission();
  report_variables();
}

void Connection::accept(const wire::TcpRepr& syn) {
  if (state_ != State::Closed || outcome_ != Outcome::Open) return;
  passive_ = true;
  irs_ = syn.seq;
  rcv_nxt_ = syn.seq + 1;
  learn_peer_options(syn);
  snd_wnd_ = syn.window;  // never scaled in a SYN (RFC 7323 2.2)
  max_snd_wnd_ = snd_wnd_;
  snd_wl1_ = syn.seq;
  snd_wl2_ = iss_;
  first_syn_at_ = loop_.now();
  set_state(State::SynReceived, "rcv SYN / snd SYN,ACK", "RFC 9293 3.10.7.2");
  send_syn(true);
  arm_retransmission();
  report_variables();
}

std::size_t Connection::send(Bytes data) {
  if (close_requested_ || !(state_ == State::Established || state_ == State::CloseWait ||
                            state_ == State::SynSent || state_ == State::SynReceived)) {
    return 0;
  }
  const std::size_t accepted = send_buffer_.write(data);
  bytes_written_ += accepted;
  if (is_synchronized(state_)) send_pending();
  report_variables();
  return accepted;
}

std::size_t Connection::receive(MutableBytes out) {
  const std::size_t before = receive_buffer_.window();
  const std::size_t n = receive_buffer_.read(out);
  // Reading opened the window; tell the peer if it had nearly closed
  // (receiver-side silly window avoidance, RFC 9293 3.8.6.2.2).
  if (n > 0 && is_synchronized(state_) && before < effective_mss_ && receive_buffer_.window() >= effective_mss_) send_ack();
  report_variables();
  return n;
}

void Connection::close() {
  switch (state_) {
    case State::Closed:
    case State::Listen:
      return;
    case State::SynSent: {
      // Nothing was agreed yet: just stop (3.10.4).
      const Handling handling{*this, EndCause::Kind::Application};
      finish(Outcome::Closed, "close() in SYN-SENT", "RFC 9293 3.10.4");
      return;
    }
    case State::SynReceived:
    case State::Established:
    case State::CloseWait:
      if (close_requested_) return;
      close_requested_ = true;
      if (state_ == State::CloseWait) {
        set_state(State::LastAck, "close() / snd FIN", "RFC 9293 3.10.4");
      } else {
        set_state(State::FinWait1, "close() / snd FIN", "RFC 9293 3.10.4");
      }
      if (is_synchronized(state_)) send_pending();
      report_variables();
      return;
    default:
      return;  // already closing
  }
}

void Connection::abort() {
  if (state_ == State::Closed) return;
  // 3.10.5: a reset with SEQ = SND.NXT, except in CLOSING, LAST-ACK and
  // TIME-WAIT, where the peer has finished and nothing is owed.
  const bool peer_still_talking = state_ == State::SynReceived || state_ == State::Established ||
                                  state_ == State::FinWait1 || state_ == State::FinWait2 || state_ == State::CloseWait;
  if (peer_still_talking) send_rst(snd_nxt_, std::nullopt);
  const Handling handling{*this, EndCause::Kind::Application};
  finish(Outcome::Aborted, "abort() / snd RST", "RFC 9293 3.10.5");
}

void Connection::set_nodelay(bool nodelay) {
  nodelay_ = nodelay;
  if (nodelay && is_synchronized(state_)) send_pending();  // Linux pushes what Nagle held
}

void Connection::set_keepalive(const KeepaliveConfig& keepalive) {
  keepalive_ = keepalive;
  if (!keepalive_.enabled) {
    keepalive_timer_.cancel();
    return;
  }
  keepalive_probes_ = 0;
  arm_keepalive();
}

// --- TIME-WAIT ended early --------------------------------------------------

bool Connection::accepts_new_incarnation(const wire::TcpRepr& syn) const {
  if (state_ != State::TimeWait || !syn.flags.syn_set() || syn.flags.ack_set() || syn.flags.rst_set()) return false;
  // RFC 6191 section 2: timestamps decide when both incarnations have them;
  // otherwise the sequence number must be above anything the old one used
  // (RFC 1122 4.2.2.13).
  if (timestamps_.enabled() && syn.timestamps) return timestamps_.newer_than_recent(syn);
  return syn.seq > rcv_nxt_;
}

bool Connection::reusable_by_connect(Instant now) const {
  if (state_ != State::TimeWait || !timestamps_.enabled()) return false;
  // Linux (tcp_twsk_unique): the seconds counter has moved on since the
  // peer's last timestamp was recorded, so ours are certainly newer to it.
  const auto seconds = [](Instant t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()); };
  return seconds(now) > seconds(timestamps_.recent_set_at());
}

void Connection::end_time_wait(std::string_view cause, std::string_view rfc) {
  if (state_ == State::TimeWait) finish(Outcome::Closed, cause, rfc);
}

// --- tracing ----------------------------------------------------------------

void Connection::drop(std::string_view reason) { tracer_.emit(Layer::Tcp, Dropped{reason, {}}); }

void Connection::report_variables() {
  if (!tracer_.active()) return;
  const TcpVariables now{tuple_.local,
                         tuple_.remote,
                         snd_una_.value(),
                         snd_nxt_.value(),
                         snd_wnd_,
                         rcv_nxt_.value(),
                         rcv_wnd(),
                         congestion_.cwnd(),
                         congestion_.ssthresh(),
                         rtt_.srtt(),
                         rtt_.rttvar(),
                         rtt_.rto(),
                         static_cast<int>(rtt_.backoff_count())};
  if (last_reported_ && *last_reported_ == now) return;
  last_reported_ = now;
  tracer_.emit(Layer::Tcp, now);
}

}  // namespace netstep::tcp
