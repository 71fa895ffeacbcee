#pragma once
// What a capture is told about the network: its cables and the host
// interfaces plugged into each. The capture writers read the trace, not the
// simulated network, so the caller (the CLI, a test) lists the links.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::capture {

// A host interface plugged into a cable.
struct CaptureEnd {
  std::string host;       // "client"
  std::string interface;  // "eth0"
};

// A cable: its name and the host interfaces on it. A cable to a switch port
// has one host end; a cable between two hosts has two.
struct CaptureLink {
  std::string name;
  std::vector<CaptureEnd> ends;
};

// "link client-lan: client eth0", "link wan: router eth1, remote eth0".
[[nodiscard]] std::string describe(const CaptureLink& link);

class CaptureTopology {
 public:
  // Throws std::invalid_argument for a link without a name, two links of
  // one name, or one host interface on two links (its frames would have
  // two homes).
  explicit CaptureTopology(std::vector<CaptureLink> links);

  // The index of the link (host, interface) is plugged into, if any.
  [[nodiscard]] std::optional<std::size_t> link_of(std::string_view host, std::string_view interface) const;
  [[nodiscard]] bool is_link(std::string_view name) const;
  [[nodiscard]] const std::vector<CaptureLink>& links() const { return links_; }

 private:
  std::vector<CaptureLink> links_;
};

}  // namespace netstep::capture
