#include "topology/default_topology.hpp"

#include <stdexcept>

namespace netstep::topology {

namespace {
Ipv4Cidr cidr(const char* text) { return *Ipv4Cidr::parse(text); }
}  // namespace

DefaultTopology::DefaultTopology(EventLoop& loop, TraceBus& bus, DefaultTopologyOptions options)
    : network_{loop, bus, options.seed} {
  if (!(options.loss >= 0.0 && options.loss <= 1.0)) {
    throw std::invalid_argument("loss must be between 0 and 1");
  }
  Random seeds{options.seed};
  const auto make_host = [&](const char* name) {
    hosts_.push_back(std::make_unique<Host>(loop, bus, HostConfig{name, {}, {}, seeds.next_u64()}));
    return hosts_.back().get();
  };
  Host* client = make_host("client");
  Host* server = make_host("server");
  Host* router = make_host("router");
  Host* remote = make_host("remote");

  sim::Impairments lan;
  lan.delay = options.lan_delay;
  lan.loss = options.loss;
  sim::Impairments wan = lan;
  wan.delay = options.wan_delay;

  auto& sw = network_.add_switch("lan", 3);
  auto& client_nic = network_.add_nic("client", "eth0", MacAddress::local(0x000001));
  auto& server_nic = network_.add_nic("server", "eth0", MacAddress::local(0x000002));
  auto& router_lan = network_.add_nic("router", "eth0", MacAddress::local(0x0000fe));
  auto& router_wan = network_.add_nic("router", "eth1", MacAddress::local(0x0001fe));
  auto& remote_nic = network_.add_nic("remote", "eth0", MacAddress::local(0x000102));
  network_.connect(client_nic, sw.port(0), sim::LinkConfig{"client-lan", lan, lan, 0});
  network_.connect(server_nic, sw.port(1), sim::LinkConfig{"server-lan", lan, lan, 0});
  network_.connect(router_lan, sw.port(2), sim::LinkConfig{"router-lan", lan, lan, 0});
  network_.connect(router_wan, remote_nic, sim::LinkConfig{"wan", wan, wan, 0});

  client->add_interface(client_nic, cidr("10.0.0.1/24"));
  server->add_interface(server_nic, cidr("10.0.0.2/24"));
  router->add_interface(router_lan, cidr("10.0.0.254/24"));
  router->add_interface(router_wan, cidr("10.0.1.254/24"));
  remote->add_interface(remote_nic, cidr("10.0.1.2/24"));

  router->ip().set_forwarding(true);
  client->add_default_route(Ipv4Address{10, 0, 0, 254});
  server->add_default_route(Ipv4Address{10, 0, 0, 254});
  remote->add_default_route(Ipv4Address{10, 0, 1, 254});
}

std::string_view DefaultTopology::diagram() {
  return "  client 10.0.0.1/24 ----+\n"
         "  server 10.0.0.2/24 ----+-- switch lan\n"
         "  router 10.0.0.254/24 --+\n"
         "  router 10.0.1.254/24 ------ wan (1 ms) ------ remote 10.0.1.2/24\n";
}

}  // namespace netstep::topology
