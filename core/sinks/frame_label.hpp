#pragma once
// What an arrow of the sequence diagram says about its frame: a TCP segment
// as flags and relative numbers ("SYN,ACK seq=0 ack=1 win=65535 mss=1460"),
// anything else as wire::describe_frame says it, without the IPv4 addresses
// (the arrow shows who sends to whom). Also the few facts the diagram needs
// to guess where a frame was going: its MAC and IPv4 addresses.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "base/port.hpp"
#include "trace/trace_event.hpp"

namespace netstep::diagram {

// The initial sequence number of each direction of each TCP flow the trace
// showed, so that any segment, including one a router forwards or one sent
// with no connection (the RST of a closed port), can be numbered from it
// as Wireshark numbers it.
class SequenceNumbers {
 public:
  // A SYN's sequence number is its sender's ISN: always believed.
  void learn_syn(Endpoint from, Endpoint to, std::uint32_t isn);
  // A TcpSegment event knows its connection's ISNs; used only for flows whose
  // SYN was not seen (the diagram started late). A segment sent with no
  // connection reports its numbers as relative too, which must not replace
  // what a SYN taught.
  void learn(const TcpSegment& segment);
  [[nodiscard]] std::optional<std::uint32_t> initial(Endpoint from, Endpoint to) const;

 private:
  void remember(Endpoint from, Endpoint to, std::uint32_t isn, bool replace);
  std::map<std::pair<Endpoint, Endpoint>, std::uint32_t> isn_;
};

struct LabelOptions {
  bool absolute_numbers = false;  // "seq=1(1411452507)": relative, then absolute
  bool full = false;              // all TCP options; IPv4 addresses of other packets
};

// The arrow's text for an Ethernet frame. Learns the ISN of a SYN it labels.
[[nodiscard]] std::string frame_label(Bytes frame, SequenceNumbers& numbers, LabelOptions options);

// The addresses in a frame that say who sent it and where it was going.
struct FrameAddresses {
  MacAddress source_mac;
  MacAddress destination_mac;
  bool to_group = false;  // broadcast or multicast destination
  std::optional<Ipv4Address> ip_destination;
  std::optional<Ipv4Address> arp_sender;  // an ARP packet's sender address (its own)
  std::optional<Ipv4Address> arp_target;
};
[[nodiscard]] std::optional<FrameAddresses> frame_addresses(Bytes frame);

}  // namespace netstep::diagram
