#pragma once
// The IPv4 routing table: longest-prefix match (RFC 1812 section 5.2.4.3),
// ties broken by the lowest metric. Besides ordinary routes it holds Linux's
// special routes, which answer without sending: unreachable (EHOSTUNREACH),
// prohibit (EACCES) and blackhole (EINVAL), as measured on a real kernel in
// the project's shared reference (connect-matrix.md, situation T07b).
//
// Lookup cost: one hash probe per prefix length actually present, longest
// first; none when the destination is the one looked up last (a one-entry
// cache that any change to the table empties).
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/ipv4_address.hpp"

namespace netstep {

enum class RouteKind : std::uint8_t { Unicast, Unreachable, Prohibit, Blackhole };

[[nodiscard]] constexpr std::string_view to_string(RouteKind k) {
  switch (k) {
    case RouteKind::Unicast: return "unicast";
    case RouteKind::Unreachable: return "unreachable";
    case RouteKind::Prohibit: return "prohibit";
    case RouteKind::Blackhole: return "blackhole";
  }
  return "?";
}

struct Route {
  Ipv4Cidr prefix;                    // host bits are cleared on insertion
  RouteKind kind = RouteKind::Unicast;
  std::optional<Ipv4Address> gateway;  // none: the destination is on the link
  std::uint32_t interface = 0;        // index into the host's interfaces (unicast only)
  std::uint32_t metric = 0;

  [[nodiscard]] bool is_connected() const { return kind == RouteKind::Unicast && !gateway; }
  friend bool operator==(const Route&, const Route&) = default;
};

class RoutingTable {
 public:
  // Adds a route; an identical route (prefix, kind, gateway, interface,
  // metric) is not added twice. Returns false if it was already there.
  bool add(Route route);
  // Removes the routes for this prefix (all metrics); returns how many.
  std::size_t remove(Ipv4Cidr prefix);
  void clear();

  // The route for `destination`, or nullptr if none covers it.
  [[nodiscard]] const Route* lookup(Ipv4Address destination) const;

  // Every route, longest prefix first, then by address and metric.
  [[nodiscard]] std::vector<Route> routes() const;
  [[nodiscard]] std::size_t size() const { return count_; }

 private:
  // By prefix length: network address -> routes sorted by metric.
  std::array<std::unordered_map<std::uint32_t, std::vector<Route>>, 33> by_length_;
  std::uint64_t lengths_present_ = 0;  // bit L set when by_length_[L] is not empty
  std::size_t count_ = 0;
  // The last lookup and its answer (nullptr included). Routes live in
  // vectors that only add(), remove() and clear() change, and each of those
  // empties the cache, so the pointer is never stale.
  mutable bool cached_ = false;
  mutable Ipv4Address cached_destination_;
  mutable const Route* cached_route_ = nullptr;
};

}  // namespace netstep
