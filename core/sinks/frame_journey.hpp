#pragma once
// One frame's trip as the sequence diagram draws it: who sent it, which
// hosts took it, or where it was lost. The trace reports a frame twice or
// more (sent by one host, received by others, dropped by a cable), with the
// same bytes; the diagram pairs those reports into one journey before it
// draws the arrow. Also which lifeline owns which address, learnt from the
// trace, for a frame that never arrived: its arrow points where it went.
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "base/time.hpp"
#include "sinks/diagram_layout.hpp"
#include "sinks/diagram_rows.hpp"

namespace netstep::diagram {

class HostDirectory {
 public:
  explicit HostDirectory(std::span<const std::string> hosts) : hosts_{hosts.begin(), hosts.end()} {}

  [[nodiscard]] std::optional<std::size_t> lifeline(std::string_view host) const;
  [[nodiscard]] std::size_t lifelines() const { return hosts_.size(); }
  [[nodiscard]] const std::string& name(std::size_t lifeline) const { return hosts_.at(lifeline); }

  void learn(std::size_t lifeline, MacAddress mac);
  void learn(std::size_t lifeline, Ipv4Address address);
  [[nodiscard]] std::optional<std::size_t> owner(MacAddress mac) const;
  [[nodiscard]] std::optional<std::size_t> owner(Ipv4Address address) const;

 private:
  std::vector<std::string> hosts_;
  std::map<MacAddress, std::size_t> macs_;
  std::map<Ipv4Address, std::size_t> addresses_;
};

struct Journey {
  std::vector<std::byte> frame;  // a copy: the trace lends the bytes for one call only
  std::string sender;            // the host that sent it, as traced; empty: nobody did (a rule's answer)
  std::optional<std::size_t> from;      // the sender's lifeline
  std::optional<std::size_t> expected;  // the lifeline that owns its destination, if known
  std::optional<std::size_t> source_guess;  // for a frame nobody sent: the owner of its source MAC
  std::string label;
  bool to_group = false;
  Instant sent_at;

  std::vector<std::size_t> receivers;  // lifelines that took it
  std::string offstage_receiver;       // a host without a lifeline that took it
  std::optional<Instant> first_arrival;

  // A copy was dropped (the frame is lost if no other copy arrived).
  bool lost = false;
  std::optional<Instant> settle_by;  // a copy dropped past the first hop: others may still arrive until then
  std::string lost_reason;
  std::string lost_by;                 // the cable, switch or host that dropped it, as traced
  std::optional<std::size_t> lost_at;  // the lifeline that refused it, if one did

  bool corrupted = false;  // the wire flipped a bit: it arrives with other bytes
  bool duplicate = false;  // the wire delivered it once more
  bool complete = false;   // nothing more will be learnt: it can be drawn
  bool in_flight_at_end = false;  // finish() came before it arrived

  [[nodiscard]] bool arrived() const { return !receivers.empty() || !offstage_receiver.empty(); }
  [[nodiscard]] bool is(Bytes bytes) const;
};

// The arrows that draw a complete journey, with the words that go after
// its label ("(to router)", "(not seen arriving)"); none if it concerns no
// lifeline.
struct JourneyArrows {
  std::vector<Arrow> arrows;
  std::string suffix;
};
[[nodiscard]] JourneyArrows arrows_for(const Journey& journey, const DiagramLayout& layout);

}  // namespace netstep::diagram
