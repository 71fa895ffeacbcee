#pragma once
// The eleven connection states of RFC 9293 section 3.3.2, spelled as the RFC
// spells them, so the narrative, the trace and the debugger all read
// "SYN-SENT", never "SynSent".
#include <cstdint>
#include <string_view>

namespace netstep::tcp {

enum class State : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};

inline constexpr State all_states[] = {State::Closed,      State::Listen,    State::SynSent,  State::SynReceived,
                                       State::Established, State::FinWait1,  State::FinWait2, State::CloseWait,
                                       State::Closing,     State::LastAck,   State::TimeWait};

[[nodiscard]] constexpr std::string_view to_string(State s) {
  switch (s) {
    case State::Closed: return "CLOSED";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN-SENT";
    case State::SynReceived: return "SYN-RECEIVED";
    case State::Established: return "ESTABLISHED";
    case State::FinWait1: return "FIN-WAIT-1";
    case State::FinWait2: return "FIN-WAIT-2";
    case State::CloseWait: return "CLOSE-WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST-ACK";
    case State::TimeWait: return "TIME-WAIT";
  }
  return "?";
}

// RFC 9293 3.3.2: a connection is "synchronized" once the handshake has
// completed in both directions; resets and unacceptable segments are
// handled differently before and after (3.10.7.4, 3.5.2).
[[nodiscard]] constexpr bool is_synchronized(State s) {
  return s != State::Closed && s != State::Listen && s != State::SynSent && s != State::SynReceived;
}

// States in which we may still send data (our FIN not yet queued).
[[nodiscard]] constexpr bool can_send(State s) { return s == State::Established || s == State::CloseWait; }

// States in which the peer may still send data (its FIN not yet received).
[[nodiscard]] constexpr bool can_receive(State s) {
  return s == State::Established || s == State::FinWait1 || s == State::FinWait2;
}

}  // namespace netstep::tcp

namespace netstep::tcp {

// One sentence per state, in our words, for narratives and the debugger
// ("SYN-SENT: we sent a SYN and are waiting for the peer's SYN,ACK").
[[nodiscard]] std::string_view explain(State s);

}  // namespace netstep::tcp
