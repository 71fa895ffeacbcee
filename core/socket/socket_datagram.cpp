// UDP sockets: connect() (rows U01-U14 of the matrix), send()/sendto(),
// recv()/recvfrom() and the ICMP errors a user sees, each as the
// personality's DatagramSemantics says.
#include <algorithm>
#include <cstring>

#include "socket/socket_state.hpp"

namespace netstep::socket {

namespace {

CallCause cause_of(const udp::UdpIcmpError& e) {
  return CallCause{"ICMP error", "an ICMP error about a datagram this socket sent", e.at, std::nullopt};
}

}  // namespace

// --- connect ------------------------------------------------------------------

CallResult SocketApi::ensure_pcb(Socket& s) {
  if (s.pcb != nullptr && s.pcb->bound()) return success(0, "bound");
  if (s.pcb != nullptr) {
    udp_.release(*s.pcb);  // unbound by a dissolve (U04): bound afresh
    s.pcb = nullptr;
  }
  return bind_datagram(s, Endpoint{});  // an ephemeral port on every address (T32, U13)
}

void SocketApi::dissolve(Socket& s, bool release_auto_port) {
  if (s.pcb != nullptr) s.pcb->disconnect(release_auto_port);
  s.send_checks_broadcast = false;
}

CallResult SocketApi::connect_datagram(Socket& s, const ConnectArguments& arguments) {
  const bool connected = s.pcb != nullptr && s.pcb->peer().has_value();
  const UdpConnectVerdict verdict = check_udp_connect(personality_.id(), arguments, connected);
  using Action = UdpConnectVerdict::Action;
  if (verdict.action == Action::Fail && !verdict.after_autobind) {
    return failure(*verdict.error, verdict.rule, verdict.provenance);
  }
  if (datagrams_.connect_unsupported) return failure(*datagrams_.connect_unsupported);
  switch (verdict.action) {
    case Action::Dissolve:
      dissolve(s, datagrams_.dissolve_releases_auto_port);
      s.dissolved = true;
      return success(0, verdict.rule, verdict.provenance);
    case Action::DissolveThenFail:
      dissolve(s, datagrams_.dissolve_releases_auto_port);
      return failure(*verdict.error, verdict.rule, verdict.provenance);
    case Action::Fail: {
      // U13 (Linux): the autobind came first and stays.
      if (const CallResult bound = ensure_pcb(s); !bound.ok()) return bound;
      return failure(*verdict.error, verdict.rule, verdict.provenance);
    }
    case Action::Connect: break;
  }
  if (const CallResult bound = ensure_pcb(s); !bound.ok()) return bound;
  const std::optional<Endpoint> old_peer = s.pcb->peer();
  const bool check_at_connect = datagrams_.broadcast_check == BroadcastCheck::AtConnect;
  const auto connected_to = s.pcb->connect(verdict.destination, check_at_connect);
  if (!connected_to) return failure(datagrams_.refusal(connected_to.error()));
  s.dissolved = false;
  s.send_checks_broadcast = datagrams_.broadcast_check == BroadcastCheck::AtSend;
  if (datagrams_.reconnect_discards_queue && old_peer && *old_peer != *s.pcb->peer()) s.pcb->discard_queue();
  return success(0, verdict.rule, verdict.provenance);
}

// --- errors ---------------------------------------------------------------------

std::optional<Ruled> SocketApi::reportable_udp_error(const Socket& s, bool for_receive) const {
  if (s.pcb == nullptr || !s.pcb->pending_error()) return std::nullopt;
  return datagrams_.icmp_error(*s.pcb->pending_error(), s.receive_errors, for_receive);
}

// The recorded ICMP error, as a failed result, taken off the socket; a
// success when there is none the user would see.
CallResult SocketApi::take_udp_error(Socket& s, bool for_receive) {
  const std::optional<Ruled> reported = reportable_udp_error(s, for_receive);
  if (!reported) return success(0, "no error pending");
  CallResult r = failure(*reported);
  r.cause = cause_of(*s.pcb->take_error());
  return r;
}

// --- send -------------------------------------------------------------------------

std::optional<CallResult> SocketApi::datagram_send(Socket& s, TransferCall& call) {
  if (!call.address_ && transfers_.stream_calls_on_datagram_socket) return failure(*transfers_.stream_calls_on_datagram_socket);
  if (s.write_shut) return failure(transfers_.send_after_shutdown);
  if (!call.address_ && s.dissolved && datagrams_.transfer_after_dissolve) {
    return failure(*datagrams_.transfer_after_dissolve);
  }
  // U10: an ICMP error recorded since the last call is this call's answer.
  if (CallResult pending = take_udp_error(s, /*for_receive=*/false); !pending.ok()) return pending;
  std::optional<Endpoint> destination;
  if (call.address_) {
    const ConnectArguments& to = *call.address_;
    if (to.address_null) return failure(Errc::BadAddress, "sendto(): the address cannot be read");
    if (to.addrlen < sockaddr_in_size) return failure(Errc::InvalidArgument, "sendto(): addrlen below 16");
    if (to.family != af_inet && to.family != af_unspec) return failure(Errc::FamilyNotSupported, "sendto(): not AF_INET");
    if (datagrams_.sendto_on_connected && s.pcb != nullptr && s.pcb->peer()) return failure(*datagrams_.sendto_on_connected);
    destination = to.destination;
  } else if (s.pcb == nullptr || !s.pcb->peer()) {
    return failure(datagrams_.send_without_peer);
  }
  if (const CallResult bound = ensure_pcb(s); !bound.ok()) return bound;
  const Endpoint target = destination.value_or(*s.pcb->peer());
  if ((destination || s.send_checks_broadcast) && datagrams_.broadcast_check == BroadcastCheck::AtSend &&
      udp_.is_broadcast(target.address) && !s.broadcast) {
    return failure(datagrams_.refusal(udp::UdpError::BroadcastNotAllowed));
  }
  if (destination && datagrams_.broadcast_check == BroadcastCheck::Never) s.pcb->set_broadcast(true);
  const auto sent = destination ? s.pcb->send_to(*destination, call.data_) : s.pcb->send(call.data_);
  if (!sent) return failure(datagrams_.refusal(sent.error()));
  if (!succeeded(*sent)) {
    switch (*sent) {
      case SendStatus::UnreachableRoute: return failure(datagrams_.refusal(udp::UdpError::UnreachableRoute));
      case SendStatus::ProhibitRoute: return failure(datagrams_.refusal(udp::UdpError::ProhibitRoute));
      case SendStatus::BlackholeRoute: return failure(datagrams_.refusal(udp::UdpError::BlackholeRoute));
      case SendStatus::TooBig: return failure(datagrams_.refusal(udp::UdpError::MessageTooLong));
      default: return failure(datagrams_.refusal(udp::UdpError::NoRoute));
    }
  }
  return documented_success(static_cast<int>(call.data_.size()), destination ? "sendto(): one datagram" : "send(): one datagram to the peer");
}

// --- receive ----------------------------------------------------------------------

std::optional<CallResult> SocketApi::datagram_receive(Socket& s, TransferCall& call, bool may_wait) {
  if (!call.from_ && transfers_.stream_calls_on_datagram_socket) return failure(*transfers_.stream_calls_on_datagram_socket);
  if (s.dissolved && datagrams_.transfer_after_dissolve && !call.from_) return failure(*datagrams_.transfer_after_dissolve);
  if (CallResult pending = take_udp_error(s, /*for_receive=*/true); !pending.ok()) return pending;
  if (s.pcb != nullptr && s.pcb->readable()) {
    const bool peek = (call.flags_ & msg_peek) != 0;
    std::optional<udp::Datagram> taken;
    const udp::Datagram* datagram = s.pcb->front();
    if (!peek) {
      taken = s.pcb->receive();
      datagram = &*taken;
    }
    const std::size_t copied = std::min(datagram->data.size(), call.buffer_.size());
    if (copied > 0) std::memcpy(call.buffer_.data(), datagram->data.data(), copied);
    if (call.from_ != nullptr) *call.from_ = datagram->from;
    if (copied < datagram->data.size() && datagrams_.truncated_datagram) return failure(*datagrams_.truncated_datagram);
    return success(static_cast<int>(copied), copied < datagram->data.size()
                                                 ? "recv(): one datagram, cut to the buffer (the rest is lost)"
                                                 : "recv(): one datagram");
  }
  // Measured on Linux: after shutdown(SHUT_RD) a blocking recv() returns 0
  // and a non-blocking one EAGAIN.
  if (!may_wait) return failure(would_block(), "recv(): no datagram queued and the call may not wait");
  if (s.read_shut) return success(0, "recv(): the socket was shut down for reading");
  return std::nullopt;
}

}  // namespace netstep::socket
