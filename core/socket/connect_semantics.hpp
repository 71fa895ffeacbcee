#pragma once
// How each personality's connect() behaves once its arguments passed the
// checks (connect_arguments.hpp): what a call returns while the handshake is
// pending, after it completed or failed, on a listening socket, when a
// timeout option or a signal ends a blocking call, and how a failed
// connection is reported. Written as data, one record per system, with the
// provenance of each choice; SocketApi reads it and has no per-system `if`.
//
// Sources: ../shared/reference/connect-matrix.md (Linux measured; the seed
// manuals [S0]-[S4]) and connect-source.md (FreeRTOS+TCP and FreeBSD source,
// Winsock's documentation, what TargetTCP leaves open).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/port.hpp"
#include "link/arp_config.hpp"
#include "socket/errc.hpp"
#include "socket/personality.hpp"
#include "tcp/connection.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::socket {

// A decision and where it comes from.
struct Ruled {
  Errc error;
  Provenance provenance;
  std::string_view rule;
};

// What a later connect() on a socket whose attempt failed does (T14).
enum class AfterFailure : std::uint8_t {
  ReportThenAbortThenRetry,  // Linux: the pending error if SO_ERROR did not read it, else ECONNABORTED once; then a new attempt
  StickyRefused,             // BSD: ECONNREFUSED on every call (INP_DROPPED); the socket is spent
  NewAttempt,                // Winsock, FreeRTOS+TCP: the socket is reused, a new SYN goes out
};

// Which option, if any, bounds a blocking connect(), and what it returns then.
enum class BlockingBound : std::uint8_t {
  None,                     // only the handshake's outcome (or a signal) ends it: FreeBSD, Winsock, TargetTCP
  SendTimeoutInProgress,    // Linux: SO_SNDTIMEO, returning EINPROGRESS; the attempt goes on (T28)
  ReceiveTimeoutTimedOut,   // FreeRTOS+TCP: FREERTOS_SO_RCVTIMEO (SO_RCVTIMEO), returning ETIMEDOUT (T27)
};

// What a signal does to a blocking connect() (T29).
enum class SignalEffect : std::uint8_t {
  NotApplicable,            // no signals (FreeRTOS+TCP, Winsock)
  InterruptsUnlessRestart,  // Linux: EINTR, but SA_RESTART restarts it unless SO_SNDTIMEO is set
  AlwaysInterrupts,         // FreeBSD: ERESTART becomes EINTR in kern_connectat
};

struct ConnectSemantics {
  PersonalityId personality = PersonalityId::Linux;

  Ruled bad_descriptor;                 // T23: a descriptor that is not an open socket
  Ruled first_nonblocking;              // T09
  Ruled while_pending;                  // T10
  bool blocking_call_waits_while_pending = true;  // a blocking call during the handshake sleeps until its outcome (Linux)
  bool zero_once_after_completion = false;        // T11: Linux's 0 before EISCONN
  Ruled already_connected;              // T12
  Ruled on_listening_socket;            // T15
  AfterFailure after_failure = AfterFailure::ReportThenAbortThenRetry;
  Provenance after_failure_provenance = Provenance::Measured;
  // T14: a failed or dissolved attempt gives back the port connect() picked,
  // so the next attempt takes a new one. Linux (measured: "new local
  // port"): tcp_set_state(TCP_CLOSE) -> inet_put_port, unless bind() named
  // the port. FreeRTOS+TCP (connect-source.md 1d) and Winsock ("marked as
  // bound" [S4]) keep the socket bound to it.
  bool failed_attempt_frees_picked_port = false;
  BlockingBound blocking_bound = BlockingBound::None;
  SignalEffect signals = SignalEffect::NotApplicable;
  // T31: the stack can be "not initialised" (TargetTCP ENETDOWN, Winsock
  // WSANOTINITIALISED before WSAStartup).
  std::optional<Ruled> not_initialised;
  // FreeRTOS+TCP checks the address (NULL: EINVAL) before the socket, and
  // FreeBSD copies the address in before it looks the descriptor up.
  bool address_checked_before_descriptor = false;
  // getsockopt(SO_ERROR) exists (FreeRTOS+TCP has no getsockopt).
  bool has_so_error = true;
  // FreeRTOS+TCP: a non-blocking socket is one whose block time is 0.
  bool nonblocking_is_zero_block_time = false;
  // FreeRTOS+TCP ticks per second (configTICK_RATE_HZ), for its timeout
  // options: 1000 in the reference ports' FreeRTOSConfig.h (assumed).
  int tick_rate_hz = 0;
  // Winsock 1.1 applications see WSAEINVAL where 2.x ones see WSAEALREADY.
  std::optional<Ruled> while_pending_winsock_1_1;
  // T13: where reading a failure through SO_ERROR comes from, when that is
  // less certain than the failure itself (a manual documents ECONNREFUSED
  // but not SO_ERROR). nullopt: as the failure's.
  std::optional<Provenance> so_error_provenance;
  // FreeRTOS_bind reports every failure of the IP task's bind as -EINVAL
  // (connect-source.md 1g, T25). nullopt: each failure as itself.
  std::optional<Ruled> bind_failure;
  // T32: the ephemeral port range the system ships with (connect-source.md
  // 2g, 3g, 5). nullopt: the TCP layer's own (Linux's 32768-60999).
  std::optional<EphemeralRange> ephemeral_range;
  // T08: how this system's ARP retries, where it is not Linux's (3 requests
  // 1 s apart). FreeRTOS+TCP re-sends the request every 500 ms and gives up
  // after 3 misses (connect-source.md 1c). nullopt: the host's own.
  std::optional<ArpConfig> arp;

  // The error a failed connection reports (blocking connect's return,
  // SO_ERROR): from the TCP outcome and any ICMP error kept meanwhile.
  // nullopt for a connection that is open or closed in order.
  // `from_this_host`: the ICMP error was this host's own (a failed ARP, T08).
  [[nodiscard]] std::optional<Ruled> connection_error(tcp::Outcome outcome, const std::optional<tcp::SoftError>& soft_error,
                                                      bool from_this_host = false) const;
  // A connect() TCP refused before sending anything (no route, no port ...).
  [[nodiscard]] Ruled refused_before_sending(tcp::ConnectError e) const;

  [[nodiscard]] static const ConnectSemantics& get(PersonalityId id);
};

// FreeRTOS+TCP's "patched" behaviour (open PR #1355 upstream): a RST in
// SYN-SENT wakes connect() with -ENOTCONN instead of leaving it asleep until
// its block time runs out.
struct FreeRtosOptions {
  bool rst_wakes_connect = false;
};

}  // namespace netstep::socket
