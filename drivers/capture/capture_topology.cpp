#include "capture/capture_topology.hpp"

#include <algorithm>
#include <stdexcept>

namespace netstep::capture {

std::string describe(const CaptureLink& link) {
  std::string text = "link " + link.name + ":";
  const char* separator = " ";
  for (const CaptureEnd& end : link.ends) {
    text += separator;
    text += end.host + " " + end.interface;
    separator = ", ";
  }
  return text;
}

CaptureTopology::CaptureTopology(std::vector<CaptureLink> links) : links_{std::move(links)} {
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const CaptureLink& link = links_[i];
    if (link.name.empty()) throw std::invalid_argument("capture: link " + std::to_string(i) + " has no name");
    for (std::size_t j = 0; j < i; ++j) {
      if (links_[j].name == link.name) throw std::invalid_argument("capture: two links are named " + link.name);
    }
    for (const CaptureEnd& end : link.ends) {
      // The first link that lists this end must be this one, and list it once.
      const auto home = link_of(end.host, end.interface);
      const auto listed = std::count_if(link.ends.begin(), link.ends.end(), [&](const CaptureEnd& other) {
        return other.host == end.host && other.interface == end.interface;
      });
      if (*home != i || listed > 1) {
        throw std::invalid_argument("capture: " + end.host + " " + end.interface + " is on link " +
                                    links_[*home].name + " already");
      }
    }
  }
}

std::optional<std::size_t> CaptureTopology::link_of(std::string_view host, std::string_view interface) const {
  for (std::size_t i = 0; i < links_.size(); ++i) {
    for (const CaptureEnd& end : links_[i].ends) {
      if (end.host == host && end.interface == interface) return i;
    }
  }
  return std::nullopt;
}

bool CaptureTopology::is_link(std::string_view name) const {
  for (const CaptureLink& link : links_) {
    if (link.name == name) return true;
  }
  return false;
}

}  // namespace netstep::capture
