#include "sinks/frame_journey.hpp"

#include <algorithm>
#include <cstring>

namespace netstep::diagram {

namespace {

// Addresses come from a handful of hosts; a trace that shows thousands is
// not drawn as a diagram anyway, so forgetting them then is enough.
constexpr std::size_t max_addresses = 1024;

template <class Map, class Key>
void remember(Map& map, const Key& key, std::size_t lifeline) {
  if (map.size() >= max_addresses && !map.contains(key)) map.clear();
  map[key] = lifeline;
}

template <class Map, class Key>
std::optional<std::size_t> look_up(const Map& map, const Key& key) {
  const auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

void add_suffix(std::string& suffix, std::string_view words) {
  if (!suffix.empty()) suffix += ' ';
  suffix += words;
}

// Where a lost frame's arrow ends: not on a lifeline it passes, which would
// read as that host dropping it, and not on its own sender's.
std::size_t off_lifelines(std::size_t end, std::size_t tail, const DiagramLayout& layout) {
  const bool rightwards = end > tail;
  for (std::size_t h = 0; h < layout.hosts(); ++h) {
    const std::size_t bar = layout.column(h);
    if (bar != tail && end + 1 >= bar && end <= bar + 1) end = rightwards ? bar - 2 : bar + 2;
  }
  return rightwards ? std::max(end, tail + 2) : std::min(end, tail - 2);
}

}  // namespace

std::optional<std::size_t> HostDirectory::lifeline(std::string_view host) const {
  const auto it = std::find(hosts_.begin(), hosts_.end(), host);
  if (it == hosts_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - hosts_.begin());
}

void HostDirectory::learn(std::size_t lifeline, MacAddress mac) {
  if (!mac.is_zero() && !mac.is_multicast()) remember(macs_, mac, lifeline);
}

void HostDirectory::learn(std::size_t lifeline, Ipv4Address address) {
  if (!address.is_unspecified() && !address.is_broadcast() && !address.is_multicast()) {
    remember(addresses_, address, lifeline);
  }
}

std::optional<std::size_t> HostDirectory::owner(MacAddress mac) const { return look_up(macs_, mac); }
std::optional<std::size_t> HostDirectory::owner(Ipv4Address address) const { return look_up(addresses_, address); }

bool Journey::is(Bytes bytes) const {
  return bytes.size() == frame.size() && (bytes.empty() || std::memcmp(bytes.data(), frame.data(), bytes.size()) == 0);
}

JourneyArrows arrows_for(const Journey& j, const DiagramLayout& layout) {
  JourneyArrows out;
  if (j.corrupted) add_suffix(out.suffix, "(corrupted on the wire)");
  if (j.duplicate) add_suffix(out.suffix, "(delivered again)");
  if (j.lost && j.arrived()) add_suffix(out.suffix, "(a copy dropped by " + j.lost_by + ": " + j.lost_reason + ")");
  const Ink ink = j.from ? host_ink(*j.from) : Ink::Plain;
  const auto column = [&layout](std::size_t lifeline) { return layout.column(lifeline); };
  const std::size_t last = layout.hosts() - 1;
  // A frame with no receiver to point at goes half a gap (at most 12 columns).
  const std::size_t half = std::max<std::size_t>(2, std::min<std::size_t>(layout.gap(), 24) / 2);
  const auto step_out = [&](std::size_t lifeline) {
    const std::size_t c = column(lifeline);
    const bool room_right = (layout.hosts() == 1 || lifeline != last) && c + half < layout.right_edge();
    return room_right ? c + half : c - half;
  };

  if (!j.receivers.empty()) {
    std::vector<std::size_t> columns;
    for (const std::size_t r : j.receivers) columns.push_back(column(r));
    std::sort(columns.begin(), columns.end());
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end());

    std::size_t origin = 0;
    bool on_lifeline = false;
    bool from_wire = false;
    if (j.from) {
      origin = column(*j.from);
      on_lifeline = true;
    } else if (!j.sender.empty()) {
      // A host with no lifeline: its frames come in from the edge.
      origin = columns.back() == column(last) ? layout.left_edge() : layout.right_edge();
      add_suffix(out.suffix, "(from " + j.sender + ")");
    } else {
      // Bytes nobody sent (a cable rule's answer): from between the host
      // whose MAC they carry and the receiver nearest to it.
      from_wire = true;
      const std::size_t first = j.receivers.front();
      if (j.source_guess && std::find(j.receivers.begin(), j.receivers.end(), *j.source_guess) == j.receivers.end()) {
        const std::size_t guess = column(*j.source_guess);
        const auto nearest = std::min_element(columns.begin(), columns.end(), [guess](std::size_t a, std::size_t b) {
          return (a > guess ? a - guess : guess - a) < (b > guess ? b - guess : guess - b);
        });
        origin = off_lifelines((guess + *nearest) / 2, *nearest, layout);
      } else {
        origin = step_out(first);
      }
    }

    std::vector<std::size_t> left;
    std::vector<std::size_t> right;
    for (const std::size_t c : columns) {
      if (c < origin) left.push_back(c);
      if (c > origin) right.push_back(c);
    }
    for (auto* side : {&left, &right}) {
      if (side->empty()) continue;
      Arrow arrow;
      arrow.tail = origin;
      arrow.tail_on_lifeline = on_lifeline;
      arrow.from_wire = from_wire;
      arrow.ink = ink;
      arrow.head = side == &left ? side->front() : side->back();
      for (const std::size_t c : *side) {
        if (c != arrow.head) arrow.stops.push_back(c);
      }
      out.arrows.push_back(std::move(arrow));
    }
    return out;
  }

  if (!j.from) return out;  // between hosts the diagram does not show
  Arrow arrow;
  arrow.tail = column(*j.from);
  arrow.ink = ink;
  arrow.lost = j.lost && !j.arrived();
  if (!j.offstage_receiver.empty()) {
    const bool left_half = arrow.tail <= (layout.left_edge() + layout.right_edge()) / 2;
    arrow.head = left_half ? layout.right_edge() : layout.left_edge();
    arrow.head_on_lifeline = false;
    add_suffix(out.suffix, "(to " + j.offstage_receiver + ")");
  } else if (j.lost_at && *j.lost_at != *j.from) {
    arrow.head = column(*j.lost_at);  // refused by the receiver itself
  } else if (j.expected && *j.expected != *j.from) {
    arrow.head = off_lifelines((arrow.tail + column(*j.expected)) / 2, arrow.tail, layout);  // lost on the way
    arrow.head_on_lifeline = false;
  } else {
    arrow.head = step_out(*j.from);
    arrow.head_on_lifeline = false;
  }
  if (!j.lost && j.offstage_receiver.empty()) {
    add_suffix(out.suffix, j.in_flight_at_end ? "(in flight when the trace ended)" : "(not seen arriving)");
  }
  out.arrows.push_back(std::move(arrow));
  return out;
}

}  // namespace netstep::diagram
