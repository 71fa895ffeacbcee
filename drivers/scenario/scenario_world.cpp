#include "scenario/scenario_world.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "base/random.hpp"
#include "scenario/scenario_loader.hpp"

namespace netstep::scenario {

ScenarioWorld::ScenarioWorld(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop,
                             TraceBus& bus)
    : tasks_{loop}, network_{loop, bus, scenario.seed} {
  const TopologySpec& t = scenario.topology;
  // Switches first, with a port for every cable that ends on them.
  std::map<std::string, std::size_t> ports_needed;
  for (const LinkSpec& link : t.links) {
    for (const CableEnd* end : {&link.a, &link.b}) {
      if (end->is_switch()) ++ports_needed[end->node];
    }
  }
  for (const SwitchSpec& s : t.switches) network_.add_switch(s.name, std::max<std::size_t>(ports_needed[s.name], 1));

  // NICs, one per host interface, with MACs 02:00:00:00:00:01, :02 ...
  std::uint32_t next_mac = 1;
  for (const HostSpec& h : t.hosts) {
    for (const InterfaceSpec& i : h.interfaces) network_.add_nic(h.name, i.name, MacAddress::local(next_mac++));
  }
  std::map<std::string, std::size_t> next_port;
  const auto endpoint = [&](const CableEnd& end) -> sim::LinkEndpoint& {
    if (end.is_switch()) return network_.find_switch(end.node)->port(next_port[end.node]++);
    return *network_.find_nic(end.node, end.interface);
  };
  for (const LinkSpec& link : t.links) {
    try {
      sim::Link& made = network_.connect(endpoint(link.a), endpoint(link.b),
                                         sim::LinkConfig{link.name, link.impairments, link.impairments, link.bits_per_second});
      for (const RuleSpec& rule : t.rules) {
        if (rule.link != link.name) continue;
        made.add_rule(rule.from == link.a.node ? sim::Direction::AtoB : sim::Direction::BtoA, rule.rule);
      }
    } catch (const std::invalid_argument& e) {
      throw ScenarioError{link.mark, "link '" + link.name + "': " + e.what()};
    }
  }

  // Hosts, each with its own random stream forked from the scenario's seed.
  Random seeds{scenario.seed};
  for (const HostSpec& h : t.hosts) {
    HostEntry entry;
    entry.name = h.name;
    entry.personality = h.personality.value_or(personality);
    entry.host = std::make_unique<Host>(loop, bus, HostConfig{h.name, {}, {}, seeds.next_u64()});
    for (const InterfaceSpec& i : h.interfaces) entry.host->add_interface(*network_.find_nic(h.name, i.name), i.address);
    entry.host->ip().set_forwarding(h.forwarding);
    try {
      for (const RouteSpec& route : h.routes) entry.host->add_route(route.prefix, route.gateway);
    } catch (const std::invalid_argument& e) {
      throw ScenarioError{h.mark, "host '" + h.name + "': " + e.what()};
    }
    const bool has_steps = std::any_of(scenario.programs.begin(), scenario.programs.end(),
                                       [&](const HostSteps& p) { return p.host == h.name; });
    if (h.scripted_tcp) {
      entry.peer = std::make_unique<ScriptedTcpPeer>(*entry.host);
    } else if (has_steps) {
      socket::SocketApiOptions options;
      options.tracer = Tracer{bus, entry.host->name()};
      entry.api = std::make_unique<socket::SocketApi>(entry.host->tcp(), entry.host->udp(), tasks_, entry.personality,
                                                      options);
    }
    // After the socket API, which sets its personality's range.
    if (h.ephemeral_ports) {
      entry.host->tcp().set_ephemeral_range(*h.ephemeral_ports);
      entry.host->udp().set_ephemeral_range(*h.ephemeral_ports);
    }
    hosts_.push_back(std::move(entry));
  }
}

ScenarioWorld::~ScenarioWorld() {
  // Sockets before their hosts, hosts before the wire (the members' order
  // does the rest).
  for (HostEntry& h : hosts_) h.api.reset();
}

Host& ScenarioWorld::host(std::string_view name) {
  for (HostEntry& h : hosts_) {
    if (h.name == name) return *h.host;
  }
  throw std::out_of_range{"no host named " + std::string{name}};
}

socket::SocketApi* ScenarioWorld::sockets(std::string_view host) {
  for (HostEntry& h : hosts_) {
    if (h.name == host) return h.api.get();
  }
  return nullptr;
}

ScriptedTcpPeer* ScenarioWorld::scripted_peer(std::string_view host) {
  for (HostEntry& h : hosts_) {
    if (h.name == host) return h.peer.get();
  }
  return nullptr;
}

socket::PersonalityId ScenarioWorld::personality_of(std::string_view host) const {
  for (const HostEntry& h : hosts_) {
    if (h.name == host) return h.personality;
  }
  return socket::PersonalityId::Linux;
}

std::vector<std::string> ScenarioWorld::host_names() const {
  std::vector<std::string> names;
  for (const HostEntry& h : hosts_) names.push_back(h.name);
  return names;
}

}  // namespace netstep::scenario
