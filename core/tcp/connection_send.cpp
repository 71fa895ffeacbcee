// Connection, sending: the segments it builds, what the windows, Nagle and
// the congestion controller let go, and the retransmissions that loss
// recovery asks for (fast retransmit, NewReno, SACK holes, Limited
// Transmit).
#include "tcp/connection.hpp"

#include <algorithm>

#include "tcp/connection_limits.hpp"

namespace netstep::tcp {

using namespace detail;
using wire::TcpFlags;

// --- sending ----------------------------------------------------------------

std::uint16_t Connection::advertised_window() const {
  const std::size_t window = receive_buffer_.window() >> rcv_scale_;
  return static_cast<std::uint16_t>(std::min<std::size_t>(window, 0xffff));
}

void Connection::transmit(wire::TcpRepr& segment) {
  segment.source_port = tuple_.local.port;
  segment.destination_port = tuple_.remote.port;
  if (timestamps_.enabled() && !segment.flags.rst_set()) segment.timestamps = timestamps_.option_at(loop_.now());
  if (segment.flags.ack_set()) {
    // This segment acknowledges everything received: nothing is owed.
    last_ack_sent_ = segment.ack;
    unacknowledged_bytes_ = 0;
    delayed_ack_timer_.cancel();
    if (sack_ok_ && !segment.flags.syn_set() && receive_buffer_.has_out_of_order_data()) {
      // RFC 2018 section 4: what we hold beyond the hole, newest first
      // (emit() keeps as many blocks as the option space allows).
      for (const ByteRange& range : receive_buffer_.sack_blocks()) {
        segment.sack_blocks[segment.sack_count++] =
            wire::SackBlock{rcv_nxt_ + static_cast<std::uint32_t>(range.begin), rcv_nxt_ + static_cast<std::uint32_t>(range.end)};
      }
    }
  }
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
  // Timestamps and SACK-permitted likewise (RFC 7323 3.2, RFC 2018 2).
  if (config_.timestamps && (!with_ack || timestamps_.enabled())) syn.timestamps = timestamps_.option_at(loop_.now());
  syn.sack_permitted = config_.sack && (!with_ack || peer_offered_sack_);
  if (snd_max_ == iss_) {  // the first SYN; a FIN may follow a SYN,ACK sent again
    snd_nxt_ = iss_ + 1;
    snd_max_ = iss_ + 1;
  }
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
// limit), so two confused stacks cannot answer each other forever. Segments
// carrying data (without SYN) are always answered: they cannot be part of
// such a loop, and the ACK is how a sender whose ACK was lost learns that
// its retransmission was not needed (Linux's tcp_oow_rate_limited).
void Connection::send_ack_for_invalid(const wire::TcpRepr& seg) {
  const bool carries_data = (!seg.payload.empty() || seg.flags.fin_set()) && !seg.flags.syn_set();
  if (!carries_data && last_invalid_ack_at_ && loop_.now() - *last_invalid_ack_at_ < invalid_ack_interval) {
    return drop("ACK for an unacceptable segment suppressed (rate limit)");
  }
  if (!carries_data) last_invalid_ack_at_ = loop_.now();
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

bool Connection::echoes_before_retransmission(const wire::TcpRepr& seg) const {
  if (!last_retransmission_tsval_ || !seg.timestamps) return false;
  return static_cast<std::int32_t>(seg.timestamps->echo - *last_retransmission_tsval_) < 0;
}

std::size_t Connection::buffer_offset(SeqNum seq) const {
  return static_cast<std::size_t>(seq - snd_una_) - (snd_una_ == iss_ ? 1u : 0u);  // the SYN holds no byte
}

std::size_t Connection::unsent_bytes() const {
  const std::size_t offset = buffer_offset(snd_nxt_);
  return send_buffer_.size() > offset ? send_buffer_.size() - offset : 0;
}

// Sends what the windows allow: new data, then the FIN once all data is out.
void Connection::send_pending() {
  if (!is_synchronized(state_)) return;  // data waits for the handshake
  const std::uint32_t window = std::min(snd_wnd_, congestion_.cwnd());
  std::size_t unsent = 0;
  for (;;) {
    const std::size_t offset = buffer_offset(snd_nxt_);
    unsent = unsent_bytes();
    const std::uint32_t in_flight = in_flight_from_nxt();
    const std::uint32_t usable = window > in_flight ? window - in_flight : 0;
    if (unsent > 0 && usable > 0) {
      const std::size_t length = std::min<std::size_t>({unsent, effective_mss_, usable});
      if (nagle_holds(length, unsent)) break;
      const bool last = length == unsent;
      send_data_segment(offset, length, last && close_requested_ && snd_nxt_ + static_cast<std::uint32_t>(length) == data_end());
      continue;
    }
    if (unsent == 0 && close_requested_ && snd_nxt_ == data_end()) {  // all data out, FIN not yet
      send_data_segment(offset, 0, true);
    }
    break;
  }
  if (snd_max_ != snd_una_) {
    if (!retransmission_timer_.armed()) arm_retransmission();
  } else if (unsent > 0 && snd_wnd_ == 0 && !retransmission_timer_.armed()) {
    // RFC 9293 3.8.6.1: the peer's window is closed and nothing is in
    // flight to bring news of it opening: probe it.
    retransmission_timer_.arm_after(persist_interval(), "tcp persist");
  }
}

// Nagle (RFC 9293 3.7.4, RFC 896): while data is unacknowledged, a segment
// smaller than a full one waits for the ACK, so a trickle of small writes
// does not become a trickle of small packets. TCP_NODELAY turns it off; the
// data before our FIN is always pushed (as Linux does on close).
bool Connection::nagle_holds(std::size_t length, std::size_t unsent) const {
  if (nodelay_ || length >= effective_mss_ || snd_max_ == snd_una_) return false;
  return !(close_requested_ && length == unsent);
}

// A segment the peer cannot accept (one sequence number before SND.UNA, no
// data), so it answers with an ACK that tells us its window and that it is
// alive: a zero-window probe, or a keepalive (RFC 1122 4.2.3.6; what Linux
// sends for both).
void Connection::send_probe() {
  wire::TcpRepr probe;
  probe.seq = snd_una_ - 1;
  probe.ack = rcv_nxt_;
  probe.flags = TcpFlags{TcpFlags::ack};
  probe.window = advertised_window();
  transmit(probe);
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
  if (segment.seq < snd_max_) last_retransmission_tsval_ = timestamps_.value_at(loop_.now());
  // Karn (RFC 6298 3): time only data sent for the first time.
  if (segment.seq >= snd_max_ && !rtt_timed_seq_ && (length > 0 || fin)) {
    rtt_timed_seq_ = segment.seq;
    rtt_timed_at_ = loop_.now();
  }
  if (end > snd_nxt_) snd_nxt_ = end;
  if (end > snd_max_) snd_max_ = end;
  transmit(segment);
}

// Sends the segment at SND.UNA again, whatever the windows say (fast
// retransmit, NewReno's next hole); SND.NXT does not move back.
void Connection::retransmit_first_unacknowledged() {
  rtt_timed_seq_.reset();  // Karn
  std::size_t length = std::min<std::size_t>(effective_mss_, send_buffer_.size());
  // With SACK, only the hole: the bytes after it are with the peer already.
  if (const auto hole = scoreboard_.hole_from(snd_una_)) {
    length = std::min<std::size_t>(length, static_cast<std::size_t>(hole->end - hole->begin));
  }
  const bool fin = fin_ever_sent() && length == send_buffer_.size();
  if (length == 0 && !fin) return;
  const SeqNum saved_nxt = snd_nxt_;
  send_data_segment(0, length, fin);
  if (saved_nxt > snd_nxt_) snd_nxt_ = saved_nxt;
  const SeqNum end = snd_una_ + static_cast<std::uint32_t>(length);
  if (!high_retransmitted_ || *high_retransmitted_ < end) high_retransmitted_ = end;  // never back over a resent hole
}

// A partial ACK in fast recovery (RFC 6582 3.2 step 3): "retransmit the
// first unacknowledged segment". With SACK, recovery may have resent it
// already: each duplicate ACK sends the next hole (retransmit_next_sack_hole),
// so the partial ACK can stop at a hole below HighRxt (RFC 6675) whose
// retransmission is still on its way. That segment is not known to be lost
// again (if it is, the retransmission timer repairs it), so it is not sent
// a third time; the next hole not yet resent goes instead, as NextSeg
// (RFC 6675 4, rule 1) would pick it.
void Connection::retransmit_after_partial_ack() {
  if (sack_ok_ && high_retransmitted_ && *high_retransmitted_ > snd_una_) return retransmit_next_sack_hole();
  retransmit_first_unacknowledged();
}

// Limited Transmit (RFC 3042, which RFC 5681 3.2 says a TCP SHOULD use): on
// each of the first two duplicate ACKs, one new segment beyond cwnd if the
// peer's window allows, so a small window still yields the three duplicates
// a fast retransmit needs instead of waiting for the timer.
void Connection::send_limited_transmit() {
  if (!is_synchronized(state_)) return;
  const std::size_t unsent = unsent_bytes();
  const std::uint32_t in_flight = in_flight_from_nxt();
  const std::uint32_t usable = snd_wnd_ > in_flight ? snd_wnd_ - in_flight : 0;
  if (in_flight > congestion_.cwnd() + 2u * effective_mss_) return;  // at most two beyond cwnd
  const std::size_t length = std::min<std::size_t>({unsent, effective_mss_, usable});
  if (length == 0 || snd_nxt_ != snd_max_) return;  // only data never sent
  const bool fin = close_requested_ && length == unsent;
  send_data_segment(buffer_offset(snd_nxt_), length, fin);
}

// SACK-based recovery in its simplest form (RFC 6675's NextSeg, rule 1):
// the next hole below the highest selectively acknowledged byte that has not
// been sent again yet. Without SACK there is no such knowledge, and NewReno
// retransmits one hole per round trip instead.
void Connection::retransmit_next_sack_hole() {
  if (!sack_ok_ || scoreboard_.empty()) return;
  const SeqNum from = high_retransmitted_ && *high_retransmitted_ > snd_una_ ? *high_retransmitted_ : snd_una_;
  const std::optional<SeqRange> hole = scoreboard_.hole_from(from);
  if (!hole) return;
  const auto length = std::min<std::size_t>(effective_mss_, static_cast<std::size_t>(hole->end - hole->begin));
  rtt_timed_seq_.reset();  // Karn
  const SeqNum saved_nxt = snd_nxt_;
  send_data_segment(buffer_offset(hole->begin), length, false);
  if (saved_nxt > snd_nxt_) snd_nxt_ = saved_nxt;
  high_retransmitted_ = hole->begin + static_cast<std::uint32_t>(length);
}

}  // namespace netstep::tcp
