#pragma once
// The runs the capture tests write: the default topology with socket APIs
// on client and server, every event recorded, and a pcapng writer into
// memory. Each scenario function spawns the applications and runs the loop.
#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "capture/capture_topology.hpp"
#include "capture/pcapng_writer.hpp"
#include "event/task.hpp"
#include "sim/network.hpp"
#include "sinks/recorder.hpp"
#include "socket/socket_api.hpp"
#include "topology/capture_links.hpp"
#include "topology/default_topology.hpp"

namespace netstep::test {

using topology::capture_links;

const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};
const Endpoint server_closed{Ipv4Address{10, 0, 0, 2}, Port{81}};
const Endpoint remote_http{Ipv4Address{10, 0, 1, 2}, Port{80}};

struct CaptureNet {
  explicit CaptureNet(topology::DefaultTopologyOptions options = {}, capture::CaptureOptions capture = {},
                      std::optional<std::vector<capture::CaptureLink>> links = std::nullopt);
  ~CaptureNet();
  CaptureNet(const CaptureNet&) = delete;
  CaptureNet& operator=(const CaptureNet&) = delete;

  // Runs until every task ended (or `limit` of scenario time passed), and
  // one second more for the last segments; then finishes the capture and
  // returns the pcapng file.
  std::string finish(Duration limit = 600s);

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  topology::DefaultTopology network;
  TaskRunner tasks{loop};
  socket::SocketApi client;
  socket::SocketApi server;
  std::ostringstream out;
  capture::PcapngWriter pcapng;
};

// Attaches a sink for the life of this object (so a failing test never
// leaves the bus holding a sink that is gone).
class Attachment {
 public:
  Attachment(TraceBus& bus, TraceSink& sink) : bus_{bus}, sink_{sink} { bus_.attach(sink_); }
  Attachment(const Attachment&) = delete;
  Attachment& operator=(const Attachment&) = delete;
  ~Attachment() { bus_.detach(sink_); }

 private:
  TraceBus& bus_;
  TraceSink& sink_;
};

// A non-blocking connect() from the client to a listening server
// (EINPROGRESS, then 0 once established), then both close.
void spawn_handshake(CaptureNet& net);
// A blocking connect() to a port nobody listens on: ECONNREFUSED.
void spawn_refused(CaptureNet& net);
// The client sends `bytes` to the server, which reads until the client
// closes, then closes too.
void spawn_transfer(CaptureNet& net, std::size_t bytes);

// What netstep itself retransmitted: every sent segment that carries
// sequence space (data, SYN or FIN) starting below the highest sequence
// number its connection had sent.
struct SegmentKey {
  std::uint16_t source_port = 0;
  std::uint32_t seq = 0;  // absolute
  std::size_t length = 0;
  friend auto operator<=>(const SegmentKey&, const SegmentKey&) = default;
};
[[nodiscard]] std::vector<SegmentKey> retransmitted_segments(const Recorder& recorder);

}  // namespace netstep::test

// Catch prints a SegmentKey in a failed comparison as "port seq+length".
namespace Catch {
template <>
struct StringMaker<netstep::test::SegmentKey> {
  static std::string convert(const netstep::test::SegmentKey& k) {
    return std::to_string(k.source_port) + " " + std::to_string(k.seq) + "+" + std::to_string(k.length);
  }
};
}  // namespace Catch

namespace netstep::test {

}  // namespace netstep::test
