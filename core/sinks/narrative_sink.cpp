#include "sinks/narrative_sink.hpp"

#include <cstdio>

#include "wire/describe.hpp"

namespace netstep {

namespace {

using Detail = NarrativeOptions::Detail;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string with_cause(std::string text, std::string_view cause) {
  if (!cause.empty()) {
    text += " (";
    text += cause;
    text += ')';
  }
  return text;
}

// "SYN,ACK", in the order tcpdump and Wireshark list them.
std::string tcp_flags(std::uint8_t bits) {
  static constexpr std::pair<std::uint8_t, const char*> names[] = {
      {0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x08, "PSH"}, {0x10, "ACK"}, {0x20, "URG"}};
  std::string text;
  for (const auto& [bit, name] : names) {
    if ((bits & bit) == 0) continue;
    if (!text.empty()) text += ',';
    text += name;
  }
  return text;
}

const char* colour_of(Layer layer) {
  switch (layer) {
    case Layer::Ethernet: return "\x1b[36m";  // cyan
    case Layer::Arp: return "\x1b[33m";       // yellow
    case Layer::Ipv4: return "\x1b[34m";      // blue
    case Layer::Icmp: return "\x1b[35m";      // magenta
    case Layer::Udp: return "\x1b[1;36m";     // bold cyan
    case Layer::Tcp: return "\x1b[1;34m";     // bold blue
    case Layer::App: return "\x1b[1;32m";     // bold green
    default: return "\x1b[0m";
  }
}

}  // namespace

std::string narrate(const TraceEvent& event, Detail detail) {
  const bool full = detail == Detail::Full;
  const Bytes frame = event.frame;
  return std::visit(
      Overloaded{
          [&](const FrameSent& e) { return std::string{e.interface} + " sent  " + wire::describe_frame(frame); },
          [&](const FrameReceived& e) {
            const bool shown = full || detail == Detail::BriefAndReceived;
            return shown ? std::string{e.interface} + " recv  " + wire::describe_frame(frame) : std::string{};
          },
          [&](const Dropped& e) {
            std::string text = "DROPPED: " + std::string{e.reason};
            // Ethernet and the wire drop frames; the layers above drop IPv4
            // packets (trace-format.md, `frame`).
            const bool whole_frame = event.layer == Layer::Ethernet || event.layer == Layer::Driver;
            if (full && !frame.empty()) {
              text += "  [" + (whole_frame ? wire::describe_frame(frame) : wire::describe_packet(frame)) + "]";
            }
            return text;
          },
          [&](const NeighbourStateChanged& e) {
            std::string who = e.address.to_string();
            if (!e.mac.is_zero()) who += " at " + e.mac.to_string();
            return with_cause(who + ": " + std::string{e.from} + " -> " + std::string{e.to}, e.cause);
          },
          [&](const RouteDecision& e) {
            if (!full) return std::string{};
            std::string text = std::string{e.purpose} + " route to " + e.destination.to_string() + ": " +
                               std::string{e.route};
            if (e.route != "none") text += " " + e.prefix.to_string();
            if (!e.interface.empty()) text += " via " + e.next_hop.to_string() + " on " + std::string{e.interface};
            return text;
          },
          [&](const FragmentsReassembled& e) {
            return "reassembled " + std::to_string(e.length) + " bytes from " + std::to_string(e.fragments) +
                   " fragments (id " + std::to_string(e.identification) + ")";
          },
          [&](const IcmpSent& e) {
            return full ? "sent " + std::string{e.meaning} + " to " + e.to.to_string() : std::string{};
          },
          [&](const IcmpReceived& e) {
            return full ? "received " + std::string{e.meaning} + " from " + e.from.to_string() : std::string{};
          },
          [&](const IcmpErrorDelivered& e) {
            std::string text = std::string{e.meaning} + " about " + e.quoted_destination.to_string() + " handed to " +
                               std::string{e.delivered_to};
            if (!e.local_reason.empty()) text += " (reported by this host: " + std::string{e.local_reason} + ")";
            return text;
          },
          [&](const TimerArmed& e) {
            return full ? "timer " + std::string{e.name} + " armed for " + format_seconds(e.deadline.time_since_epoch())
                        : std::string{};
          },
          [&](const TimerFired& e) { return full ? "timer " + std::string{e.name} + " fired" : std::string{}; },
          [&](const TimerCancelled& e) {
            return full ? "timer " + std::string{e.name} + " cancelled" : std::string{};
          },
          [&](const PingSent& e) {
            return "ping " + e.to.to_string() + ": echo request icmp_seq=" + std::to_string(e.sequence) + ", " +
                   std::to_string(e.bytes) + " bytes";
          },
          [&](const PingReply& e) {
            return std::to_string(e.bytes) + " bytes from " + e.from.to_string() +
                   ": icmp_seq=" + std::to_string(e.sequence) + " ttl=" + std::to_string(e.ttl) +
                   " time=" + format_duration(e.rtt);
          },
          [&](const PingError& e) {
            return "From " + e.from.to_string() + " icmp_seq=" + std::to_string(e.sequence) + " " +
                   std::string{e.meaning};
          },
          [&](const TcpStateChanged& e) {
            return e.local.to_string() + " > " + e.remote.to_string() + ": " + std::string{e.from} + " -> " +
                   std::string{e.to} + " (" + std::string{e.cause} + "; " + std::string{e.rfc} + ")";
          },
          [&](const TcpSegment& e) {
            if (!full) return std::string{};
            return std::string{e.direction} + " [" + tcp_flags(e.flags) + "] seq " + std::to_string(e.relative_seq) +
                   " ack " + std::to_string(e.relative_ack) + " len " + std::to_string(e.length) + " win " +
                   std::to_string(e.window);
          },
          [&](const TcpVariables& e) {
            if (!full) return std::string{};
            return "SND.UNA " + std::to_string(e.snd_una) + " SND.NXT " + std::to_string(e.snd_nxt) + " SND.WND " +
                   std::to_string(e.snd_wnd) + " RCV.NXT " + std::to_string(e.rcv_nxt) + " RCV.WND " +
                   std::to_string(e.rcv_wnd) + " cwnd " + std::to_string(e.cwnd) + " RTO " + format_duration(e.rto);
          },
          [&](const UdpDatagram& e) {
            if (!full) return std::string{};
            return std::string{e.direction} + " " + e.source.to_string() + " > " + e.destination.to_string() +
                   " len " + std::to_string(e.length);
          },
          [&](const SocketCall& e) {
            // A lab program's own lines (lab_main's start and return,
            // ns_report, ns_log) are app-layer events with no descriptor.
            if (event.layer == Layer::App && e.fd < 0) return std::string{e.call} + ": " + std::string{e.result};
            std::string text = std::string{e.call} + "(" + std::to_string(e.fd) + ") -> " + std::string{e.result};
            if (full) text += " [" + std::string{e.rule} + "]";
            return text;
          },
          [&](const WireImpairment& e) {
            std::string text = "wire " + std::string{e.what} + " a frame on " + std::string{e.interface};
            if (e.what == "corrupted") text += " (bit " + std::to_string(e.bit) + " flipped)";
            return text;
          },
      },
      event.payload);
}

void NarrativeSink::receive(const TraceEvent& event) {
  std::string text = narrate(event, options_.detail);
  if (text.empty()) return;
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "%11s  %-8.*s %-5s ", format_seconds(event.time.time_since_epoch()).c_str(),
                static_cast<int>(event.host.size()), event.host.data(), std::string{to_string(event.layer)}.c_str());
  std::string line = prefix + text;
  if (options_.width > 0 && line.size() > options_.width) line.resize(options_.width);
  if (options_.colour) {
    out_ << colour_of(event.layer) << line << "\x1b[0m\n";
  } else {
    out_ << line << '\n';
  }
}

}  // namespace netstep
