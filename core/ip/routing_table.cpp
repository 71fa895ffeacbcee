#include "ip/routing_table.hpp"

#include <algorithm>
#include <bit>

namespace netstep {

bool RoutingTable::add(Route route) {
  cached_ = false;
  const auto length = static_cast<std::size_t>(route.prefix.length());
  route.prefix = Ipv4Cidr{route.prefix.network(), route.prefix.length()};
  auto& bucket = by_length_[length][route.prefix.network().to_u32()];
  if (std::find(bucket.begin(), bucket.end(), route) != bucket.end()) return false;
  const auto at = std::upper_bound(bucket.begin(), bucket.end(), route,
                                   [](const Route& a, const Route& b) { return a.metric < b.metric; });
  bucket.insert(at, route);
  lengths_present_ |= std::uint64_t{1} << length;
  ++count_;
  return true;
}

std::size_t RoutingTable::remove(Ipv4Cidr prefix) {
  cached_ = false;
  const auto length = static_cast<std::size_t>(prefix.length());
  auto& table = by_length_[length];
  const auto it = table.find(prefix.network().to_u32());
  if (it == table.end()) return 0;
  const std::size_t removed = it->second.size();
  table.erase(it);
  if (table.empty()) lengths_present_ &= ~(std::uint64_t{1} << length);
  count_ -= removed;
  return removed;
}

void RoutingTable::clear() {
  cached_ = false;
  for (auto& table : by_length_) table.clear();
  lengths_present_ = 0;
  count_ = 0;
}

const Route* RoutingTable::lookup(Ipv4Address destination) const {
  if (cached_ && cached_destination_ == destination) return cached_route_;
  const Route* found = nullptr;
  std::uint64_t lengths = lengths_present_;
  while (lengths != 0) {
    const int length = 63 - std::countl_zero(lengths);  // longest present prefix first
    lengths &= ~(std::uint64_t{1} << length);
    const Ipv4Cidr probe{destination, length};
    const auto& table = by_length_[static_cast<std::size_t>(length)];
    const auto it = table.find(probe.network().to_u32());
    if (it != table.end()) {
      found = &it->second.front();
      break;
    }
  }
  cached_ = true;
  cached_destination_ = destination;
  cached_route_ = found;
  return found;
}

std::vector<Route> RoutingTable::routes() const {
  std::vector<Route> all;
  all.reserve(count_);
  for (int length = 32; length >= 0; --length) {
    std::vector<Route> same_length;
    for (const auto& [network, bucket] : by_length_[static_cast<std::size_t>(length)]) {
      same_length.insert(same_length.end(), bucket.begin(), bucket.end());
    }
    std::sort(same_length.begin(), same_length.end(), [](const Route& a, const Route& b) {
      return a.prefix.network() != b.prefix.network() ? a.prefix.network() < b.prefix.network() : a.metric < b.metric;
    });
    all.insert(all.end(), same_length.begin(), same_length.end());
  }
  return all;
}

}  // namespace netstep
