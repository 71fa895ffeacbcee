#include "tcp/connection.hpp"

#include <algorithm>

namespace netstep::tcp {

namespace {

using wire::TcpFlags;

constexpr std::uint8_t max_window_scale = 14;  // RFC 7323 2.3
constexpr int max_data_retransmissions = 15;   // Linux tcp_retries2
constexpr int max_synack_retransmissions = 5;  // Linux tcp_synack_retries
constexpr Duration invalid_ack_interval = 500ms;  // Linux tcp_invalid_ratelimit

// The smallest shift that lets a 16-bit field describe the whole buffer.
std::uint8_t scale_for(std::size_t buffer) {
  std::uint8_t shift = 0;
  while (shift < max_window_scale && (buffer >> shift) > 0xffff) ++shift;
  return shift;
}

TcpConfig validated(TcpConfig config) {
  config.validate();  // throws before any member is built from it
  return config;
}

NewRenoConfig congestion_config(std::uint16_t smss) {
  NewRenoConfig config;
  config.smss = smss;
  config.initial_window = InitialWindow::Iw10;  // Linux (RFC 6928)
  return config;
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
  }
  return "?";
}

Connection::Connection(EventLoop& loop, Tracer tracer, Owner& owner, FourTuple tuple, TcpConfig config, SeqNum iss)
    : loop_{loop},
      tracer_{tracer},
      owner_{owner},
      tuple_{tuple},
      config_{validated(config)},
      iss_{iss},
      snd_una_{iss},
      snd_nxt_{iss},
      snd_max_{iss},
      send_buffer_{config_.send_buffer},
      receive_buffer_{config_.receive_buffer},
      rtt_{config_.rto},
      congestion_{congestion_config(config_.mss), iss},
      syn_schedule_{config_.syn, config_.syn_overrides},
      retransmission_timer_{loop, tracer, Layer::Tcp, "tcp retransmission", [this] { on_retransmission_timer(); }},
      time_wait_timer_{loop, tracer, Layer::Tcp, "tcp time-wait", [this] { on_time_wait_timer(); }} {
  offered_scale_ = config_.window_scaling ? scale_for(config_.receive_buffer) : 0;
}

// --- the one door -----------------------------------------------------------

void Connection::set_state(State next, std::string_view cause, std::string_view rfc) {
  const State previous = state_;
  state_ = next;
  tracer_.emit(Layer::Tcp, TcpStateChanged{tuple_.local, tuple_.remote, to_string(previous), to_string(next), cause, rfc});
  if (next == State::Established && previous != State::Established) owner_.connection_established(*this);
}

void Connection::finish(Outcome outcome, std::string_view cause, std::string_view rfc) {
  if (state_ == State::Closed && outcome_ != Outcome::Open) return;
  retransmission_timer_.cancel();
  time_wait_timer_.cancel();
  outcome_ = outcome;
  set_state(State::Closed, cause, rfc);
  owner_.connection_closed(*this);
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
  if (n > 0 && is_synchronized(state_) && before < send_mss_ && receive_buffer_.window() >= send_mss_) send_ack();
  report_variables();
  return n;
}

void Connection::close() {
  switch (state_) {
    case State::Closed:
    case State::Listen:
      return;
    case State::SynSent:
      // Nothing was agreed yet: just stop (3.10.4).
      finish(Outcome::Closed, "close() in SYN-SENT", "RFC 9293 3.10.4");
      return;
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
  finish(Outcome::Aborted, "abort() / snd RST", "RFC 9293 3.10.5");
}

// --- arrival ----------------------------------------------------------------

void Connection::receive_segment(const wire::TcpRepr& seg) {
  if (tracer_.active()) {
    const bool knows_irs = state_ != State::SynSent && state_ != State::Closed;
    tracer_.emit(Layer::Tcp, TcpSegment{"received", tuple_.local, tuple_.remote, seg.flags.bits(), seg.seq.value(),
                                        seg.ack.value(),
                                        knows_irs ? static_cast<std::uint32_t>(seg.seq - irs_) : 0u,
                                        static_cast<std::uint32_t>(seg.ack - iss_), seg.payload.size(), seg.window});
  }
  switch (state_) {
    case State::Closed:
    case State::Listen:
      drop("no connection in this state");  // the layer answers CLOSED with RST before it gets here
      break;
    case State::SynSent:
      receive_in_syn_sent(seg);
      break;
    default:
      receive_synchronized(seg);
      break;
  }
  report_variables();
}

// RFC 9293 3.10.7.3, with RFC 5961 3.2's rule for RST in SYN-SENT.
void Connection::receive_in_syn_sent(const wire::TcpRepr& seg) {
  const bool ack_acceptable = seg.flags.ack_set() && seg.ack > iss_ && seg.ack <= snd_nxt_;
  if (seg.flags.ack_set() && !ack_acceptable) {
    if (seg.flags.rst_set()) return drop("RST with an unacceptable ACK in SYN-SENT");
    send_rst(seg.ack, std::nullopt);
    return drop("ACK outside (ISS, SND.NXT] in SYN-SENT: RST sent");
  }
  if (seg.flags.rst_set()) {
    if (!ack_acceptable) return drop("RST without ACK in SYN-SENT");
    const SynRstDecision decision = syn_schedule_.on_rst(SynProgress{syns_sent_, loop_.now() - first_syn_at_});
    switch (decision.action) {
      case SynRstDecision::Action::Refuse:
        return finish(Outcome::Refused, "rcv RST,ACK: connection refused", "RFC 9293 3.10.7.3");
      case SynRstDecision::Action::KeepWaiting:
        ++refusals_;
        return drop("RST in SYN-SENT: this personality retries until its last SYN");
      case SynRstDecision::Action::CloseWithoutWakingCaller:
        return finish(Outcome::Refused, "rcv RST,ACK: closed without waking connect()", "RFC 9293 3.10.7.3");
    }
  }
  if (!seg.flags.syn_set()) return drop("neither SYN nor RST in SYN-SENT");

  irs_ = seg.seq;
  rcv_nxt_ = seg.seq + 1;
  learn_peer_options(seg);
  snd_wnd_ = seg.window;  // unscaled in a SYN
  max_snd_wnd_ = snd_wnd_;
  snd_wl1_ = seg.seq;
  snd_wl2_ = seg.ack;
  if (ack_acceptable) {
    snd_una_ = seg.ack;
    retransmission_timer_.cancel();
    if (syns_sent_ == 1 && rtt_timed_seq_) rtt_.on_measurement(loop_.now() - rtt_timed_at_);
    rtt_timed_seq_.reset();
    if (syns_sent_ > 1) {
      rtt_.on_handshake_after_syn_timeout();
      congestion_.on_handshake_retransmitted();
    }
    set_state(State::Established, "rcv SYN,ACK / snd ACK", "RFC 9293 3.10.7.3");
    // 3.10.7.3: text or controls with the SYN,ACK go on to the sixth step.
    wire::TcpRepr rest = seg;
    rest.seq = seg.seq + 1;
    rest.flags = TcpFlags{static_cast<std::uint8_t>(seg.flags.bits() & ~TcpFlags::syn)};
    receive_text(rest);
    if (rest.flags.fin_set() && rest.seq + static_cast<std::uint32_t>(seg.payload.size()) == rcv_nxt_) {
      receive_fin();  // acknowledges everything
    } else {
      send_ack();
    }
    send_pending();
  } else {
    // Simultaneous open: both sides sent SYN.
    set_state(State::SynReceived, "rcv SYN / snd SYN,ACK (simultaneous open)", "RFC 9293 3.10.7.3");
    send_syn(true);
    arm_retransmission();
  }
}

// RFC 9293 3.10.7.4: the states after SYN-SENT, checks in the RFC's order.
void Connection::receive_synchronized(const wire::TcpRepr& seg) {
  // First: the sequence number.
  if (!acceptable(seg)) {
    if (seg.flags.rst_set()) return drop("RST outside the receive window");
    send_ack_for_invalid();
    // TIME-WAIT: the peer's FIN again (our ACK was lost): restart 2 MSL.
    if (state_ == State::TimeWait && seg.flags.fin_set()) time_wait_timer_.arm_after(config_.time_wait);
    return drop("sequence number outside the receive window: ACK sent");
  }
  // Second: RST (RFC 5961 3.2).
  if (seg.flags.rst_set()) return receive_rst(seg);
  // Fourth: SYN in a synchronized state (RFC 5961 4.2): challenge ACK.
  if (seg.flags.syn_set()) {
    send_ack_for_invalid();
    return drop("SYN in a synchronized state: challenge ACK sent (RFC 5961 4.2)");
  }
  // Fifth: ACK.
  if (!seg.flags.ack_set()) return drop("no ACK bit");
  if (!receive_ack(seg)) return;
  if (state_ == State::Closed) return;
  // Seventh and eighth: text and FIN.
  receive_text(seg);
  if (seg.flags.fin_set()) {
    const SeqNum fin_seq = seg.seq + static_cast<std::uint32_t>(seg.payload.size());
    if (fin_seq >= rcv_nxt_) pending_fin_ = fin_seq;  // beyond a hole it waits for the hole to fill
  }
  if (pending_fin_ && *pending_fin_ == rcv_nxt_) {
    receive_fin();  // acknowledges data and FIN together
  } else if (seg.flags.fin_set() && state_ == State::TimeWait) {
    send_ack();  // a retransmitted FIN
    time_wait_timer_.arm_after(config_.time_wait);
  } else if (!seg.payload.empty()) {
    // Every data segment is acknowledged at once (no delayed ACK yet); an
    // out-of-order one thereby produces the duplicate ACK of RFC 5681 4.2.
    send_ack();
  }
}

// The four cases of the acceptability test (3.10.7.4, first check).
bool Connection::acceptable(const wire::TcpRepr& seg) const {
  const auto length = static_cast<std::uint32_t>(seg.payload.size()) + (seg.flags.syn_set() ? 1u : 0u) +
                      (seg.flags.fin_set() ? 1u : 0u);
  const std::uint32_t window = rcv_wnd();
  const SeqNum right = rcv_nxt_ + window;
  const auto in_window = [&](SeqNum s) { return s >= rcv_nxt_ && s < right; };
  if (length == 0) return window == 0 ? seg.seq == rcv_nxt_ : in_window(seg.seq);
  if (window == 0) return false;
  return in_window(seg.seq) || in_window(seg.seq + (length - 1));
}

void Connection::receive_rst(const wire::TcpRepr& seg) {
  if (seg.seq != rcv_nxt_) {
    // In the window but not exact: maybe a blind attack (RFC 5961 3.2).
    send_ack_for_invalid();
    return drop("RST not at RCV.NXT: challenge ACK sent (RFC 5961 3.2)");
  }
  switch (state_) {
    case State::SynReceived:
      if (passive_) return finish(Outcome::Reset, "rcv RST in SYN-RECEIVED (passive): back to the listener", "RFC 9293 3.10.7.4");
      return finish(Outcome::Refused, "rcv RST in SYN-RECEIVED: connection refused", "RFC 9293 3.10.7.4");
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      return finish(Outcome::Closed, "rcv RST while closing", "RFC 9293 3.10.7.4");
    default:
      return finish(Outcome::Reset, "rcv RST: connection reset", "RFC 9293 3.10.7.4");
  }
}

// The fifth check: returns false when the segment must go no further.
bool Connection::receive_ack(const wire::TcpRepr& seg) {
  if (state_ == State::SynReceived) {
    if (!(seg.ack > snd_una_ && seg.ack <= snd_nxt_)) {
      send_rst(seg.ack, std::nullopt);
      drop("unacceptable ACK in SYN-RECEIVED: RST sent");
      return false;
    }
    snd_wnd_ = static_cast<std::uint32_t>(seg.window) << snd_scale_;
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    set_state(State::Established, "rcv ACK of our SYN,ACK", "RFC 9293 3.10.7.4");
  }
  // RFC 5961 5.2: an ACK older than the largest window we ever sent, or of
  // data not yet sent, is answered and dropped.
  const SeqNum oldest = snd_una_ - std::max<std::uint32_t>(max_snd_wnd_, 1);
  if (seg.ack > snd_max_) {
    send_ack_for_invalid();
    drop("ACK of data not yet sent: ACK sent");
    return false;
  }
  if (seg.ack < oldest) {
    send_ack_for_invalid();
    drop("ACK older than the send window allows: ACK sent (RFC 5961 5.2)");
    return false;
  }

  const std::uint32_t window = static_cast<std::uint32_t>(seg.window) << snd_scale_;
  if (seg.ack > snd_una_) {
    const auto acked = static_cast<std::uint32_t>(seg.ack - snd_una_);
    // Our SYN and FIN take sequence numbers but no buffer space.
    std::uint32_t acked_data = acked;
    if (snd_una_ == iss_) --acked_data;  // the SYN
    if (close_requested_ && seg.ack == data_end() + 1) --acked_data;  // our FIN
    send_buffer_.acknowledge(std::min<std::size_t>(acked_data, send_buffer_.size()));
    snd_una_ = seg.ack;
    if (snd_nxt_ < snd_una_) snd_nxt_ = snd_una_;  // after a go-back, the peer had more than we resent
    retransmissions_ = 0;
    rtt_.reset_backoff();
    if (rtt_timed_seq_ && seg.ack > *rtt_timed_seq_) {
      rtt_.on_measurement(loop_.now() - rtt_timed_at_);
      rtt_timed_seq_.reset();
    }
    const CongestionUpdate update = congestion_.on_new_ack(NewAck{acked, snd_una_, flight_size()});
    if (update.retransmit_now) retransmit_first_unacknowledged();  // RFC 6582 3.2 step 3: the next hole
    if (snd_una_ == snd_max_) {
      retransmission_timer_.cancel();
    } else if (update.restart_retransmit_timer || !retransmission_timer_.armed()) {
      arm_retransmission();  // RFC 6298 5.3 (the Impatient variant keeps it running on later partial ACKs)
    }
  } else if (seg.ack == snd_una_ && seg.payload.empty() && !seg.flags.fin_set() && !seg.flags.syn_set() &&
             window == snd_wnd_ && snd_max_ != snd_una_) {
    // RFC 5681 2: a duplicate ACK (all five conditions).
    const CongestionUpdate update = congestion_.on_duplicate_ack(DuplicateAck{seg.ack, flight_size(), snd_max_});
    if (update.retransmit_now) retransmit_first_unacknowledged();  // fast retransmit
  }
  // Window update (3.10.7.4, fifth check): only from a newer segment.
  if (snd_wl1_ < seg.seq || (snd_wl1_ == seg.seq && snd_wl2_ <= seg.ack)) {
    snd_wnd_ = window;
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
  }

  const bool our_fin_acked = close_requested_ && snd_una_ == data_end() + 1;
  switch (state_) {
    case State::FinWait1:
      if (our_fin_acked) set_state(State::FinWait2, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
      break;
    case State::Closing:
      if (our_fin_acked) {
        set_state(State::TimeWait, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
        time_wait_timer_.arm_after(config_.time_wait);
      }
      break;
    case State::LastAck:
      if (our_fin_acked) {
        finish(Outcome::Closed, "rcv ACK of our FIN", "RFC 9293 3.10.7.4");
        return false;
      }
      break;
    case State::TimeWait:
      break;  // a retransmitted FIN is handled with the FIN bit below
    default:
      break;
  }
  send_pending();
  return true;
}

// The seventh check: segment text.
void Connection::receive_text(const wire::TcpRepr& seg) {
  if (seg.payload.empty()) return;
  if (!can_receive(state_)) return drop("data after the peer's FIN");
  const std::int64_t offset = seg.seq.distance_from(rcv_nxt_);
  const ReceiveBuffer::InsertResult result = receive_buffer_.insert(offset, seg.payload);
  if (result.refused) drop("too many out-of-order ranges: segment dropped");
  rcv_nxt_ += static_cast<std::uint32_t>(result.newly_in_order);
}

// The eighth check: the peer's FIN, in order.
void Connection::receive_fin() {
  pending_fin_.reset();
  fin_received_ = true;
  rcv_nxt_ += 1;
  send_ack();
  switch (state_) {
    case State::SynReceived:
    case State::Established:
      set_state(State::CloseWait, "rcv FIN / snd ACK", "RFC 9293 3.10.7.4");
      break;
    case State::FinWait1:
      if (snd_una_ == data_end() + 1) {
        set_state(State::TimeWait, "rcv FIN / snd ACK (our FIN already acknowledged)", "RFC 9293 3.10.7.4");
        time_wait_timer_.arm_after(config_.time_wait);
      } else {
        set_state(State::Closing, "rcv FIN / snd ACK (simultaneous close)", "RFC 9293 3.10.7.4");
      }
      break;
    case State::FinWait2:
      set_state(State::TimeWait, "rcv FIN / snd ACK", "RFC 9293 3.10.7.4");
      time_wait_timer_.arm_after(config_.time_wait);
      break;
    case State::TimeWait:
      time_wait_timer_.arm_after(config_.time_wait);  // restart the 2 MSL wait
      break;
    default:
      break;
  }
}

void Connection::learn_peer_options(const wire::TcpRepr& syn) {
  // RFC 9293 3.7.1: without an MSS option, assume 536.
  send_mss_ = std::min<std::uint16_t>(syn.mss.value_or(536), config_.mss);
  // RFC 7323 2.2: scaling is on only if both SYNs carry the option.
  peer_offered_scale_ = syn.window_scale.has_value();
  if (syn.window_scale && config_.window_scaling) {
    snd_scale_ = std::min<std::uint8_t>(*syn.window_scale, max_window_scale);
    rcv_scale_ = offered_scale_;
  } else {
    snd_scale_ = 0;
    rcv_scale_ = 0;
  }
  congestion_ = NewReno{congestion_config(send_mss_), iss_};
}

// --- sending ----------------------------------------------------------------

std::uint16_t Connection::advertised_window() const {
  const std::size_t window = receive_buffer_.window() >> rcv_scale_;
  return static_cast<std::uint16_t>(std::min<std::size_t>(window, 0xffff));
}

void Connection::transmit(wire::TcpRepr& segment) {
  segment.source_port = tuple_.local.port;
  segment.destination_port = tuple_.remote.port;
  if (tracer_.active()) {
    tracer_.emit(Layer::Tcp,
                 TcpSegment{"sent", tuple_.local, tuple_.remote, segment.flags.bits(), segment.seq.value(),
                            segment.ack.value(), static_cast<std::uint32_t>(segment.seq - iss_),
                            segment.flags.ack_set() ? static_cast<std::uint32_t>(segment.ack - irs_) : 0u,
                            segment.payload.size(), segment.window});
  }
  owner_.send_segment(*this, segment);
}

void Connection::send_syn(bool with_ack) {
  wire::TcpRepr syn;
  syn.seq = iss_;
  syn.flags = TcpFlags{with_ack ? static_cast<std::uint8_t>(TcpFlags::syn | TcpFlags::ack) : TcpFlags::syn};
  if (with_ack) syn.ack = rcv_nxt_;
  syn.window = static_cast<std::uint16_t>(std::min<std::size_t>(receive_buffer_.window(), 0xffff));
  syn.mss = config_.mss;
  // RFC 7323 2.2: offer scaling in a SYN; answer it in a SYN,ACK only if the
  // SYN we answer offered it.
  if (config_.window_scaling && (!with_ack || peer_offered_scale_)) syn.window_scale = offered_scale_;
  snd_nxt_ = iss_ + 1;
  snd_max_ = iss_ + 1;
  ++syns_sent_;
  if (syns_sent_ == 1) {
    rtt_timed_seq_ = iss_;
    rtt_timed_at_ = loop_.now();
  } else {
    rtt_timed_seq_.reset();  // Karn: a retransmitted SYN gives no sample
  }
  transmit(syn);
}

void Connection::send_ack() {
  wire::TcpRepr ack;
  // The highest sequence number sent, not a SND.NXT rolled back by a
  // timeout: the peer may already hold everything below SND.MAX and would
  // find an older number unacceptable (Linux's tcp_acceptable_seq).
  ack.seq = snd_max_;
  ack.ack = rcv_nxt_;
  ack.flags = TcpFlags{TcpFlags::ack};
  ack.window = advertised_window();
  transmit(ack);
}

// ACKs that answer unacceptable segments or challenge the peer: at most one
// per 500 ms (Linux's tcp_invalid_ratelimit; RFC 5961 section 7 asks for a
// limit), so two confused stacks cannot answer each other forever.
void Connection::send_ack_for_invalid() {
  if (last_invalid_ack_at_ && loop_.now() - *last_invalid_ack_at_ < invalid_ack_interval) {
    return drop("ACK for an unacceptable segment suppressed (rate limit)");
  }
  last_invalid_ack_at_ = loop_.now();
  send_ack();
}

void Connection::send_rst(SeqNum seq, std::optional<SeqNum> ack) {
  wire::TcpRepr rst;
  rst.seq = seq;
  rst.flags = TcpFlags{TcpFlags::rst};
  if (ack) {
    rst.ack = *ack;
    rst.flags = TcpFlags{static_cast<std::uint8_t>(TcpFlags::rst | TcpFlags::ack)};
  }
  transmit(rst);
}

SeqNum Connection::data_end() const { return iss_ + 1 + static_cast<std::uint32_t>(bytes_written_); }

bool Connection::fin_ever_sent() const { return close_requested_ && snd_max_ == data_end() + 1; }

// Sends what the windows allow: new data, then the FIN once all data is out.
void Connection::send_pending() {
  if (!is_synchronized(state_) && state_ != State::SynReceived) return;
  if (state_ == State::SynReceived) return;  // data waits for the handshake
  const std::uint32_t window = std::min(snd_wnd_, congestion_.cwnd());
  for (;;) {
    const auto offset = static_cast<std::size_t>(snd_nxt_ - snd_una_) - (snd_una_ == iss_ ? 1u : 0u);
    const std::size_t unsent = send_buffer_.size() > offset ? send_buffer_.size() - offset : 0;
    const std::uint32_t in_flight = in_flight_from_nxt();
    const std::uint32_t usable = window > in_flight ? window - in_flight : 0;
    if (unsent > 0 && usable > 0) {
      const std::size_t length = std::min<std::size_t>({unsent, send_mss_, usable});
      const bool last = length == unsent;
      send_data_segment(offset, length, last && close_requested_ && snd_nxt_ + static_cast<std::uint32_t>(length) == data_end());
      continue;
    }
    if (unsent == 0 && close_requested_ && snd_nxt_ == data_end()) {  // all data out, FIN not yet
      send_data_segment(offset, 0, true);
    }
    break;
  }
  if (snd_max_ != snd_una_ && !retransmission_timer_.armed()) arm_retransmission();
}

void Connection::send_data_segment(std::size_t offset, std::size_t length, bool fin) {
  wire::TcpRepr segment;
  segment.seq = snd_una_ + static_cast<std::uint32_t>(offset) + (snd_una_ == iss_ ? 1u : 0u);
  segment.ack = rcv_nxt_;
  std::uint8_t flags = TcpFlags::ack;
  if (length > 0 && offset + length == send_buffer_.size()) flags |= TcpFlags::psh;
  if (fin) flags |= TcpFlags::fin;
  segment.flags = TcpFlags{flags};
  segment.window = advertised_window();
  if (length > 0) {
    const auto [first, second] = send_buffer_.view(offset, length);
    if (second.empty()) {
      segment.payload = first;
    } else {
      payload_scratch_.resize(length);
      send_buffer_.copy_out(offset, MutableBytes{payload_scratch_});
      segment.payload = Bytes{payload_scratch_};
    }
  }
  const SeqNum end = segment.seq + static_cast<std::uint32_t>(length) + (fin ? 1u : 0u);
  // Karn (RFC 6298 3): time only data sent for the first time.
  if (segment.seq >= snd_max_ && !rtt_timed_seq_ && (length > 0 || fin)) {
    rtt_timed_seq_ = segment.seq;
    rtt_timed_at_ = loop_.now();
  }
  if (end > snd_nxt_) snd_nxt_ = end;
  if (end > snd_max_) snd_max_ = end;
  transmit(segment);
}

// --- timers -----------------------------------------------------------------

void Connection::arm_retransmission() {
  if (state_ == State::SynSent || (state_ == State::SynReceived && !passive_)) {
    const SynWait wait = syn_schedule_.after_syn_sent(SynProgress{syns_sent_, loop_.now() - first_syn_at_});
    retransmission_timer_.arm_after(wait.wait, state_ == State::SynSent ? "tcp SYN retransmission" : "tcp SYN,ACK retransmission");
    return;
  }
  retransmission_timer_.arm_after(rtt_.rto(), "tcp retransmission");
}

void Connection::on_retransmission_timer() {
  if (state_ == State::SynSent || (state_ == State::SynReceived && !passive_)) {
    const SynExpiryDecision decision =
        syn_schedule_.on_timer_expiry(SynProgress{syns_sent_, loop_.now() - first_syn_at_});
    if (decision.gives_up()) {
      // Winsock: refused only when the attempts were refused (connect-source.md 3b).
      if (refusals_ > 0) {
        finish(Outcome::Refused, "SYN timer: every attempt was refused", "RFC 9293 3.10.7.3");
      } else {
        finish(Outcome::TimedOut, "SYN timer: the personality's schedule gave up", "RFC 9293 3.8.3");
      }
    } else {
      retransmit_syn();
    }
    report_variables();
    return;
  }
  if (state_ == State::SynReceived) {
    if (retransmissions_ >= max_synack_retransmissions) {
      finish(Outcome::TimedOut, "SYN,ACK unanswered: given up", "RFC 9293 3.8.3");
      return;
    }
    ++retransmissions_;
    rtt_.back_off();
    send_syn(true);
    arm_retransmission();
    report_variables();
    return;
  }
  if (snd_una_ == snd_max_) return;
  if (retransmissions_ >= max_data_retransmissions) {
    finish(Outcome::TimedOut, "retransmissions exhausted", "RFC 9293 3.8.3");
    return;
  }
  // RFC 6298 5.4-5.6: retransmit the oldest segment, back off, restart.
  ++retransmissions_;
  rtt_timed_seq_.reset();  // Karn
  congestion_.on_retransmission_timeout(flight_size(), snd_max_);
  rtt_.back_off();
  // Go back to SND.UNA: what follows is sent again as the window allows.
  const bool fin_was_sent = fin_ever_sent();
  snd_nxt_ = snd_una_;
  const std::size_t length = std::min<std::size_t>(send_mss_, send_buffer_.size());
  const bool fin = fin_was_sent && length == send_buffer_.size();
  if (length > 0 || fin) send_data_segment(0, length, fin);
  arm_retransmission();
  report_variables();
}

// Sends the segment at SND.UNA again, whatever the windows say (fast
// retransmit, NewReno's next hole); SND.NXT does not move back.
void Connection::retransmit_first_unacknowledged() {
  rtt_timed_seq_.reset();  // Karn
  const std::size_t length = std::min<std::size_t>(send_mss_, send_buffer_.size());
  const bool fin = fin_ever_sent() && length == send_buffer_.size();
  if (length == 0 && !fin) return;
  const SeqNum saved_nxt = snd_nxt_;
  send_data_segment(0, length, fin);
  if (saved_nxt > snd_nxt_) snd_nxt_ = saved_nxt;
}

void Connection::retransmit_syn() {
  const bool with_ack = state_ == State::SynReceived;
  send_syn(with_ack);
  arm_retransmission();
}

void Connection::on_time_wait_timer() {
  finish(Outcome::Closed, "2 MSL elapsed in TIME-WAIT", "RFC 9293 3.10.8");
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
