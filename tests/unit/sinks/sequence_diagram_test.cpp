// SequenceDiagramSink on real runs of the default topology: the server
// accepts on port 80 through the socket API, the client connects there and
// then to port 81, where nobody listens. The checks read the text as a
// student would: which way each arrow points, what it says, the states
// beside the lifelines, the calls and what they returned.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "event/task.hpp"
#include "sim/frame_rule.hpp"
#include "sinks/sequence_diagram.hpp"
#include "socket/socket_api.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;
using namespace netstep::socket;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> all_hosts{"client", "server", "router", "remote"};
const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};
const Endpoint closed_port{Ipv4Address{10, 0, 0, 2}, Port{81}};
const Endpoint remote_http{Ipv4Address{10, 0, 1, 2}, Port{80}};

struct Run {
  Run(std::vector<std::string> hosts, SequenceDiagramOptions options) : diagram{out, std::move(hosts), options} {
    bus.attach(diagram);
  }
  ~Run() { bus.detach(diagram); }

  ConnectArguments to(Endpoint e) const {
    ConnectArguments a;
    a.destination = e;
    return a;
  }
  std::string finish() {
    diagram.finish();
    return out.str();
  }

  EventLoop loop;
  TraceBus bus{loop};
  std::ostringstream out;
  SequenceDiagramSink diagram;
  topology::DefaultTopology network{loop, bus};
  TaskRunner tasks{loop};
  SocketApi client{network.client().tcp(), network.client().udp(), tasks, PersonalityId::Linux,
                   SocketApiOptions{Tracer{bus, "client"}}};
  SocketApi server{network.server().tcp(), network.server().udp(), tasks, PersonalityId::Linux,
                   SocketApiOptions{Tracer{bus, "server"}}};
};

Task serve(Run& run) {
  const int fd = run.server.socket(af_inet, sock_stream).value;
  run.server.bind(fd, Endpoint{Ipv4Address{}, Port{80}});
  run.server.listen(fd, 8);
  static_cast<void>(co_await run.server.accept(fd));  // the diagram is what is checked
}

Task connect_twice(Run& run) {
  const int open = run.client.socket(af_inet, sock_stream).value;
  static_cast<void>(co_await run.client.connect(open, run.to(server_http)));
  const int refused = run.client.socket(af_inet, sock_stream).value;
  static_cast<void>(co_await run.client.connect(refused, run.to(closed_port)));
}

// The handshake on port 80 and the refused connect on port 81, drawn.
std::string handshake_and_refusal(std::vector<std::string> hosts, SequenceDiagramOptions options) {
  Run run{std::move(hosts), options};
  run.tasks.spawn("server", serve(run));
  run.tasks.spawn("client", connect_twice(run));
  run.loop.run_until(Instant{1s});
  run.tasks.rethrow_first_failure();
  return run.finish();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Columns as a terminal counts them: escapes take none, a UTF-8 character one.
std::size_t columns(std::string_view line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) ++n;
  }
  return n;
}

// An arrow as the text shows it: from which lifeline to which.
struct SeenArrow {
  std::size_t from = 0;
  std::size_t to = 0;
  bool lost = false;
  std::string row;
};

class Diagram {
 public:
  explicit Diagram(const std::string& text) : lines_{lines_of(text)} {
    REQUIRE(lines_.size() >= 2);
    for (std::size_t c = 0; c < lines_[1].size(); ++c) {
      if (lines_[1][c] == '|') lifelines_.push_back(c);
    }
  }

  [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }
  [[nodiscard]] std::size_t lifelines() const { return lifelines_.size(); }

  // The first line at or after `from` that contains `text`.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view text, std::size_t from = 0) const {
    for (std::size_t i = from; i < lines_.size(); ++i) {
      if (lines_[i].find(text) != std::string::npos) return i;
    }
    return std::nullopt;
  }

  // The arrow labelled with `label`: on its line, or on the next when the
  // label sits on a row of its own above a short arrow.
  [[nodiscard]] std::optional<SeenArrow> arrow(std::string_view label, std::size_t from = 0) const {
    const auto at = find(label, from);
    if (!at) return std::nullopt;
    for (std::size_t i = *at; i <= *at + 1 && i < lines_.size(); ++i) {
      if (auto seen = read_arrow(lines_[i])) return seen;
    }
    return std::nullopt;
  }

 private:
  [[nodiscard]] std::size_t lifeline_at(std::size_t column) const {
    const auto it = std::min_element(lifelines_.begin(), lifelines_.end(), [column](std::size_t a, std::size_t b) {
      return (a > column ? a - column : column - a) < (b > column ? b - column : column - b);
    });
    return static_cast<std::size_t>(it - lifelines_.begin());
  }

  // "|----- SYN ... ----->|": the bar before the first dash sends, the bar
  // after the last head receives; "x" ends a lost frame.
  [[nodiscard]] std::optional<SeenArrow> read_arrow(const std::string& row) const {
    const auto first_dash = row.find("--");
    if (first_dash == std::string::npos) return std::nullopt;
    const auto right_head = row.rfind("->|");
    const auto left_head = row.find("|<-");
    const auto lost = row.find("-x");
    SeenArrow seen;
    seen.row = row;
    if (right_head != std::string::npos && (lost == std::string::npos || lost > right_head)) {
      seen.from = lifeline_at(first_dash - 1);
      seen.to = lifeline_at(right_head + 2);
    } else if (left_head != std::string::npos) {
      seen.to = lifeline_at(left_head);
      seen.from = lifeline_at(row.find_first_not_of("-<", left_head + 1) == std::string::npos
                                  ? row.size()
                                  : row.rfind('-') + 1);
    } else if (lost != std::string::npos) {
      seen.from = lifeline_at(first_dash - 1);
      seen.to = lifeline_at(lost + 1);
      seen.lost = true;
    } else {
      return std::nullopt;
    }
    return seen;
  }

  std::vector<std::string> lines_;
  std::vector<std::size_t> lifelines_;
};

constexpr std::size_t client = 0;
constexpr std::size_t server = 1;
constexpr std::size_t router = 2;

}  // namespace

TEST_CASE("sequence diagram: the three arrows of the handshake point the right way with relative numbers",
          "[sinks][sequence_diagram]") {
  const Diagram d{handshake_and_refusal(all_hosts, {})};
  INFO(d.lines().size() << " lines");

  const auto syn = d.arrow("SYN seq=0 win=65535 mss=1460");
  REQUIRE(syn);
  CHECK(syn->from == client);
  CHECK(syn->to == server);
  const auto syn_ack = d.arrow("SYN,ACK seq=0 ack=1 win=65535 mss=1460");
  REQUIRE(syn_ack);
  CHECK(syn_ack->from == server);
  CHECK(syn_ack->to == client);
  const auto ack = d.arrow("ACK seq=1 ack=1 win=");
  REQUIRE(ack);
  CHECK(ack->from == client);
  CHECK(ack->to == server);

  // ARP first: the broadcast reaches the server (and the router), the answer comes back.
  const auto who_has = d.arrow("ARP who-has 10.0.0.2 tell 10.0.0.1");
  REQUIRE(who_has);
  CHECK(who_has->from == client);
  CHECK(who_has->to == router);  // the farthest receiver; the server is marked on the way
  CHECK_THAT(who_has->row, Catch::Contains(">|"));
  const auto is_at = d.arrow("ARP 10.0.0.2 is-at 02:00:00:00:00:02");
  REQUIRE(is_at);
  CHECK(is_at->from == server);
  CHECK(is_at->to == client);
}

TEST_CASE("sequence diagram: TCP states stand beside their lifelines, in order", "[sinks][sequence_diagram]") {
  const Diagram d{handshake_and_refusal(all_hosts, {})};
  const auto listen = d.find("listen(3) -> 0");
  const auto syn_sent = d.find("[SYN-SENT]");
  const auto syn_received = d.find("[SYN-RECEIVED]");
  const auto established = d.find("[ESTABLISHED]");
  REQUIRE(listen);
  REQUIRE(syn_sent);
  REQUIRE(syn_received);
  REQUIRE(established);
  CHECK(*listen < *syn_sent);
  CHECK(*syn_sent < *syn_received);
  CHECK(*syn_received < *established);
  // At the lifeline's own column.
  const std::string& client_row = d.lines()[*syn_sent];
  const std::string& server_row = d.lines()[*syn_received];
  CHECK(client_row.find("[SYN-SENT]") == d.lines()[1].find('|'));
  CHECK(server_row.find("[SYN-RECEIVED]") == d.lines()[1].find('|', d.lines()[1].find('|') + 1));
}

TEST_CASE("sequence diagram: the refused connect shows the RST arrow and ECONNREFUSED with its rule",
          "[sinks][sequence_diagram]") {
  const Diagram d{handshake_and_refusal(all_hosts, {})};
  const auto accepted = d.find("connect(3) -> 0");
  REQUIRE(accepted);
  const auto rst = d.arrow("RST,ACK seq=0 ack=1 win=0", *accepted);
  REQUIRE(rst);
  CHECK(rst->from == server);
  CHECK(rst->to == client);
  const auto refused = d.find("connect(4) -> -1, errno ECONNREFUSED (111): T02");
  REQUIRE(refused);
  CHECK(*refused > *d.find("RST,ACK seq=0 ack=1"));
  CHECK(d.find("[CLOSED]", *accepted));
  CHECK(d.find("dropped: no socket: RST sent"));
  CHECK(d.find("listen(3) -> 0"));
}

TEST_CASE("sequence diagram: no line is longer than the width, for 60, 80 and 120 columns and four hosts",
          "[sinks][sequence_diagram]") {
  for (const std::size_t width : {60u, 80u, 120u}) {
    SequenceDiagramOptions options;
    options.width = width;
    const std::string text = handshake_and_refusal(all_hosts, options);
    const Diagram d{text};
    INFO("width " << width << "\n" << text);
    CHECK(d.lifelines() == 4);
    for (const std::string& line : d.lines()) CHECK(columns(line) <= width);
    // Still readable: the handshake's arrows keep their direction when their labels move above them.
    const auto syn_ack = d.arrow("SYN,ACK seq=0 ack=1");
    REQUIRE(syn_ack);
    CHECK(syn_ack->from == server);
    CHECK(syn_ack->to == client);
    CHECK(d.find("connect(4) -> -1, errno"));
  }
}

TEST_CASE("sequence diagram: absolute numbers follow the relative ones when asked", "[sinks][sequence_diagram]") {
  SequenceDiagramOptions options;
  options.absolute_numbers = true;
  options.width = 160;
  const Diagram d{handshake_and_refusal(all_hosts, options)};
  const auto line = d.find("SYN,ACK seq=0(");
  REQUIRE(line);
  CHECK_THAT(d.lines()[*line], Catch::Matches(".*SYN,ACK seq=0\\([0-9]+\\) ack=1\\([0-9]+\\) win=.*"));
  CHECK_FALSE(d.find("isn="));
}

TEST_CASE("sequence diagram: colour escapes appear only when colour is on", "[sinks][sequence_diagram]") {
  const std::string plain = handshake_and_refusal(all_hosts, {});
  CHECK(plain.find('\x1b') == std::string::npos);

  SequenceDiagramOptions options;
  options.colour = true;
  options.width = 80;
  const std::string coloured = handshake_and_refusal(all_hosts, options);
  CHECK_THAT(coloured, Catch::Contains("\x1b[1;32m0"));       // connect() succeeded: green
  CHECK_THAT(coloured, Catch::Contains("\x1b[1;31m-1, errno ECONNREFUSED"));  // refused: red
  for (const std::string& line : lines_of(coloured)) CHECK(columns(line) <= 80);
}

TEST_CASE("sequence diagram: a frame a cable drops ends in x with the reason", "[sinks][sequence_diagram]") {
  Run run{all_hosts, {}};
  sim::FrameMatch syns;
  syns.ip_destination = sim::FrameMatch::host(remote_http.address);
  syns.tcp_flags_set = sim::tcp_flag::syn;
  run.network.network().find_link("client-lan")->add_rule(sim::Direction::AtoB, sim::FrameRule{syns, sim::Drop{}});
  REQUIRE(run.network.client().tcp().connect(remote_http));
  run.loop.run_until(Instant{1500ms});  // the first SYN and its retransmission at 1 s
  const Diagram d{run.finish()};
  INFO(run.out.str());

  const auto first = d.arrow("SYN seq=0");
  REQUIRE(first);
  CHECK(first->lost);
  CHECK(first->from == client);
  CHECK_THAT(first->row, Catch::Contains("-x dropped by client-lan: rule: drop"));
  // Lost on its way to the router, the next hop: the x stands between them.
  const std::size_t x = first->row.find("-x") + 1;
  CHECK(x > d.lines()[1].find('|'));
  const auto second = d.arrow("SYN seq=0", d.find("SYN seq=0").value() + 2);
  REQUIRE(second);
  CHECK(second->lost);
  CHECK(d.find("timer tcp SYN retransmission fired"));
}

TEST_CASE("sequence diagram: a broadcast whose copy to one host is dropped still reaches the others",
          "[sinks][sequence_diagram]") {
  Run run{all_hosts, {}};
  sim::FrameMatch arp;
  arp.ethertype = 0x0806;
  // router-lan runs from the router (A) to the switch (B): its copies towards the router are lost.
  run.network.network().find_link("router-lan")->add_rule(sim::Direction::BtoA, sim::FrameRule{arp, sim::Drop{}});
  run.network.server().tcp().listen(server_http, 8);
  REQUIRE(run.network.client().tcp().connect(server_http));
  run.loop.run_until(Instant{1ms});
  const Diagram d{run.finish()};
  INFO(run.out.str());
  const auto who_has = d.arrow("ARP who-has 10.0.0.2 tell 10.0.0.1 (a copy dropped by router-lan: rule: drop)");
  REQUIRE(who_has);
  CHECK_FALSE(who_has->lost);
  CHECK(who_has->from == client);
  CHECK(who_has->to == server);
  CHECK(d.arrow("SYN,ACK seq=0 ack=1"));
}

TEST_CASE("sequence diagram: finish() draws a frame still on the wire as such", "[sinks][sequence_diagram]") {
  Run run{all_hosts, {}};
  run.network.server().tcp().listen(server_http, 8);
  REQUIRE(run.network.client().tcp().connect(server_http));
  run.loop.run_until(Instant{250us});  // the SYN left at 200 us and lands at 300 us
  const Diagram d{run.finish()};
  const auto syn = d.find("SYN seq=0");
  REQUIRE(syn);
  CHECK_THAT(d.lines()[*syn], Catch::Contains("(in flight when the trace ended)"));
  CHECK_FALSE(d.find("SYN,ACK"));
}

TEST_CASE("sequence diagram: UTF-8 box drawing stays within the width", "[sinks][sequence_diagram]") {
  SequenceDiagramOptions options;
  options.unicode = true;
  options.width = 70;
  const std::string text = handshake_and_refusal(all_hosts, options);
  INFO(text);
  CHECK_THAT(text, Catch::Contains("│"));
  CHECK_THAT(text, Catch::Contains("▶│"));
  for (const std::string& line : lines_of(text)) CHECK(columns(line) <= 70);
}

TEST_CASE("sequence diagram: a host without a lifeline is drawn at the edge", "[sinks][sequence_diagram]") {
  // Only the client and the router: the server's frames come in from the edge.
  const Diagram d{handshake_and_refusal({"client", "router"}, {})};
  const auto syn_ack = d.find("SYN,ACK seq=0 ack=1");
  REQUIRE(syn_ack);
  CHECK_THAT(d.lines()[*syn_ack] + d.lines()[*syn_ack + 1], Catch::Contains("(from server)"));
  CHECK(d.find("(to server)"));
  CHECK_FALSE(d.find("[SYN-RECEIVED]"));  // the server's own states are not drawn
}

TEST_CASE("sequence diagram: many hosts share a narrow width, and too many are refused", "[sinks][sequence_diagram]") {
  std::vector<std::string> hosts;
  for (int i = 1; i <= 9; ++i) hosts.push_back("host-" + std::to_string(i));
  std::ostringstream out;
  SequenceDiagramOptions options;
  options.width = 60;
  SequenceDiagramSink diagram{out, hosts, options};
  diagram.finish();  // nothing happened: the header alone
  const Diagram d{out.str()};
  CHECK(d.lifelines() == 9);
  for (const std::string& line : d.lines()) CHECK(columns(line) <= 60);
  CHECK_THAT(d.lines()[0], Catch::Contains("h..."));  // names cut to the room between lifelines

  options.width = 40;  // drawn 60 wide, the least that is readable
  CHECK_NOTHROW(SequenceDiagramSink{out, {"client", "server"}, options});
  for (int i = 10; i <= 20; ++i) hosts.push_back("host-" + std::to_string(i));
  CHECK_THROWS_AS((SequenceDiagramSink{out, hosts, options}), std::invalid_argument);
  CHECK_THROWS_AS((SequenceDiagramSink{out, {}, options}), std::invalid_argument);
}

TEST_CASE("sequence diagram: the handshake at width 100, as a student sees it", "[sinks][sequence_diagram]") {
  Run run{{"client", "server"}, {}};
  run.tasks.spawn("server", serve(run));
  const auto client_task = [](Run& r) -> Task {
    const int fd = r.client.socket(af_inet, sock_stream).value;
    static_cast<void>(co_await r.client.connect(fd, r.to(server_http)));
  };
  run.tasks.spawn("client", client_task(run));
  run.loop.run_until(Instant{1ms});
  const std::string text = run.finish();
  // clang-format off
  const std::string expected =
"  time (s)   client                                            server\n"
"               |                                                 |\n"
"  0.000000     |                                                 socket() -> 3: the lowest unused\n"
"               |                                                 | descriptor\n"
"               |                                                 bind(3) -> 0\n"
"               |                                                 listen(3) -> 0\n"
"               socket() -> 3: the lowest unused descriptor       |\n"
"               [SYN-SENT]                                        |\n"
"               |------ ARP who-has 10.0.0.2 tell 10.0.0.1 ------>|\n"
"  0.000100     |<----- ARP 10.0.0.2 is-at 02:00:00:00:00:02 -----|\n"
"  0.000200     | SYN seq=0 win=65535 mss=1460 isn=1411452506     |\n"
"               |------------------------------------------------>|\n"
"  0.000300     |                                                 [SYN-RECEIVED]\n"
"               | SYN,ACK seq=0 ack=1 win=65535 mss=1460 isn=1021499789\n"
"               |<------------------------------------------------|\n"
"  0.000400     [ESTABLISHED]                                     |\n"
"               |---------- ACK seq=1 ack=1 win=32768 ----------->|\n"
"               connect(3) -> 0: T01: the handshake completed     |\n"
"  0.000500     |                                                 [ESTABLISHED]\n"
"               |                                                 accept(3) -> 4: a connection from\n"
"               |                                                 | the accept queue\n";
  // clang-format on
  CHECK(text == expected);
}
