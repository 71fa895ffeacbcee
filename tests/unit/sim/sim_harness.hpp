#pragma once
// Shared pieces for the sim tests: a small world (loop, bus, network), an
// inbox that records what a NIC delivers and when, a trace log, and frame
// builders that write headers byte by byte (independent of wire's emitters).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "event/event_loop.hpp"
#include "link/device.hpp"
#include "sim/network.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::sim::test {

using Frame = std::vector<std::byte>;

struct Arrival {
  Instant time;
  Frame frame;
};

// Records every frame a device delivers, with the virtual time it arrived.
class Inbox final : public FrameReceiver {
 public:
  Inbox(EventLoop& loop, Device& device) : loop_{&loop} { device.attach(*this); }
  void receive_frame(Bytes frame) override { arrivals.push_back({loop_->now(), Frame(frame.begin(), frame.end())}); }
  std::vector<Arrival> arrivals;

 private:
  EventLoop* loop_;
};

// Copies what tests look at from each trace event (views die with the event).
class TraceLog final : public TraceSink {
 public:
  struct Record {
    std::string host;
    std::string kind;
    std::string text;       // Dropped::reason or WireImpairment::what
    std::string interface;
    std::size_t frame_length;
  };
  void receive(const TraceEvent& event) override;
  [[nodiscard]] std::size_t count(std::string_view kind, std::string_view text) const;
  std::vector<Record> records;
};

struct World {
  explicit World(std::uint64_t seed = 1) : network{loop, bus, seed} { bus.attach(log); }
  EventLoop loop;
  TraceBus bus{loop};
  TraceLog log;
  Network network;
};

inline constexpr MacAddress mac_a = MacAddress::local(1);
inline constexpr MacAddress mac_b = MacAddress::local(2);
inline constexpr MacAddress mac_c = MacAddress::local(3);
inline constexpr Ipv4Address ip_a{10, 0, 0, 1};
inline constexpr Ipv4Address ip_b{10, 0, 0, 2};

// An Ethernet frame whose payload starts with a 32-bit sequence number.
Frame numbered_frame(MacAddress destination, MacAddress source, std::uint32_t number, std::size_t length = 64);
std::uint32_t number_of(const Frame& frame);

// IPv4 datagram in an Ethernet frame, with a correct header checksum.
Frame ipv4_frame(MacAddress destination, MacAddress source, Ipv4Address ip_source, Ipv4Address ip_destination,
                 std::uint8_t protocol, const Frame& transport);
// TCP (20-byte header, correct checksum) / UDP segments.
Frame tcp_segment(Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                  std::uint16_t destination_port, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                  std::size_t payload = 0);
Frame udp_datagram(Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                   std::uint16_t destination_port, std::size_t payload = 8);

Bytes bytes_of(const Frame& frame);

}  // namespace netstep::sim::test
