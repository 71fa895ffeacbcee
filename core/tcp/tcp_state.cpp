#include "tcp/tcp_state.hpp"

namespace netstep::tcp {

std::string_view explain(State s) {
  switch (s) {
    case State::Closed: return "no connection: nothing sent, nothing expected";
    case State::Listen: return "waiting for a SYN from any peer";
    case State::SynSent: return "we sent a SYN and are waiting for the peer's SYN,ACK";
    case State::SynReceived: return "we answered a SYN with SYN,ACK and are waiting for its ACK";
    case State::Established: return "the handshake is complete: data flows both ways";
    case State::FinWait1: return "we sent our FIN and are waiting for it to be acknowledged";
    case State::FinWait2: return "our FIN is acknowledged; waiting for the peer's FIN";
    case State::CloseWait: return "the peer sent its FIN; we may still send until we close";
    case State::Closing: return "both sides sent FIN at once; waiting for the ACK of ours";
    case State::LastAck: return "we closed after the peer did; waiting for the ACK of our FIN";
    case State::TimeWait: return "both FINs acknowledged; lingering 2 MSL so stray segments die out";
  }
  return "?";
}

}  // namespace netstep::tcp
