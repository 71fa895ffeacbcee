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
