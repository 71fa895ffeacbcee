#pragma once
// Typed trace events. Every layer reports what it does with one of these;
// the narrative, the JSON Lines log, captures, the GUI and checkers all read
// the same stream. Payloads hold values and string views only (no
// allocation), so building one is cheap. The views point to static text or
// to names owned by the hosts and links of the run; the frame bytes are
// borrowed for the duration of the emit call, and a sink that keeps them
// must copy.
//
// Each payload names its kind (the JSON "kind") and lists its fields once,
// in fields(), which the JSON writer and tests use generically.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "base/port.hpp"
#include "base/time.hpp"
#include "trace/layer.hpp"

namespace netstep {

// --- frames -------------------------------------------------------------
struct FrameReceived {
  static constexpr std::string_view kind = "frame_received";
  std::string_view interface;
  std::size_t length = 0;
  template <class F> void fields(F&& f) const { f("interface", interface); f("length", length); }
};

struct FrameSent {
  static constexpr std::string_view kind = "frame_sent";
  std::string_view interface;
  std::size_t length = 0;
  template <class F> void fields(F&& f) const { f("interface", interface); f("length", length); }
};

// Anything a layer throws away, with the check or rule that decided it.
struct Dropped {
  static constexpr std::string_view kind = "dropped";
  std::string_view reason;  // static text: "header checksum mismatch", "no route", ...
  std::string_view interface;
  template <class F> void fields(F&& f) const { f("reason", reason); f("interface", interface); }
};

// --- ARP ----------------------------------------------------------------
struct NeighbourStateChanged {
  static constexpr std::string_view kind = "neighbour_state";
  std::string_view interface;
  Ipv4Address address;
  MacAddress mac;
  std::string_view from;  // INCOMPLETE, REACHABLE, ... (Linux NUD spelling)
  std::string_view to;
  std::string_view cause;
  template <class F> void fields(F&& f) const {
    f("interface", interface); f("address", address); f("mac", mac);
    f("from", from); f("to", to); f("cause", cause);
  }
};

// --- IPv4 ---------------------------------------------------------------
struct RouteDecision {
  static constexpr std::string_view kind = "route";
  Ipv4Address destination;
  std::string_view purpose;  // "output" (we send) or "forward" (we route for others)
  std::string_view route;    // "local", "connected", "gateway", "unreachable", "prohibit", "blackhole", "none"
  Ipv4Cidr prefix;
  Ipv4Address next_hop;
  std::string_view interface;
  template <class F> void fields(F&& f) const {
    f("destination", destination); f("purpose", purpose); f("route", route);
    f("prefix", prefix); f("next_hop", next_hop); f("interface", interface);
  }
};

struct FragmentsReassembled {
  static constexpr std::string_view kind = "reassembled";
  Ipv4Address source;
  Ipv4Address destination;
  std::uint16_t identification = 0;
  std::size_t fragments = 0;
  std::size_t length = 0;
  template <class F> void fields(F&& f) const {
    f("source", source); f("destination", destination); f("identification", identification);
    f("fragments", fragments); f("length", length);
  }
};

// --- ICMP ---------------------------------------------------------------
struct IcmpSent {
  static constexpr std::string_view kind = "icmp_sent";
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::string_view meaning;  // "echo request", "host unreachable", ...
  Ipv4Address to;
  template <class F> void fields(F&& f) const {
    f("type", type); f("code", code); f("meaning", meaning); f("to", to);
  }
};

struct IcmpReceived {
  static constexpr std::string_view kind = "icmp_received";
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::string_view meaning;
  Ipv4Address from;
  template <class F> void fields(F&& f) const {
    f("type", type); f("code", code); f("meaning", meaning); f("from", from);
  }
};

// An ICMP error handed to the owner of the flow it quotes: one that
// arrived, or this host's own about a datagram it could not send.
struct IcmpErrorDelivered {
  static constexpr std::string_view kind = "icmp_error_delivered";
  std::string_view meaning;
  std::uint8_t quoted_protocol = 0;
  Ipv4Address quoted_destination;
  std::string_view delivered_to;  // "udp", "tcp", "ping", or "nobody"
  // Empty for an ICMP message that arrived; else why this host reports its
  // own datagram, with no message sent ("next hop did not answer ARP").
  std::string_view local_reason;
  template <class F> void fields(F&& f) const {
    f("meaning", meaning); f("quoted_protocol", quoted_protocol);
    f("quoted_destination", quoted_destination); f("delivered_to", delivered_to);
    f("local_reason", local_reason);
  }
};

// --- timers -------------------------------------------------------------
struct TimerArmed {
  static constexpr std::string_view kind = "timer_armed";
  std::string_view name;
  Instant deadline;
  template <class F> void fields(F&& f) const { f("name", name); f("deadline", deadline); }
};

struct TimerFired {
  static constexpr std::string_view kind = "timer_fired";
  std::string_view name;
  template <class F> void fields(F&& f) const { f("name", name); }
};

struct TimerCancelled {
  static constexpr std::string_view kind = "timer_cancelled";
  std::string_view name;
  template <class F> void fields(F&& f) const { f("name", name); }
};

// --- applications -------------------------------------------------------
struct PingSent {
  static constexpr std::string_view kind = "ping_sent";
  Ipv4Address to;
  std::uint16_t sequence = 0;
  std::size_t bytes = 0;
  template <class F> void fields(F&& f) const { f("to", to); f("sequence", sequence); f("bytes", bytes); }
};

struct PingReply {
  static constexpr std::string_view kind = "ping_reply";
  Ipv4Address from;
  std::uint16_t sequence = 0;
  std::uint8_t ttl = 0;
  std::size_t bytes = 0;
  Duration rtt{};
  template <class F> void fields(F&& f) const {
    f("from", from); f("sequence", sequence); f("ttl", ttl); f("bytes", bytes); f("rtt", rtt);
  }
};

struct PingError {
  static constexpr std::string_view kind = "ping_error";
  Ipv4Address from;  // who reported it (a router, or ourselves after ARP failed)
  std::uint16_t sequence = 0;
  std::string_view meaning;  // "Destination Host Unreachable", ...
  template <class F> void fields(F&& f) const { f("from", from); f("sequence", sequence); f("meaning", meaning); }
};

// --- simulated wire -----------------------------------------------------
// Something the simulated wire did to a frame it still delivers. (Frames it
// throws away are reported as Dropped.)
struct WireImpairment {
  static constexpr std::string_view kind = "wire_impairment";
  std::string_view what;       // "corrupted", "duplicated", "reordered"
  std::string_view interface;  // the link direction: "h1.eth0 -> sw0.p1"
  std::size_t bit = 0;         // corrupted: the bit flipped, counted from the frame's first bit (MSB first)
  template <class F> void fields(F&& f) const { f("what", what); f("interface", interface); f("bit", bit); }
};

// --- UDP ----------------------------------------------------------------
// A datagram UDP handed to IPv4, or one that arrived intact (length and
// checksum verified), reported before its socket is looked for: one that is
// then not queued is followed by a Dropped event saying why.
struct UdpDatagram {
  static constexpr std::string_view kind = "udp_datagram";
  std::string_view direction;  // "sent" or "received"
  Endpoint source;
  Endpoint destination;
  std::size_t length = 0;  // payload bytes (the UDP length field minus 8)
  template <class F> void fields(F&& f) const {
    f("direction", direction); f("source", source); f("destination", destination); f("length", length);
  }
};

// --- sockets ------------------------------------------------------------
// A socket call's return, as the personality spells it, with the rule that
// decided it and the event that caused it (the RST segment, the ICMP error,
// the timer), if there was one and a trace was being recorded.
struct SocketCall {
  static constexpr std::string_view kind = "socket_call";
  std::string_view call;     // "connect", "accept", ...
  int fd = -1;
  std::string_view result;   // "-1, errno ECONNREFUSED (111)"
  std::string_view rule;     // "T02: the peer answered the SYN with RST"
  std::int64_t cause_event = -1;  // sequence of the causing event, -1 if none
  template <class F> void fields(F&& f) const {
    f("call", call); f("fd", fd); f("result", result); f("rule", rule); f("cause_event", cause_event);
  }
};

// --- TCP ----------------------------------------------------------------
// The one door of a connection's state (RFC 9293 spelling), with the event
// that caused it and the RFC section that says so.
struct TcpStateChanged {
  static constexpr std::string_view kind = "tcp_state";
  Endpoint local;
  Endpoint remote;
  std::string_view from;
  std::string_view to;
  std::string_view cause;  // "rcv SYN,ACK / snd ACK", "SYN timer: retries exhausted", ...
  std::string_view rfc;    // "RFC 9293 3.10.7.3"
  template <class F> void fields(F&& f) const {
    f("local", local); f("remote", remote); f("from", from); f("to", to); f("cause", cause); f("rfc", rfc);
  }
};

// A segment as TCP sees it, with sequence numbers absolute and relative to
// the initial ones (as Wireshark shows them).
struct TcpSegment {
  static constexpr std::string_view kind = "tcp_segment";
  std::string_view direction;  // "sent" or "received"
  Endpoint local;
  Endpoint remote;
  std::uint8_t flags = 0;  // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t relative_seq = 0;
  std::uint32_t relative_ack = 0;
  std::size_t length = 0;   // payload bytes
  std::uint32_t window = 0;  // as sent on the wire (unscaled)
  template <class F> void fields(F&& f) const {
    f("direction", direction); f("local", local); f("remote", remote); f("flags", flags);
    f("seq", seq); f("ack", ack); f("relative_seq", relative_seq); f("relative_ack", relative_ack);
    f("length", length); f("window", window);
  }
};

// The transmission control block's variables, reported whenever one changed.
struct TcpVariables {
  static constexpr std::string_view kind = "tcp_tcb";
  Endpoint local;
  Endpoint remote;
  std::uint32_t snd_una = 0;
  std::uint32_t snd_nxt = 0;
  std::uint32_t snd_wnd = 0;
  std::uint32_t rcv_nxt = 0;
  std::uint32_t rcv_wnd = 0;
  std::uint32_t cwnd = 0;
  std::uint32_t ssthresh = 0;
  Duration srtt{};
  Duration rttvar{};
  Duration rto{};
  int backoff = 0;
  template <class F> void fields(F&& f) const {
    f("local", local); f("remote", remote); f("snd_una", snd_una); f("snd_nxt", snd_nxt);
    f("snd_wnd", snd_wnd); f("rcv_nxt", rcv_nxt); f("rcv_wnd", rcv_wnd); f("cwnd", cwnd);
    f("ssthresh", ssthresh); f("srtt", srtt); f("rttvar", rttvar); f("rto", rto); f("backoff", backoff);
  }
  friend bool operator==(const TcpVariables&, const TcpVariables&) = default;
};

using TracePayload =
    std::variant<FrameReceived, FrameSent, Dropped, NeighbourStateChanged, RouteDecision,
                 FragmentsReassembled, IcmpSent, IcmpReceived, IcmpErrorDelivered, TimerArmed,
                 TimerFired, TimerCancelled, PingSent, PingReply, PingError, WireImpairment,
                 TcpStateChanged, TcpSegment, TcpVariables, UdpDatagram, SocketCall>;

struct TraceEvent {
  std::uint64_t sequence = 0;  // position in the run, from 0
  Instant time;
  std::string_view host;
  Layer layer = Layer::Loop;
  TracePayload payload;
  Bytes frame;  // borrowed; empty when the event concerns no frame
};

[[nodiscard]] inline std::string_view kind_of(const TracePayload& payload) {
  return std::visit([](const auto& p) { return std::remove_cvref_t<decltype(p)>::kind; }, payload);
}

}  // namespace netstep
