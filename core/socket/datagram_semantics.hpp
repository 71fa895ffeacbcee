#pragma once
// How each personality's UDP socket answers connect(), send() and recv():
// rows U01-U14 of ../shared/reference/connect-matrix.md, with
// connect-source.md 1f (FreeRTOS+TCP), 2f (FreeBSD), 3f (Winsock) and
// section 4 (TargetTCP). Data, one record per system, with provenance; the
// argument checks of a UDP connect() are check_udp_connect() below.
#include <cstdint>
#include <optional>
#include <string_view>

#include "socket/connect_arguments.hpp"
#include "socket/connect_semantics.hpp"
#include "udp/datagram.hpp"
#include "udp/udp_error.hpp"

namespace netstep::socket {

// When a broadcast destination needs SO_BROADCAST (U07, U08).
enum class BroadcastCheck : std::uint8_t {
  AtConnect,  // Linux, Winsock: connect() fails EACCES; a connected send() is not checked again
  AtSend,     // FreeBSD (ip_output): connect() succeeds, every send() to it fails EACCES
  Never,      // FreeRTOS+TCP: there is no SO_BROADCAST
};

// Which ICMP errors about a datagram a socket sent reach its user (U10, U11).
enum class UdpErrorReport : std::uint8_t {
  LinuxHardOnConnected,  // "hard" errors on a connected socket; every error with IP_RECVERR
  BsdConnected,          // every unreachable on a connected socket (in_pcbnotifyall), assumed
  PortUnreachableOnReceive,  // Winsock: a port unreachable fails the next recv() with WSAECONNRESET, assumed
  None,                  // FreeRTOS+TCP keeps none
};

struct DatagramSemantics {
  PersonalityId personality = PersonalityId::Linux;

  // U01, U13: FreeRTOS_connect is TCP-only (-EBADF).
  std::optional<Ruled> connect_unsupported;
  // U13 (Linux): a connect() that fails on addrlen or family has already
  // bound an ephemeral port (inet_dgram_connect autobinds first).
  bool autobind_before_address_checks = false;
  // U04: Linux gives back a port it chose when the association dissolves.
  bool dissolve_releases_auto_port = false;
  // U03: Winsock discards the queued datagrams when the peer changes.
  std::optional<Ruled> reconnect_discards_queue;
  BroadcastCheck broadcast_check = BroadcastCheck::AtConnect;
  Provenance broadcast_provenance = Provenance::Measured;
  // U06: send() with no peer (Linux EDESTADDRREQ, Winsock WSAENOTCONN).
  Ruled send_without_peer;
  // Winsock: send()/recv() on a dissolved socket (WSAENOTCONN, 3f).
  std::optional<Ruled> transfer_after_dissolve;
  // FreeBSD: sendto() with an address on a connected socket (EISCONN, assumed).
  std::optional<Ruled> sendto_on_connected;
  // U14: no ephemeral port left for an autobind.
  Ruled no_ephemeral_port;
  UdpErrorReport error_report = UdpErrorReport::LinuxHardOnConnected;
  // Winsock: a datagram cut to the buffer fails with WSAEMSGSIZE (the
  // buffer holds the first part).
  std::optional<Ruled> truncated_datagram;

  // The error a UDP call reports for what the layer refused.
  [[nodiscard]] Ruled refusal(udp::UdpError e) const;
  // The error the user sees for an ICMP error the socket recorded, if any:
  // `receive_errors` is IP_RECVERR, `for_receive` says whether a recv() (not
  // a send() or SO_ERROR) asks.
  [[nodiscard]] std::optional<Ruled> icmp_error(const udp::UdpIcmpError& e, bool receive_errors, bool for_receive) const;

  [[nodiscard]] static const DatagramSemantics& get(PersonalityId id);
};

// What a UDP connect() does with its arguments, in the system's order.
struct UdpConnectVerdict {
  enum class Action : std::uint8_t {
    Fail,              // return `error`
    Connect,           // set the peer to `destination`
    Dissolve,          // no peer any more; return 0
    DissolveThenFail,  // FreeBSD: the association is gone, and the call still fails with `error` (2f)
  };
  Action action = Action::Connect;
  std::optional<Errc> error;
  Endpoint destination;
  Provenance provenance = Provenance::Documented;
  std::string_view rule;
  // Linux: the failure comes after inet_dgram_connect's autobind (U13).
  bool after_autobind = false;
};

[[nodiscard]] UdpConnectVerdict check_udp_connect(PersonalityId personality, const ConnectArguments& arguments,
                                                  bool connected);

}  // namespace netstep::socket
