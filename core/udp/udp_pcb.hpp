#pragma once
// One UDP socket's protocol control block: its local endpoint, its peer
// once connected, its receive queue and its last ICMP error. UdpLayer makes
// them (bind()), owns them and frees them (release()); a socket layer holds
// a pointer and calls what is below.
//
// Bound or not. A PCB made by bind() is bound: it has a local port and the
// layer's demultiplexer knows it. It stops being bound only when
// disconnect(true) gives back a port the layer had chosen (Linux does that);
// connect() and send_to() then bind it again to a fresh ephemeral port, as
// Linux's autobind does.
//
// Re-entrancy. The observer is called from the layer's receive paths only
// (a datagram queued, an ICMP error recorded), never from inside send(),
// send_to() or connect(): IPv4 delivers even a datagram to ourselves through
// the event loop. The observer may call anything here, and may release()
// the PCB.
#include <cstddef>
#include <deque>
#include <optional>

#include "base/bytes.hpp"
#include "base/port.hpp"
#include "base/result.hpp"
#include "ip/send_status.hpp"
#include "udp/datagram.hpp"
#include "udp/udp_error.hpp"

namespace netstep::udp {

class UdpLayer;

class UdpPcb {
 public:
  // How the socket layer learns that a blocked recvfrom() or poll() can go on.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void udp_readable(UdpPcb& pcb) = 0;  // a datagram was queued
    virtual void udp_error(UdpPcb& pcb) = 0;     // an ICMP error was recorded (pending_error())
  };

  UdpPcb(const UdpPcb&) = delete;
  UdpPcb& operator=(const UdpPcb&) = delete;

  // --- addresses ------------------------------------------------------------
  // The local endpoint. Address 0.0.0.0: every address of this host; port 0:
  // not bound (see above).
  [[nodiscard]] Endpoint local() const { return local_; }
  [[nodiscard]] bool bound() const { return !local_.port.is_zero(); }
  [[nodiscard]] const std::optional<Endpoint>& peer() const { return peer_; }
  [[nodiscard]] bool reuse_address() const { return reuse_address_; }

  // Sets the default peer (a BSD sockets notion: RFC 768 has no
  // connections): send() goes there, and only datagrams from it are
  // queued from now on (those already queued stay, as on Linux). Peer
  // 0.0.0.0 means this host (127.0.0.1), as on Linux. Binds an unbound PCB
  // first, and a wildcard local address becomes the one routing chooses for
  // the peer (as Linux's getsockname() shows after connect()). Returns the
  // local endpoint. A failure (no route, BroadcastNotAllowed,
  // NoEphemeralPort) leaves any previous peer in place; an autobind it
  // made stays, as on Linux.
  // `check_broadcast`: a broadcast peer needs SO_BROADCAST now (Linux); the
  // BSD stacks check each send instead (ip_output), so they pass false.
  Result<Endpoint, UdpError> connect(Endpoint remote, bool check_broadcast = true);
  // Dissolves the association (connect() to AF_UNSPEC): no peer, and a
  // local address that connect() filled in is the wildcard again. With
  // `release_auto_port`, a port the layer chose (bind() with port 0, or an
  // autobind) is given back and the PCB is unbound: Linux's
  // __udp_disconnect does this; BSD stacks keep the port (pass false).
  void disconnect(bool release_auto_port);

  // --- sending --------------------------------------------------------------
  // One datagram to `destination`, from the bound address or, on the
  // wildcard, the address routing chooses. An unbound PCB is bound to an
  // ephemeral port first. The result is IPv4's SendStatus (which may itself
  // be a failure: no route, ...) or a UdpError when UDP refused:
  // MessageTooLong, InvalidDestination (port 0), BroadcastNotAllowed,
  // NoEphemeralPort.
  Result<SendStatus, UdpError> send_to(Endpoint destination, Bytes data);
  // To the peer; DestinationRequired without one. Not checked against
  // SO_BROADCAST again: connect() did that (Linux sends on the route it
  // cached then, measured: matrix U08).
  Result<SendStatus, UdpError> send(Bytes data);
  // SO_BROADCAST: off by default, so a typo'd broadcast fails with EACCES.
  void set_broadcast(bool on) { broadcast_ = on; }
  [[nodiscard]] bool broadcast() const { return broadcast_; }

  // --- receiving ------------------------------------------------------------
  // The oldest queued datagram, removed; nullopt when none is queued.
  std::optional<Datagram> receive();
  // The oldest queued datagram, left in place (MSG_PEEK, FIONREAD); null when none.
  [[nodiscard]] const Datagram* front() const { return queue_.empty() ? nullptr : &queue_.front(); }
  [[nodiscard]] bool readable() const { return !queue_.empty(); }
  // Drops every queued datagram (Winsock's reconnect to another peer).
  void discard_queue();
  [[nodiscard]] std::size_t queued_datagrams() const { return queue_.size(); }
  // Payload bytes queued (what the reader will get).
  [[nodiscard]] std::size_t queued_bytes() const { return queued_bytes_; }
  // What the queue is charged against receive_buffer(): each datagram's
  // payload plus sizeof(Datagram), the memory it occupies (Linux charges
  // an skb's truesize, payload plus a few hundred bytes).
  [[nodiscard]] std::size_t queue_charge() const { return queue_charge_; }
  // SO_RCVBUF. A datagram is queued while the charge does not exceed this
  // (Linux's rule: the queue may pass the limit by the one datagram that
  // crossed it, and an empty queue takes any datagram); otherwise it is
  // dropped and traced. 0 counts as 1.
  void set_receive_buffer(std::size_t bytes) { receive_buffer_ = bytes == 0 ? 1 : bytes; }
  [[nodiscard]] std::size_t receive_buffer() const { return receive_buffer_; }

  // --- errors ---------------------------------------------------------------
  // The last ICMP error about a datagram this PCB sent (a later one
  // replaces it, as Linux's sk_err), left in place.
  [[nodiscard]] const std::optional<UdpIcmpError>& pending_error() const { return error_; }
  // ... returned and cleared (SO_ERROR, or the error a call reports).
  std::optional<UdpIcmpError> take_error();

  void set_observer(Observer* observer) { observer_ = observer; }
  [[nodiscard]] Observer* observer() const { return observer_; }

 private:
  friend class UdpLayer;
  UdpPcb(UdpLayer& layer, Endpoint local, bool port_chosen, bool reuse_address, std::size_t receive_buffer);

  // From the layer. Returns false, queueing nothing, when the queue is full.
  bool enqueue(Endpoint from, Endpoint to, Bytes payload);
  void record_error(const UdpIcmpError& error);
  void notify_readable();
  void notify_error();

  UdpLayer& layer_;
  Endpoint local_;
  bool port_chosen_;                    // by the layer: disconnect(true) gives it back
  bool address_from_connect_ = false;   // connect() filled in the local address: disconnect() clears it
  bool reuse_address_;
  bool broadcast_ = false;
  bool released_ = false;               // release()d: waiting to be freed, hears nothing more
  std::optional<Endpoint> peer_;
  std::deque<Datagram> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t queue_charge_ = 0;
  std::size_t receive_buffer_;
  std::optional<UdpIcmpError> error_;
  Observer* observer_ = nullptr;
};

}  // namespace netstep::udp
