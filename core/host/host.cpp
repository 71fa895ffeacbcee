#include "host/host.hpp"

#include <stdexcept>

namespace netstep {

Host::Host(EventLoop& loop, TraceBus& bus, HostConfig config)
    : loop_{loop},
      name_{std::move(config.name)},
      tracer_{bus, name_},
      arp_{config.arp},
      ip_{loop, tracer_, Random{config.seed}.fork(/*ipv4*/ 4), config.ip},
      // Each layer forks its own stream, so UDP's draws never shift TCP's.
      udp_{loop, tracer_, ip_, Random{config.seed}.fork(/*udp: the IP protocol number*/ 17)},
      tcp_{loop, tracer_, ip_, Random{config.seed}.fork(/*tcp: the IP protocol number*/ 6)} {
  if (name_.empty()) throw std::invalid_argument("host: a host needs a name");
  arp_.validate();
}

EthernetInterface& Host::add_interface(Device& device, Ipv4Cidr address) {
  InterfaceConfig config{"eth" + std::to_string(interfaces_.size()), address, arp_};
  interfaces_.push_back(std::make_unique<EthernetInterface>(loop_, tracer_, device, std::move(config)));
  ip_.add_interface(*interfaces_.back());
  return *interfaces_.back();
}

void Host::add_route(Ipv4Cidr prefix, Ipv4Address gateway, std::uint32_t metric) {
  for (std::uint32_t i = 0; i < interfaces_.size(); ++i) {
    const Ipv4Cidr connected = interfaces_[i]->address();
    if (!connected.address().is_unspecified() && connected.contains(gateway)) {
      ip_.routes().add(Route{prefix, RouteKind::Unicast, gateway, i, metric});
      return;
    }
  }
  throw std::invalid_argument("host " + name_ + ": gateway " + gateway.to_string() +
                              " is not on any connected network");
}

void Host::add_special_route(Ipv4Cidr prefix, RouteKind kind) {
  if (kind == RouteKind::Unicast) throw std::invalid_argument("host: a special route needs a special kind");
  ip_.routes().add(Route{prefix, kind, std::nullopt, 0, 0});
}

Ipv4Address Host::primary_address() const {
  return interfaces_.empty() ? Ipv4Address{} : interfaces_.front()->address().address();
}

}  // namespace netstep
