#include "socket/errc.hpp"

namespace netstep::socket {

std::string_view posix_name(Errc e) {
  switch (e) {
    case Errc::Interrupted: return "EINTR";
    case Errc::BadDescriptor: return "EBADF";
    case Errc::TryAgain: return "EAGAIN";
    case Errc::WouldBlock: return "EWOULDBLOCK";
    case Errc::PermissionDenied: return "EACCES";
    case Errc::BadAddress: return "EFAULT";
    case Errc::InvalidArgument: return "EINVAL";
    case Errc::NameTooLong: return "ENAMETOOLONG";
    case Errc::BrokenPipe: return "EPIPE";
    case Errc::NotASocket: return "ENOTSOCK";
    case Errc::DestinationRequired: return "EDESTADDRREQ";
    case Errc::MessageTooLong: return "EMSGSIZE";
    case Errc::ProtocolError: return "EPROTO";
    case Errc::ProtocolNotAvailable: return "ENOPROTOOPT";
    case Errc::NotSupported: return "EOPNOTSUPP";
    case Errc::FamilyNotSupported: return "EAFNOSUPPORT";
    case Errc::AddressInUse: return "EADDRINUSE";
    case Errc::AddressNotAvailable: return "EADDRNOTAVAIL";
    case Errc::NetworkDown: return "ENETDOWN";
    case Errc::NetworkUnreachable: return "ENETUNREACH";
    case Errc::NoNetwork: return "ENONET";
    case Errc::ConnectionAborted: return "ECONNABORTED";
    case Errc::ConnectionReset: return "ECONNRESET";
    case Errc::NoBufferSpace: return "ENOBUFS";
    case Errc::NoSpace: return "ENOSPC";
    case Errc::IsConnected: return "EISCONN";
    case Errc::NotConnected: return "ENOTCONN";
    case Errc::TimedOut: return "ETIMEDOUT";
    case Errc::ConnectionRefused: return "ECONNREFUSED";
    case Errc::HostDown: return "EHOSTDOWN";
    case Errc::HostUnreachable: return "EHOSTUNREACH";
    case Errc::Already: return "EALREADY";
    case Errc::InProgress: return "EINPROGRESS";
    case Errc::Canceled: return "ECANCELED";
    case Errc::NotInitialised: return "WSANOTINITIALISED";
  }
  return "?";
}

std::string_view meaning(Errc e) {
  switch (e) {
    case Errc::Interrupted: return "a signal interrupted the call";
    case Errc::BadDescriptor: return "the descriptor is not open";
    case Errc::TryAgain: return "nothing can be done now; try again later";
    case Errc::WouldBlock: return "the call would have to wait, and the socket does not";
    case Errc::PermissionDenied: return "not allowed (broadcast without SO_BROADCAST, a prohibit route)";
    case Errc::BadAddress: return "the address pointer cannot be read";
    case Errc::InvalidArgument: return "an argument is not valid for this call or socket";
    case Errc::NameTooLong: return "the address is longer than the system accepts";
    case Errc::BrokenPipe: return "the connection was shut down for sending";
    case Errc::NotASocket: return "the descriptor is not a socket";
    case Errc::DestinationRequired: return "there is no peer to send to";
    case Errc::MessageTooLong: return "the message is too long to send in one piece";
    case Errc::ProtocolError: return "the peer's network reported a protocol problem";
    case Errc::ProtocolNotAvailable: return "the option or protocol is not available";
    case Errc::NotSupported: return "the operation is not supported on this socket";
    case Errc::FamilyNotSupported: return "the address family is not supported";
    case Errc::AddressInUse: return "the local address and port are already in use";
    case Errc::AddressNotAvailable: return "the address (or a free local port) is not available";
    case Errc::NetworkDown: return "the network stack or interface is down";
    case Errc::NetworkUnreachable: return "no route leads to that network";
    case Errc::NoNetwork: return "this host is not on a network";
    case Errc::ConnectionAborted: return "the connection attempt was aborted";
    case Errc::ConnectionReset: return "the peer reset the connection";
    case Errc::NoBufferSpace: return "no buffer space (or resource) is left";
    case Errc::NoSpace: return "the send buffer has no room left";
    case Errc::IsConnected: return "the socket is already connected";
    case Errc::NotConnected: return "the socket is not connected";
    case Errc::TimedOut: return "no answer came in time";
    case Errc::ConnectionRefused: return "the peer refused the connection: nothing listens on that port";
    case Errc::HostDown: return "the host is down";
    case Errc::HostUnreachable: return "the host cannot be reached";
    case Errc::Already: return "a connection attempt is already under way";
    case Errc::InProgress: return "the connection goes on in the background";
    case Errc::Canceled: return "the request was cancelled";
    case Errc::NotInitialised: return "the socket library was not initialised";
  }
  return "?";
}

bool parse_errc(std::string_view name, Errc& out) {
  for (const Errc e : all_errcs) {
    if (posix_name(e) == name) {
      out = e;
      return true;
    }
  }
  return false;
}

}  // namespace netstep::socket
