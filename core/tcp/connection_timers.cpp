// Connection, timers: retransmission (RFC 6298) and the SYN schedule,
// persist (zero-window probes), delayed ACK, keepalive and TIME-WAIT.
#include "tcp/connection.hpp"

#include <algorithm>

#include "tcp/connection_limits.hpp"

namespace netstep::tcp {

using namespace detail;
using wire::TcpFlags;

// --- timers -----------------------------------------------------------------

void Connection::arm_retransmission() {
  if (state_ == State::SynSent || (syn_unacknowledged() && !passive_)) {
    const SynWait wait = syn_schedule_.after_syn_sent(SynProgress{syns_sent_, loop_.now() - first_syn_at_});
    retransmission_timer_.arm_after(wait.wait, state_ == State::SynSent ? "tcp SYN retransmission" : "tcp SYN,ACK retransmission");
    return;
  }
  retransmission_timer_.arm_after(rtt_.rto(), "tcp retransmission");
}

void Connection::on_retransmission_timer() {
  // Our SYN first, while unacknowledged: in SYN-SENT and SYN-RECEIVED, and
  // in FIN-WAIT-1 after a close() in SYN-RECEIVED (3.10.4), where the FIN
  // follows the SYN,ACK in the retransmission queue.
  if (state_ == State::SynSent || (syn_unacknowledged() && !passive_)) {
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
  if (syn_unacknowledged()) {
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
  if (snd_una_ == snd_max_) return on_persist_timer();  // nothing in flight: the timer was persisting
  if (retransmissions_ >= max_data_retransmissions) {
    finish(Outcome::TimedOut, "retransmissions exhausted", "RFC 9293 3.8.3");
    return;
  }
  // RFC 6298 5.4-5.6: retransmit the oldest segment, back off, restart.
  ++retransmissions_;
  rtt_timed_seq_.reset();  // Karn
  congestion_.on_retransmission_timeout(flight_size(), snd_max_);
  rtt_.back_off();
  // The receiver may have discarded what it selectively acknowledged
  // (RFC 2018 section 8): start again from SND.UNA without the scoreboard.
  scoreboard_.clear();
  high_retransmitted_.reset();
  // Go back to SND.UNA: what follows is sent again as the window allows.
  const bool fin_was_sent = fin_ever_sent();
  snd_nxt_ = snd_una_;
  const std::size_t length = std::min<std::size_t>(effective_mss_, send_buffer_.size());
  const bool fin = fin_was_sent && length == send_buffer_.size();
  if (length > 0 || fin) send_data_segment(0, length, fin);
  arm_retransmission();
  report_variables();
}

void Connection::retransmit_syn() {
  const bool with_ack = state_ != State::SynSent;
  send_syn(with_ack);
  arm_retransmission();
}

Duration Connection::persist_interval() const {
  // The RTO, doubled per unanswered probe, within the RTO's bounds (Linux's
  // tcp_probe0_when).
  Duration interval = rtt_.rto();
  for (int i = 0; i < persist_probes_ && interval < config_.rto.max; ++i) interval *= 2;
  return std::min(interval, config_.rto.max);
}

void Connection::on_persist_timer() {
  if (snd_wnd_ > 0) return send_pending();
  if (unsent_bytes() == 0) return;
  // RFC 1122 4.2.2.17: probe for as long as the peer answers; Linux gives
  // up after tcp_retries2 probes that got no answer at all.
  if (persist_probes_ >= max_data_retransmissions) {
    finish(Outcome::TimedOut, "zero-window probes unanswered", "RFC 1122 4.2.2.17");
    return;
  }
  send_probe();
  ++persist_probes_;
  retransmission_timer_.arm_after(persist_interval(), "tcp persist");
}

void Connection::on_delayed_ack_timer() {
  if (is_synchronized(state_)) send_ack();
}

void Connection::arm_keepalive() {
  if (!keepalive_.enabled || !is_synchronized(state_) || state_ == State::TimeWait) return;
  keepalive_timer_.arm_at(last_heard_ + keepalive_.idle);
}

// RFC 1122 4.2.3.6, as Linux runs it (tcp_keepalive_timer): idle since the
// last segment from the peer, with nothing of ours in flight or waiting,
// then a probe every interval; the connection is dropped when `probes` of
// them got no answer. Any segment from the peer starts the idle time again
// (this timer only looks at last_heard_ when it fires, so arrivals cost
// nothing).
void Connection::on_keepalive_timer() {
  if (!keepalive_.enabled || !is_synchronized(state_) || state_ == State::TimeWait) return;
  if (snd_max_ != snd_una_ || send_buffer_.size() > 0) {
    keepalive_timer_.arm_after(keepalive_.idle);  // retransmission watches the connection meanwhile
    return;
  }
  const Duration idle_for = loop_.now() - last_heard_;
  if (idle_for < keepalive_.idle) {
    keepalive_timer_.arm_at(last_heard_ + keepalive_.idle);
    return;
  }
  if (keepalive_probes_ >= keepalive_.probes) {
    finish(Outcome::TimedOut, "keepalive probes unanswered", "RFC 1122 4.2.3.6");
    return;
  }
  send_probe();
  ++keepalive_probes_;
  keepalive_timer_.arm_after(keepalive_.interval);
}

void Connection::on_time_wait_timer() {
  finish(Outcome::Closed, "2 MSL elapsed in TIME-WAIT", "RFC 9293 3.10.8");
}

}  // namespace netstep::tcp
