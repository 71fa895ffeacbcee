#include "scenario/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "socket/errc.hpp"
#include "tcp/tcp_state.hpp"

namespace netstep::scenario {

namespace {

using namespace std::chrono_literals;
using socket::PersonalityId;

constexpr PersonalityId all_personalities[] = {PersonalityId::Linux, PersonalityId::FreeBsd, PersonalityId::Winsock,
                                               PersonalityId::FreeRtos, PersonalityId::TargetTcp};

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

// What a node is, for "found ..." in messages.
std::string found(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "?";
}

class Reader {
 public:
  explicit Reader(std::string file) : file_{std::move(file)} {}

  [[nodiscard]] SourceMark mark(const YAML::Node& node) const {
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return SourceMark{file_, 1, 1};
    return SourceMark{file_, m.line + 1, m.column + 1};
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const {
    throw ScenarioError{mark(node), problem};
  }
  [[noreturn]] void expected(const YAML::Node& node, const std::string& what) const {
    fail(node, "found " + found(node) + ", expected " + what);
  }

  void require_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) expected(node, what);
  }
  // Every key of `node` must be one of `allowed`.
  void only_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed) const {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(entry.first, "unknown key '" + key + "', expected one of: " + join(allowed));
      }
    }
  }
  [[nodiscard]] YAML::Node required(const YAML::Node& map, const char* key, const std::string& what) const {
    const YAML::Node value = map[key];
    if (!value) fail(map, std::string{"missing '"} + key + "' (" + what + ")");
    return value;
  }

  [[nodiscard]] std::string text(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) expected(node, what);
    return node.Scalar();
  }
  [[nodiscard]] std::string name(const YAML::Node& node, const std::string& what) const {
    const std::string s = text(node, what);
    const bool ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
    if (!ok) expected(node, what + " (letters, digits, '-' and '_')");
    return s;
  }
  [[nodiscard]] bool boolean(const YAML::Node& node) const {
    const std::string s = text(node, "true or false");
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    expected(node, "true or false");
  }
  [[nodiscard]] long long integer(const YAML::Node& node, long long low, long long high, const std::string& what) const {
    const std::string s = text(node, what);
    long long value = 0;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc{} || end != s.data() + s.size() || value < low || value > high) {
      expected(node, what + " (a whole number from " + std::to_string(low) + " to " + std::to_string(high) + ")");
    }
    return value;
  }
  [[nodiscard]] double fraction(const YAML::Node& node, const std::string& what) const {
    const std::string s = text(node, what);
    double value = 0;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc{} || end != s.data() + s.size() || !(value >= 0.0 && value <= 1.0)) {
      expected(node, what + " (a probability from 0 to 1)");
    }
    return value;
  }
  // "50us", "1ms", "3s", "1.5s", "2min", "0".
  [[nodiscard]] Duration duration(const YAML::Node& node, const std::string& what) const {
    const std::string s = text(node, what);
    double number = 0;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), number);
    const std::string_view unit{end, static_cast<std::size_t>(s.data() + s.size() - end)};
    double scale = 0;  // nanoseconds per unit
    if (unit == "ns") scale = 1;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "min") scale = 60e9;
    else if (unit.empty() && number == 0) scale = 1;
    if (error != std::errc{} || scale == 0 || !(number >= 0) || number * scale > 1e15) {
      expected(node, what + " (a duration such as 50us, 1ms, 3s, 1.5s or 2min)");
    }
    return Duration{static_cast<Duration::rep>(std::llround(number * scale))};
  }
  [[nodiscard]] Ipv4Address address(const YAML::Node& node, const std::string& what) const {
    const auto a = Ipv4Address::parse(text(node, what));
    if (!a) expected(node, what + " (an IPv4 address such as 10.0.0.2)");
    return *a;
  }
  [[nodiscard]] Ipv4Cidr cidr(const YAML::Node& node, const std::string& what) const {
    const std::string s = text(node, what);
    if (s.find('/') == std::string::npos) {
      const auto a = Ipv4Address::parse(s);
      if (a) return Ipv4Cidr{*a, 32};
    }
    const auto c = Ipv4Cidr::parse(s);
    if (!c) expected(node, what + " (an address with its prefix length, such as 10.0.0.1/24)");
    return *c;
  }
  // "10.0.0.2:80".
  [[nodiscard]] Endpoint endpoint(const YAML::Node& node, const std::string& what) const {
    const std::string s = text(node, what);
    const auto colon = s.rfind(':');
    const std::string expectation = what + " (address:port, such as 10.0.0.2:80)";
    if (colon == std::string::npos) expected(node, expectation);
    const auto a = Ipv4Address::parse(std::string_view{s}.substr(0, colon));
    unsigned port = 0;
    const char* first = s.data() + colon + 1;
    const char* last = s.data() + s.size();
    const auto [end, error] = std::from_chars(first, last, port);
    if (!a || error != std::errc{} || end != last || first == last || port > 65535) expected(node, expectation);
    return Endpoint{*a, Port{static_cast<std::uint16_t>(port)}};
  }
  [[nodiscard]] PersonalityId personality(const YAML::Node& node) const {
    const socket::Personality* p = socket::Personality::find(text(node, "a personality"));
    if (p == nullptr) expected(node, "a personality: linux, freebsd, winsock, freertos or targettcp");
    return p->id();
  }
  // A list or "SYN,ACK".
  [[nodiscard]] std::uint8_t tcp_flags(const YAML::Node& node) const {
    std::vector<std::pair<std::string, YAML::Node>> names;
    if (node.IsSequence()) {
      for (const auto& item : node) names.emplace_back(text(item, "a TCP flag"), item);
    } else {
      std::stringstream in{text(node, "TCP flags")};
      for (std::string word; std::getline(in, word, ',');) {
        word.erase(std::remove(word.begin(), word.end(), ' '), word.end());
        names.emplace_back(word, node);
      }
    }
    std::uint8_t bits = 0;
    for (const auto& [flag, at] : names) {
      std::string upper = flag;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      if (upper == "FIN") bits |= sim::tcp_flag::fin;
      else if (upper == "SYN") bits |= sim::tcp_flag::syn;
      else if (upper == "RST") bits |= sim::tcp_flag::rst;
      else if (upper == "PSH") bits |= sim::tcp_flag::psh;
      else if (upper == "ACK") bits |= sim::tcp_flag::ack;
      else if (upper == "URG") bits |= sim::tcp_flag::urg;
      else if (upper == "ECE") bits |= sim::tcp_flag::ece;
      else if (upper == "CWR") bits |= sim::tcp_flag::cwr;
      else fail(at, "found TCP flag '" + flag + "', expected FIN, SYN, RST, PSH, ACK, URG, ECE or CWR");
    }
    return bits;
  }

 private:
  std::string file_;
};

// --- topology ----------------------------------------------------------------

CableEnd cable_end(const Reader& r, const YAML::Node& node) {
  const std::string s = r.text(node, "a cable end (host, host.interface or switch)");
  const auto dot = s.find('.');
  if (dot == std::string::npos) return CableEnd{s, {}};
  return CableEnd{s.substr(0, dot), s.substr(dot + 1)};
}

void read_impairments(const Reader& r, const YAML::Node& node, sim::Impairments& imp, std::uint64_t* bits) {
  if (const auto n = node["delay"]) imp.delay = r.duration(n, "delay");
  if (const auto n = node["jitter"]) imp.jitter = r.duration(n, "jitter");
  if (const auto n = node["loss"]) imp.loss = r.fraction(n, "loss");
  if (const auto n = node["duplicate"]) imp.duplicate = r.fraction(n, "duplicate");
  if (const auto n = node["reorder"]) imp.reorder = r.fraction(n, "reorder");
  if (const auto n = node["corrupt"]) imp.corrupt = r.fraction(n, "corrupt");
  if (const auto n = node["reorder_delay"]) imp.reorder_delay = r.duration(n, "reorder_delay");
  if (bits != nullptr) {
    if (const auto n = node["rate"]) *bits = static_cast<std::uint64_t>(r.integer(n, 1, 400'000'000'000LL, "rate in bits per second"));
  }
  try {
    imp.validate();
  } catch (const std::invalid_argument& e) {
    r.fail(node, e.what());
  }
}

// "40000-40003": the first and last port, both included (Linux's
// ip_local_port_range).
EphemeralRange read_port_range(const Reader& r, const YAML::Node& node) {
  const std::string what = "a port range FIRST-LAST such as 40000-40003 (1 to 65535, FIRST <= LAST)";
  const std::string s = r.text(node, what);
  const auto dash = s.find('-');
  if (dash == std::string::npos) r.expected(node, what);
  const auto port = [&](std::string_view text) -> std::uint16_t {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) r.expected(node, what);
    return static_cast<std::uint16_t>(value);
  };
  const EphemeralRange range{port(std::string_view{s}.substr(0, dash)), port(std::string_view{s}.substr(dash + 1))};
  if (!range.valid()) r.expected(node, what);
  return range;
}

HostSpec read_host(const Reader& r, const YAML::Node& node) {
  r.require_map(node,
                "a host (name, address or interfaces, gateway, routes, forwarding, personality, tcp, ephemeral_ports)");
  r.only_keys(node, {"name", "address", "interfaces", "gateway", "routes", "forwarding", "personality", "tcp",
                     "ephemeral_ports"});
  HostSpec h;
  h.mark = r.mark(node);
  h.name = r.name(r.required(node, "name", "the host's name"), "a host name");
  if (node["address"] && node["interfaces"]) r.fail(node, "give either 'address' or 'interfaces', not both");
  if (const auto a = node["address"]) {
    const Ipv4Cidr c = r.cidr(a, "the host's address");
    if (c.length() == 32) r.expected(a, "an address with its prefix length, such as 10.0.0.1/24");
    h.interfaces.push_back(InterfaceSpec{"eth0", c});
  }
  if (const auto list = node["interfaces"]) {
    if (!list.IsSequence()) r.expected(list, "a list of addresses, one per interface (eth0, eth1 ...)");
    for (const auto& item : list) {
      const std::string name = "eth" + std::to_string(h.interfaces.size());
      h.interfaces.push_back(InterfaceSpec{name, r.cidr(item, "the address of " + name + " (10.0.0.254/24)")});
    }
  }
  if (h.interfaces.empty()) r.fail(node, "host '" + h.name + "' has no address: give 'address: 10.0.0.1/24'");
  if (const auto g = node["gateway"]) h.routes.push_back(RouteSpec{Ipv4Cidr{Ipv4Address::any(), 0}, r.address(g, "a gateway")});
  if (const auto routes = node["routes"]) {
    if (!routes.IsSequence()) r.expected(routes, "a list of routes ({to: 10.0.2.0/24, via: 10.0.0.254})");
    for (const auto& route : routes) {
      r.require_map(route, "a route ({to, via})");
      r.only_keys(route, {"to", "via"});
      const YAML::Node to = r.required(route, "to", "the destination prefix, or default");
      const Ipv4Cidr prefix =
          to.IsScalar() && to.Scalar() == "default" ? Ipv4Cidr{Ipv4Address::any(), 0} : r.cidr(to, "a prefix");
      h.routes.push_back(RouteSpec{prefix, r.address(r.required(route, "via", "the gateway"), "a gateway")});
    }
  }
  if (const auto f = node["forwarding"]) h.forwarding = r.boolean(f);
  if (const auto p = node["personality"]) h.personality = r.personality(p);
  if (const auto tcp = node["tcp"]) {
    const std::string s = r.text(tcp, "scripted or stack");
    if (s == "scripted") h.scripted_tcp = true;
    else if (s != "stack") r.expected(tcp, "scripted (the steps play its TCP) or stack");
  }
  if (const auto ports = node["ephemeral_ports"]) h.ephemeral_ports = read_port_range(r, ports);
  return h;
}

sim::FrameMatch read_match(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "what to match (protocol, from, to, flags, not_flags, icmp_type)");
  r.only_keys(node, {"protocol", "from", "to", "src", "dst", "src_port", "dst_port", "flags", "not_flags", "icmp_type"});
  sim::FrameMatch m;
  if (const auto p = node["protocol"]) {
    const std::string s = r.text(p, "tcp, udp or icmp");
    if (s == "tcp") m.ip_protocol = 6;
    else if (s == "udp") m.ip_protocol = 17;
    else if (s == "icmp") m.ip_protocol = 1;
    else r.expected(p, "tcp, udp or icmp");
  }
  // from / to: an address, or address:port.
  const auto place = [&](const YAML::Node& n, std::optional<Ipv4Cidr>& ip, std::optional<Port>& port) {
    const std::string s = r.text(n, "an address, address/prefix or address:port");
    if (s.find(':') != std::string::npos) {
      const Endpoint e = r.endpoint(n, "address:port");
      ip = sim::FrameMatch::host(e.address);
      port = e.port;
    } else {
      ip = r.cidr(n, "an address or prefix");
    }
  };
  if (const auto n = node["from"]) place(n, m.ip_source, m.source_port);
  if (const auto n = node["src"]) place(n, m.ip_source, m.source_port);
  if (const auto n = node["to"]) place(n, m.ip_destination, m.destination_port);
  if (const auto n = node["dst"]) place(n, m.ip_destination, m.destination_port);
  if (const auto n = node["src_port"]) m.source_port = Port{static_cast<std::uint16_t>(r.integer(n, 0, 65535, "a port"))};
  if (const auto n = node["dst_port"]) m.destination_port = Port{static_cast<std::uint16_t>(r.integer(n, 0, 65535, "a port"))};
  if (const auto n = node["flags"]) m.tcp_flags_set = r.tcp_flags(n);
  if (const auto n = node["not_flags"]) m.tcp_flags_clear = r.tcp_flags(n);
  if (const auto n = node["icmp_type"]) m.icmp_type = static_cast<std::uint8_t>(r.integer(n, 0, 255, "an ICMP type"));
  return m;
}

// "host-unreachable", "net-unreachable", "port-unreachable", "prohibited", or a code.
std::uint8_t unreachable_code(const Reader& r, const YAML::Node& node) {
  const std::string s = r.text(node, "an ICMP unreachable kind");
  if (s == "net-unreachable") return 0;
  if (s == "host-unreachable") return 1;
  if (s == "protocol-unreachable") return 2;
  if (s == "port-unreachable") return 3;
  if (s == "prohibited") return 13;
  r.expected(node, "net-unreachable, host-unreachable, protocol-unreachable, port-unreachable or prohibited");
}

RuleSpec read_rule(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "a rule ({link, from, match, action, count})");
  r.only_keys(node, {"link", "from", "match", "action", "icmp", "reply_from", "count"});
  RuleSpec rule;
  rule.mark = r.mark(node);
  rule.link = r.name(r.required(node, "link", "the link the rule sits on"), "a link name");
  rule.from = r.name(r.required(node, "from", "the end of the link whose frames it sees"), "a host or switch");
  if (const auto m = node["match"]) rule.rule.match = read_match(r, m);
  const YAML::Node action = r.required(node, "action", "drop, reject-icmp or reject-rst");
  const std::string a = r.text(action, "drop, reject-icmp or reject-rst");
  if (a == "drop") {
    rule.rule.action = sim::Drop{};
  } else if (a == "reject-rst") {
    rule.rule.action = sim::RejectWithTcpReset{};
  } else if (a == "reject-icmp") {
    sim::RejectWithIcmp reject;
    reject.code = node["icmp"] ? unreachable_code(r, node["icmp"]) : std::uint8_t{1};
    reject.from = r.address(r.required(node, "reply_from", "the address the ICMP error comes from"), "an address");
    rule.rule.action = reject;
  } else {
    r.expected(action, "drop, reject-icmp or reject-rst");
  }
  if (const auto c = node["count"]) rule.rule.count = static_cast<int>(r.integer(c, 1, 1'000'000'000, "a count"));
  return rule;
}

LinkSpec read_link(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "a link ({name, between: [a, b], delay, loss ...})");
  r.only_keys(node, {"name", "between", "delay", "jitter", "loss", "duplicate", "reorder", "corrupt", "reorder_delay",
                     "rate"});
  LinkSpec link;
  link.mark = r.mark(node);
  link.name = r.name(r.required(node, "name", "the link's name"), "a link name");
  const YAML::Node between = r.required(node, "between", "its two ends");
  if (!between.IsSequence() || between.size() != 2) r.expected(between, "two ends: [client, lan] or [router.eth1, remote]");
  link.a = cable_end(r, between[0]);
  link.b = cable_end(r, between[1]);
  link.impairments.delay = 50us;
  read_impairments(r, node, link.impairments, &link.bits_per_second);
  return link;
}

void read_topology(const Reader& r, const YAML::Node& node, TopologySpec& t) {
  if (node.IsScalar()) {
    if (node.Scalar() != "default") r.expected(node, "'default' or a topology mapping");
    t = default_topology_spec();
    return;
  }
  r.require_map(node, "'default' or a topology ({base, hosts, switches, links, rules, impair})");
  r.only_keys(node, {"base", "hosts", "switches", "links", "rules", "impair"});
  if (const auto base = node["base"]) {
    if (r.text(base, "default") != "default") r.expected(base, "default");
    t = default_topology_spec();
  }
  if (const auto hosts = node["hosts"]) {
    if (!hosts.IsSequence()) r.expected(hosts, "a list of hosts");
    for (const auto& h : hosts) t.hosts.push_back(read_host(r, h));
  }
  if (const auto switches = node["switches"]) {
    if (!switches.IsSequence()) r.expected(switches, "a list of switch names");
    for (const auto& s : switches) t.switches.push_back(SwitchSpec{r.name(s, "a switch name"), r.mark(s)});
  }
  if (const auto links = node["links"]) {
    if (!links.IsSequence()) r.expected(links, "a list of links");
    for (const auto& l : links) t.links.push_back(read_link(r, l));
  }
  if (const auto impair = node["impair"]) {
    if (!impair.IsSequence()) r.expected(impair, "a list of {link, loss, delay ...}");
    for (const auto& item : impair) {
      r.require_map(item, "{link, loss, delay ...}");
      r.only_keys(item, {"link", "delay", "jitter", "loss", "duplicate", "reorder", "corrupt", "reorder_delay", "rate"});
      const YAML::Node name = r.required(item, "link", "the link to impair");
      const std::string link_name = r.text(name, "a link name");
      const auto it = std::find_if(t.links.begin(), t.links.end(), [&](const LinkSpec& l) { return l.name == link_name; });
      if (it == t.links.end()) r.fail(name, "no link named '" + link_name + "'");
      read_impairments(r, item, it->impairments, &it->bits_per_second);
    }
  }
  if (const auto rules = node["rules"]) {
    if (!rules.IsSequence()) r.expected(rules, "a list of rules");
    for (const auto& rule : rules) t.rules.push_back(read_rule(r, rule));
  }
}

// Names, cables and addresses that must agree with each other.
void check_topology(const Reader& r, const YAML::Node& where, TopologySpec& t) {
  std::set<std::string> nodes;
  for (const HostSpec& h : t.hosts) {
    if (!nodes.insert(h.name).second) throw ScenarioError{h.mark, "a second host named '" + h.name + "'"};
  }
  for (const SwitchSpec& s : t.switches) {
    if (!nodes.insert(s.name).second) throw ScenarioError{s.mark, "'" + s.name + "' is already a host or switch"};
  }
  if (t.hosts.empty()) r.fail(where, "the topology has no hosts");
  std::set<std::pair<std::string, std::string>> plugged;
  std::set<std::string> link_names;
  for (LinkSpec& link : t.links) {
    if (!link_names.insert(link.name).second) throw ScenarioError{link.mark, "a second link named '" + link.name + "'"};
    for (CableEnd* end : {&link.a, &link.b}) {
      const HostSpec* host = t.find_host(end->node);
      const bool is_switch = std::any_of(t.switches.begin(), t.switches.end(),
                                         [&](const SwitchSpec& s) { return s.name == end->node; });
      if (host == nullptr && !is_switch) {
        throw ScenarioError{link.mark, "link '" + link.name + "': no host or switch named '" + end->node + "'"};
      }
      if (is_switch) {
        if (!end->interface.empty()) throw ScenarioError{link.mark, "link '" + link.name + "': a switch end has no interface"};
        continue;
      }
      if (end->interface.empty()) {
        if (host->interfaces.size() != 1) {
          throw ScenarioError{link.mark, "link '" + link.name + "': host '" + host->name +
                                             "' has several interfaces: name one (" + host->name + ".eth0)"};
        }
        end->interface = host->interfaces.front().name;
      }
      const bool exists = std::any_of(host->interfaces.begin(), host->interfaces.end(),
                                      [&](const InterfaceSpec& i) { return i.name == end->interface; });
      if (!exists) throw ScenarioError{link.mark, "link '" + link.name + "': host '" + host->name + "' has no interface '" + end->interface + "'"};
      if (!plugged.insert({end->node, end->interface}).second) {
        throw ScenarioError{link.mark, "link '" + link.name + "': " + end->node + "." + end->interface + " already has a cable"};
      }
    }
  }
  for (const HostSpec& h : t.hosts) {
    for (const InterfaceSpec& i : h.interfaces) {
      if (!plugged.count({h.name, i.name})) {
        throw ScenarioError{h.mark, "host '" + h.name + "': interface " + i.name + " has no cable (add a link)"};
      }
    }
    for (const RouteSpec& route : h.routes) {
      const bool on_link = std::any_of(h.interfaces.begin(), h.interfaces.end(),
                                       [&](const InterfaceSpec& i) { return i.address.contains(route.gateway); });
      if (!on_link) {
        throw ScenarioError{h.mark, "host '" + h.name + "': gateway " + route.gateway.to_string() +
                                        " is outside every subnet of the host"};
      }
    }
  }
  for (const RuleSpec& rule : t.rules) {
    const auto link = std::find_if(t.links.begin(), t.links.end(), [&](const LinkSpec& l) { return l.name == rule.link; });
    if (link == t.links.end()) throw ScenarioError{rule.mark, "rule: no link named '" + rule.link + "'"};
    if (rule.from != link->a.node && rule.from != link->b.node) {
      throw ScenarioError{rule.mark, "rule: '" + rule.from + "' is not an end of link '" + rule.link + "' (" +
                                         link->a.node + ", " + link->b.node + ")"};
    }
  }
}

// --- expectations ----------------------------------------------------------

ResultExpectation read_result(const Reader& r, const YAML::Node& node) {
  const std::string s = r.text(node, "a result: 0, a number, ok, error, or an error name such as ECONNREFUSED");
  ResultExpectation e;
  if (s == "ok" || s == "success") return e;
  if (s == "error" || s == "fail" || s == "failure") {
    e.kind = ResultExpectation::Kind::Failure;
    return e;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error == std::errc{} && end == s.data() + s.size()) {
    e.kind = ResultExpectation::Kind::Value;
    e.value = value;
    return e;
  }
  // The POSIX name, or a system's spelling of it.
  std::string_view name = s;
  for (const std::string_view prefix : {"pdFREERTOS_ERRNO_", "-pdFREERTOS_ERRNO_", "WSA"}) {
    if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  }
  std::string posix{name};
  if (!posix.empty() && posix.front() != 'E' && s.starts_with("WSA")) posix = "E" + posix;
  if (!socket::parse_errc(posix, e.error) && !socket::parse_errc(s, e.error)) {
    r.expected(node, "a result: 0, a number, ok, error, or an error name such as ECONNREFUSED");
  }
  e.kind = ResultExpectation::Kind::Error;
  return e;
}

std::string read_state(const Reader& r, const YAML::Node& node) {
  std::string s = r.text(node, "a TCP state (CLOSED, LISTEN, SYN-SENT, ESTABLISHED ...)");
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c == '_' ? '-' : std::toupper(c); });
  for (int i = 0; i <= static_cast<int>(tcp::State::TimeWait); ++i) {
    if (tcp::to_string(static_cast<tcp::State>(i)) == s) return s;
  }
  r.expected(node, "a TCP state: CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, "
                   "CLOSE-WAIT, CLOSING, LAST-ACK or TIME-WAIT");
}

CallExpectation read_call_expectation(const Reader& r, const YAML::Node& node, bool state_call) {
  CallExpectation e;
  e.mark = r.mark(node);
  if (node.IsScalar()) {
    if (state_call) e.state = read_state(r, node);
    else e.result = read_result(r, node);
    return e;
  }
  r.require_map(node, "a result, or {result, after, tolerance, state}");
  r.only_keys(node, {"result", "after", "tolerance", "state"});
  if (const auto n = node["result"]) e.result = read_result(r, n);
  if (const auto n = node["after"]) e.after = r.duration(n, "how long the call took");
  if (const auto n = node["tolerance"]) e.tolerance = r.duration(n, "a tolerance");
  if (const auto n = node["state"]) e.state = read_state(r, n);
  return e;
}

PerPersonality read_expect(const Reader& r, const YAML::Node& node, bool state_call) {
  PerPersonality p;
  bool per_personality = false;
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (key == "other" || socket::Personality::find(key) != nullptr) per_personality = true;
    }
  }
  if (!per_personality) {
    p.all = read_call_expectation(r, node, state_call);
    return p;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key == "other") {
      p.other = read_call_expectation(r, entry.second, state_call);
    } else if (const socket::Personality* personality = socket::Personality::find(key)) {
      p.each.emplace_back(personality->id(), read_call_expectation(r, entry.second, state_call));
    } else {
      r.fail(entry.first, "unknown key '" + key + "': this expectation names personalities "
                          "(linux, freebsd, winsock, freertos, targettcp, other)");
    }
  }
  return p;
}

// --- steps ------------------------------------------------------------------

struct CallName {
  std::string_view name;
  Call call;
};
constexpr CallName call_names[] = {
    {"socket", Call::Socket},       {"bind", Call::Bind},         {"listen", Call::Listen},
    {"accept", Call::Accept},       {"connect", Call::Connect},   {"send", Call::Send},
    {"recv", Call::Recv},           {"sendto", Call::SendTo},     {"recvfrom", Call::RecvFrom},
    {"shutdown", Call::Shutdown},   {"close", Call::Close},       {"setsockopt", Call::SetSockOpt},
    {"getsockopt", Call::GetSockOpt}, {"so_error", Call::SoError}, {"nonblocking", Call::Nonblocking},
    {"wait", Call::Wait},           {"state", Call::State},
    {"expect_segment", Call::ExpectSegment}, {"expect_no_segment", Call::ExpectNoSegment}, {"inject", Call::Inject},
};

socket::SocketOption read_option(const Reader& r, const YAML::Node& node) {
  using socket::SocketOption;
  const std::string s = r.text(node, "a socket option");
  constexpr std::pair<std::string_view, SocketOption> options[] = {
      {"SO_REUSEADDR", SocketOption::ReuseAddress}, {"SO_BROADCAST", SocketOption::Broadcast},
      {"SO_RCVTIMEO", SocketOption::ReceiveTimeout}, {"SO_SNDTIMEO", SocketOption::SendTimeout},
      {"TCP_NODELAY", SocketOption::NoDelay},       {"TCP_SYNCNT", SocketOption::SynCount},
      {"TCP_USER_TIMEOUT", SocketOption::UserTimeout}, {"FREERTOS_SO_RCVTIMEO", SocketOption::FreeRtosReceiveTimeout},
      {"FREERTOS_SO_SNDTIMEO", SocketOption::FreeRtosSendTimeout}, {"IP_RECVERR", SocketOption::ReceiveErrors},
      {"SO_ERROR", SocketOption::Error},
  };
  for (const auto& [name, option] : options) {
    if (name == s) return option;
  }
  r.expected(node, "a socket option: SO_REUSEADDR, SO_BROADCAST, SO_RCVTIMEO, SO_SNDTIMEO, TCP_NODELAY, TCP_SYNCNT, "
                   "TCP_USER_TIMEOUT, FREERTOS_SO_RCVTIMEO, FREERTOS_SO_SNDTIMEO, IP_RECVERR or SO_ERROR");
}

// --- a scripted peer's segments (tcp: scripted) ------------------------------

// "S", "S.", "SA", "F.", "R", "." (a bare ACK): tcpdump's and packetdrill's
// letters; "SYN,ACK" or a list of names also do.
constexpr std::string_view flag_words[] = {"SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR"};

std::uint8_t segment_flags(const Reader& r, const YAML::Node& node) {
  const std::string what = "TCP flags as letters: S, A (or .), F, R, P, U, E, C, such as S. or FA";
  if (!node.IsScalar()) return r.tcp_flags(node);
  const std::string s = node.Scalar();
  const bool names = s.find(',') != std::string::npos ||
                     std::any_of(std::begin(flag_words), std::end(flag_words), [&](std::string_view w) { return w == s; });
  if (names) return r.tcp_flags(node);
  std::uint8_t bits = 0;
  for (const char c : s) {
    switch (c) {
      case 'S': bits |= sim::tcp_flag::syn; break;
      case 'A':
      case '.': bits |= sim::tcp_flag::ack; break;
      case 'F': bits |= sim::tcp_flag::fin; break;
      case 'R': bits |= sim::tcp_flag::rst; break;
      case 'P': bits |= sim::tcp_flag::psh; break;
      case 'U': bits |= sim::tcp_flag::urg; break;
      case 'E': bits |= sim::tcp_flag::ece; break;
      case 'C':
      case 'W': bits |= sim::tcp_flag::cwr; break;
      default: r.expected(node, what);
    }
  }
  if (s.empty()) r.expected(node, what);
  return bits;
}

std::uint32_t sequence_number(const Reader& r, const YAML::Node& node, const std::string& what) {
  return static_cast<std::uint32_t>(r.integer(node, 0, 0xffffffffLL, what));
}

SegmentPattern read_segment_pattern(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "the segment expected ({flags, seq, ack, len, win, mss, wscale, sack_permitted, within})");
  r.only_keys(node, {"flags", "seq", "ack", "len", "win", "mss", "wscale", "sack_permitted", "within"});
  SegmentPattern p;
  p.flags = segment_flags(r, r.required(node, "flags", "the exact set of flags, such as S or S. or ."));
  if (const auto n = node["seq"]) p.seq = sequence_number(r, n, "a sequence number relative to the stack's ISN");
  if (const auto n = node["ack"]) p.ack = sequence_number(r, n, "an acknowledgment number relative to the script's ISN");
  if (const auto n = node["len"]) p.length = static_cast<std::size_t>(r.integer(n, 0, 65535, "a payload length"));
  if (const auto n = node["win"]) p.window = static_cast<std::uint16_t>(r.integer(n, 0, 65535, "a window (as sent)"));
  if (const auto n = node["mss"]) p.mss = static_cast<std::uint16_t>(r.integer(n, 0, 65535, "an MSS"));
  if (const auto n = node["wscale"]) p.wscale = static_cast<std::uint8_t>(r.integer(n, 0, 255, "a window scale shift"));
  if (const auto n = node["sack_permitted"]) p.sack_permitted = r.boolean(n);
  if (const auto n = node["within"]) p.within = r.duration(n, "how long to wait for it");
  return p;
}

SegmentToInject read_segment_to_inject(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "the segment to send ({flags, seq, ack, win, mss, wscale, sack_permitted, timestamps, data, to, "
                      "from_port, isn})");
  r.only_keys(node, {"flags", "seq", "ack", "win", "mss", "wscale", "sack_permitted", "timestamps", "data", "to", "from_port", "isn"});
  SegmentToInject s;
  s.flags = segment_flags(r, r.required(node, "flags", "its flags, such as S. or R or ."));
  if (const auto n = node["seq"]) s.seq = sequence_number(r, n, "a sequence number relative to the script's ISN");
  if (const auto n = node["ack"]) s.ack = sequence_number(r, n, "an acknowledgment number relative to the stack's ISN");
  if (const auto n = node["win"]) s.window = static_cast<std::uint16_t>(r.integer(n, 0, 65535, "a window (as sent)"));
  if (const auto n = node["mss"]) s.mss = static_cast<std::uint16_t>(r.integer(n, 0, 65535, "an MSS"));
  if (const auto n = node["wscale"]) s.wscale = static_cast<std::uint8_t>(r.integer(n, 0, 14, "a window scale shift"));
  if (const auto n = node["sack_permitted"]) s.sack_permitted = r.boolean(n);
  if (const auto ts = node["timestamps"]) {
    r.require_map(ts, "{val, ecr}");
    r.only_keys(ts, {"val", "ecr"});
    s.ts_value = sequence_number(r, r.required(ts, "val", "TSval"), "a TSval");
    if (const auto n = ts["ecr"]) s.ts_echo = sequence_number(r, n, "a TSecr");
  }
  if (const auto n = node["data"]) s.data = static_cast<std::size_t>(r.integer(n, 0, 65000, "how many payload bytes"));
  if (const auto n = node["to"]) s.to = r.endpoint(n, "where it goes (the stack's address:port)");
  if (const auto n = node["from_port"]) s.from_port = Port{static_cast<std::uint16_t>(r.integer(n, 1, 65535, "a port"))};
  if (const auto n = node["isn"]) s.isn = sequence_number(r, n, "the script's initial sequence number");
  return s;
}

// A segment step's expectation is about time only: no result, no state.
void only_timing(const PerPersonality& p) {
  const auto check = [](const CallExpectation& e) {
    if (e.result || e.state) {
      throw ScenarioError{e.mark, "a segment step's expect gives after and tolerance only (what the segment holds goes "
                                  "in the step itself)"};
    }
  };
  if (p.all) check(*p.all);
  for (const auto& [personality, e] : p.each) check(e);
  if (p.other) check(*p.other);
}

// Socket calls belong to hosts with a TCP/IP stack, segment steps to
// scripted hosts; an inject that opens needs to say where it goes.
void check_fits_host(const HostSpec& host, const Step& step, bool received) {
  const bool segment_step = is_segment_call(step.call);
  if (host.scripted_tcp && !segment_step && step.call != Call::Wait) {
    throw ScenarioError{step.mark, "host '" + host.name + "' has tcp: scripted: its steps are expect_segment, "
                                   "expect_no_segment, inject and wait, not " + std::string{to_string(step.call)}};
  }
  if (!host.scripted_tcp && segment_step) {
    throw ScenarioError{step.mark, std::string{to_string(step.call)} + " is a step of a scripted host: give host '" +
                                       host.name + "' tcp: scripted"};
  }
  if (step.call == Call::Inject && !received && (!step.injected.to || !step.injected.from_port)) {
    throw ScenarioError{step.mark, "this inject opens (no expect_segment before it): give to: and from_port:"};
  }
}

Step read_step(const Reader& r, const YAML::Node& node) {
  r.require_map(node, "a step: one call (socket, connect, ...) with its arguments, and optional expect, at, note");
  Step step;
  step.mark = r.mark(node);
  YAML::Node args;
  bool have_call = false;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key == "expect" || key == "at" || key == "note" || key == "only") continue;
    const auto it = std::find_if(std::begin(call_names), std::end(call_names), [&](const CallName& c) { return c.name == key; });
    if (it == std::end(call_names)) {
      r.fail(entry.first, "unknown call '" + key + "', expected one of: socket, bind, listen, accept, connect, send, "
                          "recv, sendto, recvfrom, shutdown, close, setsockopt, getsockopt, so_error, nonblocking, "
                          "wait, state, expect_segment, expect_no_segment, inject (and expect, at, note, only)");
    }
    if (have_call) r.fail(entry.first, "a step makes one call; '" + key + "' starts another (use a new '-' item)");
    have_call = true;
    step.call = it->call;
    args = entry.second;
  }
  if (!have_call) r.fail(node, "this step makes no call");
  if (const auto at = node["at"]) step.at = r.duration(at, "when the step starts");
  if (const auto note = node["note"]) step.note = r.text(note, "a note");
  if (const auto only = node["only"]) {
    if (only.IsSequence()) {
      for (const auto& p : only) step.only.push_back(r.personality(p));
    } else {
      step.only.push_back(r.personality(only));
    }
  }
  // A scalar argument is the socket (close: s) or the duration (wait: 1s).
  const auto socket_arg = [&](const YAML::Node& n) { return r.name(n, "a socket name"); };
  if (step.call == Call::Wait) {
    step.duration = r.duration(args, "how long to wait");
  } else if (step.call == Call::ExpectNoSegment) {
    step.duration = r.duration(args, "how long nothing may arrive");
  } else if (step.call == Call::ExpectSegment) {
    step.segment = read_segment_pattern(r, args);
  } else if (step.call == Call::Inject) {
    step.injected = read_segment_to_inject(r, args);
  } else if (args.IsScalar() && step.call != Call::Socket) {
    step.socket_name = socket_arg(args);
  } else {
    r.require_map(args, "the call's arguments");
    const auto arg = [&](const char* key) { return args[key]; };
    switch (step.call) {
      case Call::Socket:
        r.only_keys(args, {"as", "type", "nonblocking"});
        step.as = socket_arg(r.required(args, "as", "the name the steps use for it"));
        step.type = socket::sock_stream;
        if (const auto t = arg("type")) {
          const std::string s = r.text(t, "stream or dgram");
          if (s == "dgram" || s == "datagram" || s == "udp") step.type = socket::sock_dgram;
          else if (s != "stream" && s != "tcp") r.expected(t, "stream or dgram");
        }
        if (const auto n = arg("nonblocking")) step.nonblocking = r.boolean(n);
        break;
      case Call::Bind:
        r.only_keys(args, {"socket", "address"});
        step.address = r.endpoint(r.required(args, "address", "the local address:port (0.0.0.0:80)"), "a local address");
        break;
      case Call::Listen:
        r.only_keys(args, {"socket", "backlog"});
        if (const auto b = arg("backlog")) step.backlog = static_cast<int>(r.integer(b, 0, 65535, "a backlog"));
        break;
      case Call::Accept:
        r.only_keys(args, {"socket", "as"});
        step.as = socket_arg(r.required(args, "as", "the name of the accepted connection's socket"));
        break;
      case Call::Connect: {
        r.only_keys(args, {"socket", "to"});
        const YAML::Node to = r.required(args, "to", "the destination address:port, or unspec");
        if (to.IsScalar() && to.Scalar() == "unspec") step.unspecified_family = true;
        else step.address = r.endpoint(to, "a destination");
        break;
      }
      case Call::Send:
      case Call::SendTo:
        r.only_keys(args, step.call == Call::Send ? std::initializer_list<std::string_view>{"socket", "bytes", "dontwait"}
                                                  : std::initializer_list<std::string_view>{"socket", "bytes", "dontwait", "to"});
        step.bytes = 1000;
        if (const auto b = arg("bytes")) step.bytes = static_cast<std::size_t>(r.integer(b, 0, 16 << 20, "a byte count"));
        if (step.call == Call::SendTo) step.address = r.endpoint(r.required(args, "to", "the destination"), "a destination");
        if (const auto d = arg("dontwait")) step.dontwait = r.boolean(d);
        break;
      case Call::Recv:
      case Call::RecvFrom:
        r.only_keys(args, step.call == Call::Recv ? std::initializer_list<std::string_view>{"socket", "bytes", "dontwait", "until_end"}
                                                  : std::initializer_list<std::string_view>{"socket", "bytes", "dontwait"});
        step.bytes = 65536;
        if (const auto b = arg("bytes")) step.bytes = static_cast<std::size_t>(r.integer(b, 1, 16 << 20, "a buffer size"));
        if (const auto d = arg("dontwait")) step.dontwait = r.boolean(d);
        if (const auto u = arg("until_end")) step.until_end = r.boolean(u);
        if (step.until_end && step.dontwait) r.fail(args, "until_end reads until the peer closes: it cannot be dontwait");
        break;
      case Call::Shutdown: {
        r.only_keys(args, {"socket", "how"});
        const YAML::Node how = r.required(args, "how", "read, write or both");
        const std::string s = r.text(how, "read, write or both");
        if (s == "read") step.how = socket::shut_rd;
        else if (s == "write") step.how = socket::shut_wr;
        else if (s == "both") step.how = socket::shut_rdwr;
        else r.expected(how, "read, write or both");
        break;
      }
      case Call::SetSockOpt:
        r.only_keys(args, {"socket", "option", "value"});
        step.option = read_option(r, r.required(args, "option", "the option's name"));
        step.option_value = static_cast<int>(r.integer(r.required(args, "value", "the option's value"), 0, 1'000'000'000, "a value"));
        break;
      case Call::GetSockOpt:
        r.only_keys(args, {"socket", "option"});
        step.option = read_option(r, r.required(args, "option", "the option's name"));
        break;
      case Call::Nonblocking:
        r.only_keys(args, {"socket", "on"});
        step.nonblocking = true;
        if (const auto on = arg("on")) step.nonblocking = r.boolean(on);
        break;
      case Call::Close:
      case Call::SoError:
      case Call::State:
        r.only_keys(args, {"socket"});
        break;
      case Call::Wait:
      case Call::ExpectSegment:
      case Call::ExpectNoSegment:
      case Call::Inject:
        break;
    }
    if (step.call != Call::Socket) step.socket_name = socket_arg(r.required(args, "socket", "the socket's name"));
  }
  if (const auto e = node["expect"]) {
    step.expect = read_expect(r, e, step.call == Call::State);
    if (is_segment_call(step.call)) only_timing(step.expect);
  } else if (step.call == Call::State) {
    r.fail(node, "a state step needs 'expect: ESTABLISHED' (the state it checks)");
  }
  return step;
}

void read_programs(const Reader& r, const YAML::Node& node, Scenario& s) {
  r.require_map(node, "one list of steps per host (client: [...], server: [...])");
  for (const auto& entry : node) {
    HostSteps program;
    program.host = r.name(entry.first, "a host name");
    const HostSpec* host = s.topology.find_host(program.host);
    if (host == nullptr) r.fail(entry.first, "no host named '" + program.host + "' in the topology");
    if (std::any_of(s.programs.begin(), s.programs.end(), [&](const HostSteps& p) { return p.host == program.host; })) {
      r.fail(entry.first, "a second list of steps for '" + program.host + "'");
    }
    if (!entry.second.IsSequence()) r.expected(entry.second, "a list of steps");
    std::set<std::string> sockets;  // made so far, in order
    bool received = false;          // a scripted host: an expect_segment came before
    for (const auto& item : entry.second) {
      Step step = read_step(r, item);
      check_fits_host(*host, step, received);
      received = received || step.call == Call::ExpectSegment;
      if (!step.socket_name.empty() && !sockets.count(step.socket_name)) {
        throw ScenarioError{step.mark, "socket '" + step.socket_name + "' is used before a socket or accept step makes it"};
      }
      if (!step.as.empty()) sockets.insert(step.as);
      program.steps.push_back(std::move(step));
    }
    s.programs.push_back(std::move(program));
  }
}

SegmentExpectation read_segments(const Reader& r, const YAML::Node& node, const Scenario& s) {
  r.require_map(node, "{from, flags, not_flags, to, count, only}");
  r.only_keys(node, {"from", "flags", "not_flags", "to", "count", "only"});
  SegmentExpectation e;
  e.mark = r.mark(node);
  const YAML::Node from = r.required(node, "from", "the host that sends them");
  e.from = r.name(from, "a host name");
  if (s.topology.find_host(e.from) == nullptr) r.fail(from, "no host named '" + e.from + "'");
  if (const auto n = node["flags"]) e.flags_set = r.tcp_flags(n);
  if (const auto n = node["not_flags"]) e.flags_clear = r.tcp_flags(n);
  if (const auto n = node["to"]) e.to = r.endpoint(n, "a destination");
  if (const auto n = node["count"]) e.count = static_cast<int>(r.integer(n, 0, 1'000'000'000, "a count"));
  if (const auto only = node["only"]) {
    if (only.IsSequence()) {
      for (const auto& p : only) e.only.push_back(r.personality(p));
    } else {
      e.only.push_back(r.personality(only));
    }
  }
  return e;
}

Scenario read_scenario(const Reader& r, const YAML::Node& root, const std::string& file) {
  r.require_map(root, "a scenario (name, topology, steps ...)");
  r.only_keys(root, {"netstep", "name", "description", "personality", "seed", "limits", "topology", "steps", "expect"});
  Scenario s;
  s.file = file;
  if (const auto v = root["netstep"]) {
    if (r.integer(v, 1, 1, "the format version") != 1) r.expected(v, "1");
  }
  s.name = r.text(r.required(root, "name", "the scenario's name"), "a name");
  if (const auto d = root["description"]) s.description = r.text(d, "a description");
  if (const auto p = root["personality"]) {
    if (p.IsScalar() && p.Scalar() == "all") {
      s.personalities.assign(std::begin(all_personalities), std::end(all_personalities));
    } else if (p.IsSequence()) {
      for (const auto& item : p) s.personalities.push_back(r.personality(item));
      if (s.personalities.empty()) r.expected(p, "at least one personality");
    } else {
      s.personalities.push_back(r.personality(p));
    }
  } else {
    s.personalities.push_back(PersonalityId::Linux);
  }
  if (const auto seed = root["seed"]) s.seed = static_cast<std::uint64_t>(r.integer(seed, 0, 1LL << 62, "a seed"));
  if (const auto limits = root["limits"]) {
    r.require_map(limits, "{time, events}");
    r.only_keys(limits, {"time", "events"});
    if (const auto t = limits["time"]) s.limits.time = r.duration(t, "a virtual-time limit");
    if (const auto e = limits["events"]) s.limits.events = static_cast<std::uint64_t>(r.integer(e, 1, 1LL << 40, "an event limit"));
  }
  const YAML::Node topology = r.required(root, "topology", "'default' or the hosts, switches and links");
  read_topology(r, topology, s.topology);
  check_topology(r, topology, s.topology);
  if (const auto steps = root["steps"]) read_programs(r, steps, s);
  if (const auto expect = root["expect"]) {
    if (!expect.IsSequence()) r.expected(expect, "a list of expectations ({segments: {...}})");
    for (const auto& item : expect) {
      r.require_map(item, "{segments: {...}}");
      r.only_keys(item, {"segments"});
      s.segments.push_back(read_segments(r, item["segments"], s));
    }
  }
  return s;
}

}  // namespace

TopologySpec default_topology_spec() {
  const auto cidr = [](const char* text) { return *Ipv4Cidr::parse(text); };
  const auto ip = [](const char* text) { return *Ipv4Address::parse(text); };
  const Ipv4Cidr any{Ipv4Address::any(), 0};
  TopologySpec t;
  const auto host = [&](const char* name, std::vector<InterfaceSpec> interfaces, const char* gateway) {
    HostSpec h;
    h.name = name;
    h.interfaces = std::move(interfaces);
    if (gateway != nullptr) h.routes.push_back(RouteSpec{any, ip(gateway)});
    h.forwarding = gateway == nullptr;  // the router has no default route
    return h;
  };
  t.hosts.push_back(host("client", {{"eth0", cidr("10.0.0.1/24")}}, "10.0.0.254"));
  t.hosts.push_back(host("server", {{"eth0", cidr("10.0.0.2/24")}}, "10.0.0.254"));
  t.hosts.push_back(host("router", {{"eth0", cidr("10.0.0.254/24")}, {"eth1", cidr("10.0.1.254/24")}}, nullptr));
  t.hosts.push_back(host("remote", {{"eth0", cidr("10.0.1.2/24")}}, "10.0.1.254"));
  t.switches.push_back(SwitchSpec{"lan", {}});
  sim::Impairments lan;
  lan.delay = 50us;
  sim::Impairments wan;
  wan.delay = 1ms;
  t.links.push_back(LinkSpec{"client-lan", {"client", "eth0"}, {"lan", ""}, lan, 0, {}});
  t.links.push_back(LinkSpec{"server-lan", {"server", "eth0"}, {"lan", ""}, lan, 0, {}});
  t.links.push_back(LinkSpec{"router-lan", {"router", "eth0"}, {"lan", ""}, lan, 0, {}});
  t.links.push_back(LinkSpec{"wan", {"router", "eth1"}, {"remote", "eth0"}, wan, 0, {}});
  return t;
}

Scenario load_scenario_text(std::string_view text, const std::string& file) {
  const Reader r{file};
  YAML::Node root;
  try {
    root = YAML::Load(std::string{text});
  } catch (const YAML::Exception& e) {
    const SourceMark mark = e.mark.is_null() ? SourceMark{file, 1, 1} : SourceMark{file, e.mark.line + 1, e.mark.column + 1};
    throw ScenarioError{mark, "not valid YAML: " + e.msg};
  }
  try {
    return read_scenario(r, root, file);
  } catch (const YAML::Exception& e) {  // a conversion we did not foresee: still a located error
    const SourceMark mark = e.mark.is_null() ? SourceMark{file, 1, 1} : SourceMark{file, e.mark.line + 1, e.mark.column + 1};
    throw ScenarioError{mark, e.msg};
  }
}

Scenario load_scenario_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw ScenarioError{SourceMark{path, 1, 1}, "cannot read the file: " + std::string{std::strerror(errno)}};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_scenario_text(buffer.str(), path);
}

}  // namespace netstep::scenario
