#pragma once
// A scenario, as a file describes it and after every check passed: the
// network (hosts, switches, cables with impairments and rules), the
// personality, the socket calls each host makes and what is expected.
// Nothing here runs anything; scenario_loader.hpp makes one from YAML and
// scenario_runner.hpp plays it. Every element keeps where it was written
// (file:line:column), so a failed expectation can point at its line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "base/time.hpp"
#include "scenario/segment_script.hpp"
#include "sim/frame_rule.hpp"
#include "sim/impairments.hpp"
#include "socket/personality.hpp"
#include "socket/socket_api.hpp"

namespace netstep::scenario {

struct SourceMark {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  [[nodiscard]] std::string where() const;  // "file:line:column"
};

// "0.01 s", "131 s": a duration as the output writes it, no trailing zeros.
[[nodiscard]] std::string seconds_text(Duration d);

// --- the network ------------------------------------------------------------

struct InterfaceSpec {
  std::string name;  // eth0, eth1, ... in order unless named
  Ipv4Cidr address;
};

struct RouteSpec {
  Ipv4Cidr prefix;  // 0.0.0.0/0: the default route
  Ipv4Address gateway;
};

struct HostSpec {
  std::string name;
  std::vector<InterfaceSpec> interfaces;
  std::vector<RouteSpec> routes;
  bool forwarding = false;                          // a router
  std::optional<socket::PersonalityId> personality;  // overrides the scenario's for this host
  SourceMark mark;
  bool scripted_tcp = false;  // "tcp: scripted": the steps play its TCP segment by segment
  // "ephemeral_ports: 40000-40003": the ports connect() and an unbound
  // sendto() pick from (TCP and UDP), instead of the personality's range.
  std::optional<EphemeralRange> ephemeral_ports;
};

struct SwitchSpec {
  std::string name;
  SourceMark mark;
};

// One end of a cable: a host's interface or a switch (its next free port).
struct CableEnd {
  std::string node;       // a host or a switch
  std::string interface;  // hosts only: eth0 ...
  [[nodiscard]] bool is_switch() const { return interface.empty(); }
};

struct RuleSpec {
  std::string link;
  std::string from;  // the end whose frames the rule sees (a host or switch name)
  sim::FrameRule rule;
  SourceMark mark;
};

struct LinkSpec {
  std::string name;
  CableEnd a;
  CableEnd b;
  sim::Impairments impairments;  // both directions
  std::uint64_t bits_per_second = 0;
  SourceMark mark;
};

struct TopologySpec {
  std::vector<HostSpec> hosts;
  std::vector<SwitchSpec> switches;
  std::vector<LinkSpec> links;
  std::vector<RuleSpec> rules;
  [[nodiscard]] const HostSpec* find_host(std::string_view name) const;
};

// --- what is expected of a call ---------------------------------------------

// A return: success (any value or one value), a failure (any, or one
// error by its POSIX name, which every personality's spelling matches).
struct ResultExpectation {
  enum class Kind : std::uint8_t { Success, Value, Failure, Error } kind = Kind::Success;
  int value = 0;                  // Kind::Value
  socket::Errc error{};           // Kind::Error
  [[nodiscard]] std::string describe() const;  // "0", "success", "ECONNREFUSED", "an error"
};

struct CallExpectation {
  std::optional<ResultExpectation> result;
  std::optional<Duration> after;       // the call returned this long after it was made ...
  Duration tolerance = std::chrono::milliseconds{1};  // ... give or take this
  std::optional<std::string> state;    // the socket's TCP state once it returned (RFC 9293 names)
  SourceMark mark;
};

// The expectation for one personality, or for all of them.
struct PerPersonality {
  std::optional<CallExpectation> all;  // "expect: X"
  std::vector<std::pair<socket::PersonalityId, CallExpectation>> each;  // "expect: {linux: X, ...}"
  std::optional<CallExpectation> other;  // "other:" for the personalities not named
  [[nodiscard]] const CallExpectation* for_personality(socket::PersonalityId id) const;
  [[nodiscard]] bool empty() const { return !all && each.empty() && !other; }
};

// --- steps ------------------------------------------------------------------

enum class Call : std::uint8_t {
  Socket, Bind, Listen, Accept, Connect, Send, Recv, SendTo, RecvFrom, Shutdown, Close,
  SetSockOpt, GetSockOpt, SoError, Nonblocking, Wait, State,
  // A scripted host's steps (tcp: scripted): its TCP, one segment at a time.
  ExpectSegment, ExpectNoSegment, Inject,
};
[[nodiscard]] constexpr bool is_segment_call(Call c) {
  return c == Call::ExpectSegment || c == Call::ExpectNoSegment || c == Call::Inject;
}
[[nodiscard]] std::string_view to_string(Call c);

struct Step {
  Call call = Call::Wait;
  std::string socket_name;  // the socket it works on (a name given by socket: as / accept: as)
  std::string as;         // socket, accept: the name of the new descriptor
  int type = 0;           // socket: SOCK_STREAM or SOCK_DGRAM
  bool nonblocking = false;  // socket: made non-blocking at once; nonblocking: on or off
  std::optional<Endpoint> address;  // bind, connect, sendto
  bool unspecified_family = false;  // connect: AF_UNSPEC (dissolve a UDP association)
  int backlog = 8;
  std::size_t bytes = 0;  // send/sendto: how many bytes; recv/recvfrom: the buffer size
  int how = 2;            // shutdown: SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2
  socket::SocketOption option{};
  int option_value = 0;
  bool dontwait = false;  // send/recv: MSG_DONTWAIT
  bool until_end = false; // recv: call again until end of stream (0) or an error; the result is the bytes read
  Duration duration{};    // wait, expect_no_segment
  SegmentPattern segment;  // expect_segment
  SegmentToInject injected;  // inject
  std::optional<Duration> at;  // do not start before this scenario time
  std::string note;             // a line for the narrative
  std::vector<socket::PersonalityId> only;  // run under these personalities only (empty: all)
  PerPersonality expect;
  SourceMark mark;
  [[nodiscard]] std::string describe() const;  // "connect(s, 10.0.0.2:80)"
};

struct HostSteps {
  std::string host;
  std::vector<Step> steps;
};

// --- after the run ----------------------------------------------------------

// "Segments like this were seen on the wire": counted from the TCP
// segments a host sent.
struct SegmentExpectation {
  std::string from;  // the host that sent them
  std::uint8_t flags_set = 0;
  std::uint8_t flags_clear = 0;
  std::optional<Endpoint> to;
  std::optional<int> count;  // exactly; nullopt: at least one
  std::vector<socket::PersonalityId> only;  // empty: every personality
  SourceMark mark;
  [[nodiscard]] std::string describe() const;
};

struct Limits {
  Duration time = std::chrono::seconds{600};  // virtual time
  std::uint64_t events = 10'000'000;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;
  std::vector<socket::PersonalityId> personalities;  // in order; "all" lists the five
  std::uint64_t seed = 1;
  Limits limits;
  TopologySpec topology;
  std::vector<HostSteps> programs;
  std::vector<SegmentExpectation> segments;
};

}  // namespace netstep::scenario
