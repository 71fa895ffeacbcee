#include "sim/network.hpp"

#include <stdexcept>

namespace netstep::sim {

namespace {
constexpr std::size_t min_ipv4_mtu = 68;

void check_mtu(std::size_t mtu, const std::string& what) {
  if (mtu < min_ipv4_mtu) {
    throw std::invalid_argument(what + ": mtu " + std::to_string(mtu) + " is below 68, the smallest IPv4 allows");
  }
}

// FNV-1a: a link's random streams depend on its name, not on how many links
// were made before it, so adding a link elsewhere leaves this one's run alone.
std::uint64_t label_of(std::string_view name, Direction direction) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  h ^= static_cast<std::uint64_t>(direction) + 1;
  return h * 0x100000001b3ull;
}
}  // namespace

Network::Network(EventLoop& loop, TraceBus& bus, std::uint64_t seed)
    : loop_{&loop}, bus_{&bus}, seed_{seed}, root_{seed} {}

// Links go first: they cancel their deliveries and unplug their endpoints.
Network::~Network() { links_.clear(); }

SimNic& Network::add_nic(std::string host, std::string name, MacAddress mac, std::size_t mtu) {
  const std::string label = host + '.' + name;
  if (find_nic(host, name) != nullptr) throw std::invalid_argument("nic " + label + " already exists");
  check_mtu(mtu, "nic " + label);
  nics_.push_back(std::make_unique<SimNic>(*bus_, std::move(host), std::move(name), mac, mtu));
  return *nics_.back();
}

Switch& Network::add_switch(std::string name, std::size_t ports, std::size_t mtu) {
  if (find_switch(name) != nullptr) throw std::invalid_argument("switch " + name + " already exists");
  check_mtu(mtu, "switch " + name);
  switches_.push_back(std::make_unique<Switch>(*loop_, *bus_, std::move(name), ports, mtu));
  return *switches_.back();
}

Link& Network::connect(LinkEndpoint& a, LinkEndpoint& b, LinkConfig config) {
  std::string name = config.name.empty() ? "link" + std::to_string(links_.size()) : config.name;
  if (find_link(name) != nullptr) throw std::invalid_argument("link " + name + " already exists");
  Random a_to_b = root_.fork(label_of(name, Direction::AtoB));
  Random b_to_a = root_.fork(label_of(name, Direction::BtoA));
  links_.push_back(std::make_unique<Link>(*loop_, *bus_, std::move(name), a, b, config, a_to_b, b_to_a));
  return *links_.back();
}

SimNic* Network::find_nic(std::string_view host, std::string_view name) const {
  for (const auto& nic : nics_) {
    if (nic->host() == host && nic->name() == name) return nic.get();
  }
  return nullptr;
}

Switch* Network::find_switch(std::string_view name) const {
  for (const auto& sw : switches_) {
    if (sw->name() == name) return sw.get();
  }
  return nullptr;
}

Link* Network::find_link(std::string_view name) const {
  for (const auto& link : links_) {
    if (link->name() == name) return link.get();
  }
  return nullptr;
}

}  // namespace netstep::sim
