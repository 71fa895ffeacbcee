#include "netstep_lab.hpp"

#include <array>
#include <span>
#include <stdexcept>
#include <variant>

#include "socket/errc.hpp"
#include "wire/arp.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"

namespace netstep::interop {

namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_arp = 0x0806;
constexpr std::uint8_t protocol_tcp = 6;
// No connect() in these probes waits longer than the SYN schedule (7 s with
// tcp_syn_retries=2, 131 s at worst): a call still waiting after this is a bug.
constexpr Duration call_limit = 600s;

double seconds_since_start(Instant t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// A call's result as a probe's RESULT line reports it (the time aside).
CallRecord record_of(std::string name, const socket::CallResult& result) {
  CallRecord r;
  r.name = std::move(name);
  r.ret = result.value;
  if (result.error) {
    r.error = result.code ? std::string{result.code->name} : std::string{socket::posix_name(*result.error)};
    r.error_number = result.code ? result.code->number.value_or(0) : 0;
  }
  r.rule = std::string{result.rule};
  return r;
}

}  // namespace

std::string lab::kernel_spelling(Endpoint endpoint) {
  const std::uint32_t a = endpoint.address.to_u32();
  const std::string port = ":" + std::to_string(endpoint.port.value());
  if ((a >> 8) != ((10u << 16) | 0u)) return endpoint.to_string();  // not 10.0.0.N
  const std::uint32_t host = a & 0xff;
  if (host == 1) return "198.51.100.2" + port;
  if (host == 255) return "198.51.100.127" + port;
  return "198.51.100." + std::to_string(host) + port;
}

// A frame the client sent, as far as the comparison needs it.
struct SentFrame {
  Instant at;
  WireEvent::Kind kind = WireEvent::Kind::Syn;
  Ipv4Address destination;  // the SYN's destination, or the address an ARP request asks for
  Port destination_port;
  Port source_port;
};

class Lab::WireRecorder final : public TraceSink {
 public:
  void receive(const TraceEvent& event) override {
    if (event.host != "client" || !std::holds_alternative<FrameSent>(event.payload)) return;
    if (auto frame = parse(event.frame)) {
      frame->at = event.time;
      frames.push_back(*frame);
    }
  }
  std::vector<SentFrame> frames;

 private:
  static std::optional<SentFrame> parse(Bytes bytes) {
    const auto ethernet = wire::EthernetRepr::parse(bytes);
    if (!ethernet) return std::nullopt;
    const Bytes payload = bytes.subspan(ethernet->header_length());
    SentFrame frame;
    if (ethernet->ethertype == ethertype_arp) {
      const auto arp = wire::ArpRepr::parse(payload);
      if (!arp || arp->operation != wire::ArpOperation::Request || arp->is_gratuitous()) return std::nullopt;
      frame.kind = WireEvent::Kind::ArpRequest;
      frame.destination = arp->target_ip;
      return frame;
    }
    if (ethernet->ethertype != ethertype_ipv4) return std::nullopt;
    const auto ip = wire::Ipv4Repr::parse(payload);
    if (!ip || ip->protocol != protocol_tcp || ip->is_fragment()) return std::nullopt;
    const Bytes segment = payload.subspan(ip->parsed_header_length, ip->payload_length);
    const auto tcp = wire::TcpRepr::parse(segment, ip->source, ip->destination);
    if (!tcp || !tcp->flags.syn_set() || tcp->flags.ack_set()) return std::nullopt;
    frame.kind = WireEvent::Kind::Syn;
    frame.destination = ip->destination;
    frame.destination_port = tcp->destination_port;
    frame.source_port = tcp->source_port;
    return frame;
  }
};

struct Lab::FirstSynDrop {
  Endpoint server_port;
  std::optional<std::size_t> last_rule;  // index in the client cable's rules
};

Lab::Lab(const KernelSettings& settings) : wire_{std::make_unique<WireRecorder>()} {
  bus_.attach(*wire_);
  tcp::TcpConfig config = network_.client().tcp().defaults();
  config.syn = tcp::linux_syn_policy(tcp::LinuxSynSysctls{settings.tcp_syn_retries, settings.tcp_syn_linear_timeouts});
  network_.client().tcp().set_defaults(config);
  build_run_all_setup();
}

// run-all.sh's setup(), line by line where it concerns the client.
void Lab::build_run_all_setup() {
  listen(Endpoint{lab::server, Port{8080}});  // cm_listener 203.0.113.2 8080
  listen(Endpoint{lab::server, Port{8081}});  // cm_listener 203.0.113.2 8081
  listen(lab::loopback_listener);              // cm_listener 127.0.0.1 8080 in cm-cli
  // cm-cli: ip route add unreachable|prohibit|blackhole 198.51.100.129|130|131
  client_special_route(Ipv4Address{198, 51, 100, 129}, RouteKind::Unreachable);
  client_special_route(Ipv4Address{198, 51, 100, 130}, RouteKind::Prohibit);
  client_special_route(Ipv4Address{198, 51, 100, 131}, RouteKind::Blackhole);
  // cm-rtr: ip route add unreachable .129, prohibit .130, blackhole .140
  router_special_route(lab::behind_router(129), RouteKind::Unreachable);
  router_special_route(lab::behind_router(130), RouteKind::Prohibit);
  router_special_route(lab::behind_router(140), RouteKind::Blackhole);
  // cm-rtr's nft chain fwdchk: .139 answers the first SYN of a connection
  // with host unreachable, then stays silent (one connection per lab here).
  router_rejects(lab::behind_router(139), sim::RejectWithIcmp{3, 1, {}}, 1);
  drop_everything_to(lab::behind_router(139));
  router_rejects(lab::behind_router(131), sim::RejectWithIcmp{3, 0, {}});   // net-unreachable
  router_rejects(lab::behind_router(132), sim::RejectWithIcmp{3, 1, {}});   // host-unreachable
  router_rejects(lab::behind_router(133), sim::RejectWithIcmp{3, 2, {}});   // prot-unreachable
  router_rejects(lab::behind_router(134), sim::RejectWithIcmp{3, 3, {}});   // port-unreachable
  router_rejects(lab::behind_router(135), sim::RejectWithIcmp{3, 9, {}});   // net-prohibited
  router_rejects(lab::behind_router(136), sim::RejectWithIcmp{3, 10, {}});  // host-prohibited
  router_rejects(lab::behind_router(137), sim::RejectWithIcmp{3, 13, {}});  // admin-prohibited
  router_rejects(lab::behind_router(138), sim::RejectWithTcpReset{});       // tcp reset
  // cm-srv: 203.0.113.3 drops everything; ports 8081 and 8098 drop the first
  // SYN of each connection.
  drop_everything_to(lab::behind_router(3));
  drop_first_syn_of_each_connection(Endpoint{lab::server, Port{8081}});
  drop_first_syn_of_each_connection(Endpoint{lab::server, Port{8098}});
}

Lab::~Lab() { bus_.detach(*wire_); }

sim::Link& Lab::client_cable() {
  sim::Link* cable = network_.network().find_link("client-lan");
  if (cable == nullptr) throw std::logic_error("the default topology has no client-lan cable");
  return *cable;
}

void Lab::listen(Endpoint local) {
  Host& host = local.address.is_loopback() ? network_.client() : network_.remote();
  host.tcp().listen(local, 128);
}

void Lab::drop_everything_to(Ipv4Address address) {
  sim::FrameMatch match;
  match.ip_destination = sim::FrameMatch::host(address);
  client_cable().add_rule(sim::Direction::AtoB, sim::FrameRule{match, sim::Drop{}, std::nullopt});
}

void Lab::drop_first_syn_of_each_connection(Endpoint server_port) {
  first_syn_drops_.push_back(FirstSynDrop{server_port, std::nullopt});
}

void Lab::arm_first_syn_drops(int fd) {
  if (api_.poll(fd) == 0) return;  // a handshake is under way: its retransmitted SYN must pass
  sim::Link& cable = client_cable();
  const sim::RuleSet& rules = cable.rules(sim::Direction::AtoB);
  for (FirstSynDrop& drop : first_syn_drops_) {
    if (drop.last_rule && rules.applied(*drop.last_rule) == 0) continue;  // still waiting for its SYN
    sim::FrameMatch match;
    match.ip_destination = sim::FrameMatch::host(drop.server_port.address);
    match.destination_port = drop.server_port.port;
    match.tcp_flags_set = sim::tcp_flag::syn;
    match.tcp_flags_clear = sim::tcp_flag::ack;
    drop.last_rule = rules.size();
    cable.add_rule(sim::Direction::AtoB, sim::FrameRule{match, sim::Drop{}, 1});
  }
}

void Lab::router_rejects(Ipv4Address address, sim::RuleAction action, std::optional<int> count) {
  sim::FrameMatch match;
  match.ip_destination = sim::FrameMatch::host(address);
  if (auto* icmp = std::get_if<sim::RejectWithIcmp>(&action)) icmp->from = lab::router;
  client_cable().add_rule(sim::Direction::AtoB, sim::FrameRule{match, action, count});
}

void Lab::router_special_route(Ipv4Address address, RouteKind kind) {
  network_.router().add_special_route(Ipv4Cidr{address, 32}, kind);
}

void Lab::client_special_route(Ipv4Address address, RouteKind kind) {
  network_.client().add_special_route(Ipv4Cidr{address, 32}, kind);
}

void Lab::remove_client_default_route() { network_.client().ip().routes().remove(Ipv4Cidr{Ipv4Address::any(), 0}); }

// ip_local_port_range is one setting for TCP and UDP.
void Lab::set_client_ephemeral_range(EphemeralRange range) {
  network_.client().tcp().set_ephemeral_range(range);
  network_.client().udp().set_ephemeral_range(range);
}

void Lab::set_client_timestamps(bool on) {
  tcp::TcpConfig config = network_.client().tcp().defaults();
  config.timestamps = on;
  network_.client().tcp().set_defaults(config);
}

int Lab::socket() {
  const socket::CallResult r = api_.socket(socket::af_inet, socket::sock_stream);
  if (!r.ok()) throw std::runtime_error("socket() failed: " + r.describe());
  return r.value;
}

void Lab::set_nonblocking(int fd, bool on) {
  api_.set_nonblocking(fd, on);
  if (on) {
    nonblocking_.insert(fd);
  } else {
    nonblocking_.erase(fd);
  }
}

void Lab::close(int fd) {
  api_.close(fd);
  nonblocking_.erase(fd);
}

void Lab::setsockopt(int fd, socket::SocketOption option, int value) {
  const socket::CallResult r = api_.setsockopt(fd, option, value);
  if (!r.ok()) {
    throw std::runtime_error("setsockopt(" + std::string{socket::to_string(option)} + ", " + std::to_string(value) +
                             ") failed: " + r.describe() + " (" + std::string{r.rule} + ")");
  }
}

Endpoint Lab::local_name(int fd) const {
  Endpoint local;
  const socket::CallResult r = api_.getsockname(fd, local);
  if (!r.ok()) throw std::runtime_error("getsockname() failed: " + r.describe());
  return local;
}

int Lab::listening_socket(Endpoint local, int backlog) {
  const int fd = socket();
  setsockopt(fd, socket::SocketOption::ReuseAddress, 1);
  const socket::CallResult bound = api_.bind(fd, local);
  if (!bound.ok()) throw std::runtime_error("the listener's bind(" + local.to_string() + ") failed: " + bound.describe());
  const socket::CallResult listening = api_.listen(fd, backlog);
  if (!listening.ok()) throw std::runtime_error("listen() failed: " + listening.describe());
  return fd;
}

void Lab::signal_at(Duration after, int fd, bool sa_restart) {
  loop_.post_at(Instant{} + after, [this, fd, sa_restart] { api_.signal(fd, sa_restart); });
}

CallRecord Lab::bind(int fd, Endpoint local, std::string name) {
  CallRecord r = record_of(std::move(name), api_.bind(fd, local));
  r.t = seconds();
  return r;
}

socket::ConnectArguments Lab::arguments_to(Endpoint destination) {
  socket::ConnectArguments a;
  a.destination = destination;
  return a;
}

template <class Done>
void Lab::run_until(Done done, Instant limit) {
  while (!done()) {
    const std::optional<Instant> next = loop_.next_event_time();
    if (!next || *next > limit) return;
    loop_.run_next();
  }
}

CallRecord Lab::connect(int fd, const socket::ConnectArguments& arguments, std::string name) {
  arm_first_syn_drops(fd);
  std::optional<socket::CallResult> result;
  const auto call = [](socket::SocketApi& api, int d, socket::ConnectArguments a,
                       std::optional<socket::CallResult>& out) -> Task { out = co_await api.connect(d, a); };
  tasks_.spawn(name, call(api_, fd, arguments, result));
  run_until([&] { return result.has_value(); }, loop_.now() + call_limit);
  tasks_.rethrow_first_failure();
  if (!result) throw std::runtime_error(name + " did not return within 600 s of simulated time");
  CallRecord r = record_of(std::move(name), *result);
  r.t = seconds();
  r.blocking = !nonblocking_.contains(fd);
  return r;
}

CallRecord Lab::connect(int fd, Endpoint destination, std::string name) {
  return connect(fd, arguments_to(destination), std::move(name));
}

CallRecord Lab::so_error(int fd, std::string name) {
  const socket::CallResult result = api_.so_error(fd);
  CallRecord r;
  r.name = std::move(name);
  r.ret = result.error ? result.value : 0;
  r.so_error = result.code ? std::string{result.code->name} : std::string{"0"};
  r.so_error_number = result.error ? 0 : result.value;
  r.t = seconds();
  r.rule = std::string{result.rule};
  return r;
}

CallRecord Lab::poll(int fd, std::string name, Duration limit) {
  const Instant deadline = loop_.now() + limit;
  run_until([&] { return api_.poll(fd) != 0; }, deadline);
  if (api_.poll(fd) == 0) loop_.advance_to(deadline);
  // The probe asks for POLLOUT: POLLIN is not reported; POLLERR and POLLHUP always are.
  const short revents = static_cast<short>(api_.poll(fd) & (socket::pollout | socket::pollerr | socket::pollhup));
  CallRecord r;
  r.name = std::move(name);
  r.ret = revents != 0 ? 1 : 0;
  r.revents = revents;
  r.t = seconds();
  r.blocking = true;
  return r;
}

void Lab::settle(int fd) {
  run_until([&] { return api_.poll(fd) != 0; }, loop_.now() + call_limit);
}

int Lab::udp_socket() {
  const socket::CallResult r = api_.socket(socket::af_inet, socket::sock_dgram);
  if (!r.ok()) throw std::runtime_error("socket(SOCK_DGRAM) failed: " + r.describe());
  return r.value;
}

CallRecord Lab::transfer(std::string name, const std::function<socket::SocketApi::TransferCall()>& make) {
  std::optional<socket::CallResult> result;
  const auto call = [](std::function<socket::SocketApi::TransferCall()> start,
                       std::optional<socket::CallResult>& out) -> Task { out = co_await start(); };
  tasks_.spawn(name, call(make, result));
  run_until([&] { return result.has_value(); }, loop_.now() + call_limit);
  tasks_.rethrow_first_failure();
  if (!result) throw std::runtime_error(name + " did not return within 600 s of simulated time");
  CallRecord r = record_of(std::move(name), *result);
  r.t = seconds();
  r.names_compared = true;
  return r;
}

CallRecord Lab::send(int fd, std::string_view message, std::string name) {
  const std::string text{message};
  CallRecord r = transfer(std::move(name), [&] { return api_.send(fd, std::as_bytes(std::span{text})); });
  r.extra = "msg=" + text;
  return r;
}

CallRecord Lab::sendto(int fd, std::string_view message, Endpoint to, std::string name) {
  const std::string text{message};
  CallRecord r = transfer(std::move(name), [&] { return api_.sendto(fd, std::as_bytes(std::span{text}), to); });
  r.extra = "msg=" + text + " to=" + lab::kernel_spelling(to);
  return r;
}

CallRecord Lab::receive(int fd, bool with_sender, std::string name) {
  std::array<std::byte, 255> buffer{};
  Endpoint from;
  CallRecord r = transfer(std::move(name), [&] {
    return with_sender ? api_.recvfrom(fd, buffer, &from, socket::msg_dontwait)
                       : api_.recv(fd, buffer, socket::msg_dontwait);
  });
  if (r.ret >= 0 && with_sender) {
    std::string data(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(r.ret));
    r.extra = "data=" + data + " from=" + lab::kernel_spelling(from);
  }
  return r;
}

std::string Lab::names(int fd) const {
  Endpoint local;
  Endpoint peer;
  const socket::CallResult l = api_.getsockname(fd, local);
  const socket::CallResult p = api_.getpeername(fd, peer);
  const auto name = [](const socket::CallResult& r, Endpoint e) {
    if (r.ok()) return lab::kernel_spelling(e);
    return r.code ? std::string{r.code->name} : std::string{socket::posix_name(*r.error)};
  };
  return "local=" + name(l, local) + " peer=" + name(p, peer);
}

void Lab::pause(Duration length) {
  const Instant until = loop_.now() + length;
  run_until([] { return false; }, until);
  loop_.advance_to(until);
}

double Lab::seconds() const { return seconds_since_start(loop_.now()); }

std::vector<WireEvent> Lab::wire_towards(Endpoint destination) const {
  std::vector<WireEvent> events;
  for (const SentFrame& frame : wire_->frames) {
    if (frame.destination != destination.address) continue;
    if (frame.kind == WireEvent::Kind::Syn && frame.destination_port != destination.port) continue;
    events.push_back(WireEvent{frame.kind, frame.source_port.value(), seconds_since_start(frame.at)});
  }
  return events;
}

}  // namespace netstep::interop
