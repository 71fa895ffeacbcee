#include "socket/personality.hpp"

#include <array>
#include <span>
#include <string>

namespace netstep::socket {

namespace {

struct Entry {
  Errc errc;
  std::string_view name;
  int number;  // 0: the system names the code but its number is not public
};

// Linux x86-64 (include/uapi/asm-generic/errno-base.h, errno.h); the ones
// in connect-matrix.md's table were seen in the measured runs.
constexpr std::string_view linux_source = "Linux asm-generic/errno.h, connect-matrix.md errno table (measured)";
constexpr Entry linux_codes[] = {
    {Errc::Interrupted, "EINTR", 4},          {Errc::BadDescriptor, "EBADF", 9},
    {Errc::TryAgain, "EAGAIN", 11},           {Errc::WouldBlock, "EWOULDBLOCK", 11},
    {Errc::PermissionDenied, "EACCES", 13},   {Errc::BadAddress, "EFAULT", 14},
    {Errc::InvalidArgument, "EINVAL", 22},    {Errc::BrokenPipe, "EPIPE", 32},
    {Errc::NameTooLong, "ENAMETOOLONG", 36},  {Errc::NoNetwork, "ENONET", 64},
    {Errc::ProtocolError, "EPROTO", 71},      {Errc::NotASocket, "ENOTSOCK", 88},
    {Errc::DestinationRequired, "EDESTADDRREQ", 89}, {Errc::MessageTooLong, "EMSGSIZE", 90},
    {Errc::ProtocolNotAvailable, "ENOPROTOOPT", 92}, {Errc::NotSupported, "EOPNOTSUPP", 95},
    {Errc::FamilyNotSupported, "EAFNOSUPPORT", 97},  {Errc::AddressInUse, "EADDRINUSE", 98},
    {Errc::AddressNotAvailable, "EADDRNOTAVAIL", 99}, {Errc::NetworkDown, "ENETDOWN", 100},
    {Errc::NetworkUnreachable, "ENETUNREACH", 101},  {Errc::ConnectionAborted, "ECONNABORTED", 103},
    {Errc::ConnectionReset, "ECONNRESET", 104},      {Errc::NoBufferSpace, "ENOBUFS", 105},
    {Errc::NoSpace, "ENOSPC", 28},
    {Errc::IsConnected, "EISCONN", 106},             {Errc::NotConnected, "ENOTCONN", 107},
    {Errc::TimedOut, "ETIMEDOUT", 110},              {Errc::ConnectionRefused, "ECONNREFUSED", 111},
    {Errc::HostDown, "EHOSTDOWN", 112},              {Errc::HostUnreachable, "EHOSTUNREACH", 113},
    {Errc::Already, "EALREADY", 114},                {Errc::InProgress, "EINPROGRESS", 115},
    {Errc::Canceled, "ECANCELED", 125},
};
// Seen in the measured runs (the matrix's errno table); the rest are read
// from the header.
constexpr Errc linux_measured[] = {
    Errc::Interrupted,        Errc::BadDescriptor,       Errc::TryAgain,          Errc::WouldBlock,
    Errc::PermissionDenied,   Errc::BadAddress,          Errc::InvalidArgument,   Errc::NotASocket,
    Errc::DestinationRequired, Errc::ProtocolNotAvailable, Errc::NotSupported,    Errc::FamilyNotSupported,
    Errc::AddressInUse,       Errc::AddressNotAvailable, Errc::NetworkUnreachable, Errc::ConnectionAborted,
    Errc::NoBufferSpace,      Errc::IsConnected,         Errc::NotConnected,      Errc::TimedOut,
    Errc::ConnectionRefused,  Errc::HostUnreachable,     Errc::Already,           Errc::InProgress,
};

// FreeBSD sys/sys/errno.h (connect-source.md 2a): the 4.4BSD numbering.
constexpr std::string_view freebsd_source = "FreeBSD sys/sys/errno.h (connect-source.md 2a)";
constexpr Entry freebsd_codes[] = {
    {Errc::Interrupted, "EINTR", 4},          {Errc::BadDescriptor, "EBADF", 9},
    {Errc::PermissionDenied, "EACCES", 13},   {Errc::BadAddress, "EFAULT", 14},
    {Errc::InvalidArgument, "EINVAL", 22},    {Errc::BrokenPipe, "EPIPE", 32},
    {Errc::TryAgain, "EAGAIN", 35},           {Errc::WouldBlock, "EWOULDBLOCK", 35},
    {Errc::InProgress, "EINPROGRESS", 36},    {Errc::Already, "EALREADY", 37},
    {Errc::NotASocket, "ENOTSOCK", 38},       {Errc::DestinationRequired, "EDESTADDRREQ", 39},
    {Errc::MessageTooLong, "EMSGSIZE", 40},   {Errc::ProtocolNotAvailable, "ENOPROTOOPT", 42},
    {Errc::NotSupported, "EOPNOTSUPP", 45},   {Errc::FamilyNotSupported, "EAFNOSUPPORT", 47},
    {Errc::AddressInUse, "EADDRINUSE", 48},   {Errc::AddressNotAvailable, "EADDRNOTAVAIL", 49},
    {Errc::NetworkDown, "ENETDOWN", 50},      {Errc::NetworkUnreachable, "ENETUNREACH", 51},
    {Errc::ConnectionAborted, "ECONNABORTED", 53}, {Errc::ConnectionReset, "ECONNRESET", 54},
    {Errc::NoBufferSpace, "ENOBUFS", 55},     {Errc::NoSpace, "ENOSPC", 28},     {Errc::IsConnected, "EISCONN", 56},
    {Errc::NotConnected, "ENOTCONN", 57},     {Errc::TimedOut, "ETIMEDOUT", 60},
    {Errc::ConnectionRefused, "ECONNREFUSED", 61}, {Errc::NameTooLong, "ENAMETOOLONG", 63},
    {Errc::HostDown, "EHOSTDOWN", 64},        {Errc::HostUnreachable, "EHOSTUNREACH", 65},
    {Errc::Canceled, "ECANCELED", 85},        {Errc::ProtocolError, "EPROTO", 92},
};

// Windows Sockets error codes (connect-source.md 3a). Winsock has no EAGAIN
// of its own: a call that cannot complete now is WSAEWOULDBLOCK.
// WSAEINPROGRESS exists but means "a blocking Winsock 1.1 call is in
// progress", not POSIX's EINPROGRESS: a non-blocking connect() reports
// WSAEWOULDBLOCK (the policy, not this table, decides that).
constexpr std::string_view winsock_source = "Windows Sockets error codes (connect-source.md 3a)";
constexpr Entry winsock_codes[] = {
    {Errc::Interrupted, "WSAEINTR", 10004},           {Errc::BadDescriptor, "WSAEBADF", 10009},
    {Errc::PermissionDenied, "WSAEACCES", 10013},     {Errc::BadAddress, "WSAEFAULT", 10014},
    {Errc::InvalidArgument, "WSAEINVAL", 10022},      {Errc::WouldBlock, "WSAEWOULDBLOCK", 10035},
    {Errc::InProgress, "WSAEINPROGRESS", 10036},      {Errc::Already, "WSAEALREADY", 10037},
    {Errc::NotASocket, "WSAENOTSOCK", 10038},         {Errc::DestinationRequired, "WSAEDESTADDRREQ", 10039},
    {Errc::MessageTooLong, "WSAEMSGSIZE", 10040},     {Errc::ProtocolNotAvailable, "WSAENOPROTOOPT", 10042},
    {Errc::NotSupported, "WSAEOPNOTSUPP", 10045},     {Errc::FamilyNotSupported, "WSAEAFNOSUPPORT", 10047},
    {Errc::AddressInUse, "WSAEADDRINUSE", 10048},     {Errc::AddressNotAvailable, "WSAEADDRNOTAVAIL", 10049},
    {Errc::NetworkDown, "WSAENETDOWN", 10050},        {Errc::NetworkUnreachable, "WSAENETUNREACH", 10051},
    {Errc::ConnectionAborted, "WSAECONNABORTED", 10053}, {Errc::ConnectionReset, "WSAECONNRESET", 10054},
    {Errc::NoBufferSpace, "WSAENOBUFS", 10055},       {Errc::IsConnected, "WSAEISCONN", 10056},
    {Errc::NotConnected, "WSAENOTCONN", 10057},       {Errc::BrokenPipe, "WSAESHUTDOWN", 10058},
    {Errc::TimedOut, "WSAETIMEDOUT", 10060},          {Errc::ConnectionRefused, "WSAECONNREFUSED", 10061},
    {Errc::NameTooLong, "WSAENAMETOOLONG", 10063},    {Errc::HostDown, "WSAEHOSTDOWN", 10064},
    {Errc::HostUnreachable, "WSAEHOSTUNREACH", 10065}, {Errc::NotInitialised, "WSANOTINITIALISED", 10093},
    {Errc::Canceled, "WSAECANCELLED", 10103},
};

// FreeRTOS-Kernel include/projdefs.h (connect-source.md 1a): newlib's
// numbering, except EAFNOSUPPORT (97, Linux's). EAGAIN and EWOULDBLOCK are
// both 11. No ECONNREFUSED, EHOSTUNREACH or ENETUNREACH is defined.
constexpr std::string_view freertos_source = "FreeRTOS-Kernel include/projdefs.h (connect-source.md 1a)";
constexpr Entry freertos_codes[] = {
    {Errc::Interrupted, "pdFREERTOS_ERRNO_EINTR", 4},
    {Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9},
    {Errc::TryAgain, "pdFREERTOS_ERRNO_EAGAIN", 11},
    {Errc::WouldBlock, "pdFREERTOS_ERRNO_EWOULDBLOCK", 11},
    {Errc::PermissionDenied, "pdFREERTOS_ERRNO_EACCES", 13},
    {Errc::BadAddress, "pdFREERTOS_ERRNO_EFAULT", 14},
    {Errc::InvalidArgument, "pdFREERTOS_ERRNO_EINVAL", 22},
    {Errc::NotSupported, "pdFREERTOS_ERRNO_EOPNOTSUPP", 95},
    {Errc::FamilyNotSupported, "pdFREERTOS_ERRNO_EAFNOSUPPORT", 97},
    {Errc::NoBufferSpace, "pdFREERTOS_ERRNO_ENOBUFS", 105},
    {Errc::NoSpace, "pdFREERTOS_ERRNO_ENOSPC", 28},
    {Errc::ProtocolNotAvailable, "pdFREERTOS_ERRNO_ENOPROTOOPT", 109},
    {Errc::AddressInUse, "pdFREERTOS_ERRNO_EADDRINUSE", 112},
    {Errc::TimedOut, "pdFREERTOS_ERRNO_ETIMEDOUT", 116},
    {Errc::InProgress, "pdFREERTOS_ERRNO_EINPROGRESS", 119},
    {Errc::Already, "pdFREERTOS_ERRNO_EALREADY", 120},
    {Errc::AddressNotAvailable, "pdFREERTOS_ERRNO_EADDRNOTAVAIL", 125},
    {Errc::IsConnected, "pdFREERTOS_ERRNO_EISCONN", 127},
    {Errc::NotConnected, "pdFREERTOS_ERRNO_ENOTCONN", 128},
    {Errc::Canceled, "pdFREERTOS_ERRNO_ECANCELED", 140},
};

// TargetTCP's connect() manual [S1] names these codes; their numbers are
// product-specific and not public (connect-source.md section 4).
constexpr std::string_view targettcp_source = "TargetTCP connect() manual [S1]: names only, numbers not public";
constexpr Entry targettcp_codes[] = {
    {Errc::AddressInUse, "EADDRINUSE", 0},       {Errc::AddressNotAvailable, "EADDRNOTAVAIL", 0},
    {Errc::FamilyNotSupported, "EAFNOSUPPORT", 0}, {Errc::Already, "EALREADY", 0},
    {Errc::ConnectionRefused, "ECONNREFUSED", 0}, {Errc::DestinationRequired, "EDESTADDRREQ", 0},
    {Errc::BadAddress, "EFAULT", 0},             {Errc::HostUnreachable, "EHOSTUNREACH", 0},
    {Errc::InProgress, "EINPROGRESS", 0},        {Errc::InvalidArgument, "EINVAL", 0},
    {Errc::IsConnected, "EISCONN", 0},           {Errc::NetworkDown, "ENETDOWN", 0},
    {Errc::NetworkUnreachable, "ENETUNREACH", 0}, {Errc::NoBufferSpace, "ENOBUFS", 0},
    {Errc::NotASocket, "ENOTSOCK", 0},           {Errc::NotSupported, "EOPNOTSUPP", 0},
    {Errc::TimedOut, "ETIMEDOUT", 0},
};

struct Table {
  std::span<const Entry> entries;
  std::string_view source;
  Provenance provenance;
};

Table table_for(PersonalityId id) {
  switch (id) {
    case PersonalityId::Linux: return {linux_codes, linux_source, Provenance::DerivedFromSource};
    case PersonalityId::FreeBsd: return {freebsd_codes, freebsd_source, Provenance::DerivedFromSource};
    case PersonalityId::Winsock: return {winsock_codes, winsock_source, Provenance::Documented};
    case PersonalityId::FreeRtos: return {freertos_codes, freertos_source, Provenance::DerivedFromSource};
    case PersonalityId::TargetTcp: return {targettcp_codes, targettcp_source, Provenance::Documented};
  }
  return {};
}

bool measured_on_linux(Errc e) {
  for (const Errc m : linux_measured) {
    if (m == e) return true;
  }
  return false;
}

}  // namespace

const Personality& Personality::get(PersonalityId id) {
  static const Personality all[] = {
      Personality{PersonalityId::Linux, ReturnConvention::MinusOneAndErrno},
      Personality{PersonalityId::FreeBsd, ReturnConvention::MinusOneAndErrno},
      Personality{PersonalityId::Winsock, ReturnConvention::SocketErrorAndLastError},
      Personality{PersonalityId::FreeRtos, ReturnConvention::NegativeCode},
      Personality{PersonalityId::TargetTcp, ReturnConvention::MinusOneAndErrno},
  };
  return all[static_cast<std::size_t>(id)];
}

const Personality* Personality::find(std::string_view name) {
  for (const PersonalityId id : tcp::all_syn_personalities) {
    if (tcp::to_string(id) == name) return &get(id);
  }
  return nullptr;
}

std::string_view Personality::name() const { return tcp::to_string(id_); }

std::optional<ErrorCode> Personality::code(Errc e) const {
  const Table table = table_for(id_);
  for (const Entry& entry : table.entries) {
    if (entry.errc != e) continue;
    ErrorCode code{entry.name, std::nullopt, table.provenance, table.source};
    if (entry.number != 0) code.number = entry.number;
    if (id_ == PersonalityId::Linux && measured_on_linux(e)) code.provenance = Provenance::Measured;
    return code;
  }
  return std::nullopt;
}

FailedReturn Personality::failure(Errc e) const {
  FailedReturn result;
  result.convention = convention_;
  result.code = code(e);
  if (!result.code) {
    result.code = ErrorCode{posix_name(e), std::nullopt, Provenance::Assumed, "not defined by this system"};
  }
  if (convention_ == ReturnConvention::NegativeCode) result.value = result.code->number ? -*result.code->number : -1;
  return result;
}

std::string FailedReturn::describe() const {
  if (!code) return std::to_string(value);
  const std::string number = code->number ? " (" + std::to_string(*code->number) + ")" : " (number not public)";
  switch (convention) {
    case ReturnConvention::NegativeCode: return std::to_string(value) + " (-" + std::string{code->name} + ")";
    case ReturnConvention::SocketErrorAndLastError:
      return "SOCKET_ERROR, WSAGetLastError() " + std::string{code->name} + number;
    case ReturnConvention::MinusOneAndErrno: break;
  }
  return std::to_string(value) + ", errno " + std::string{code->name} + number;
}

}  // namespace netstep::socket
