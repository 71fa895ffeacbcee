#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "event/event_loop.hpp"
#include "sinks/recorder.hpp"

using namespace netstep;

namespace {
std::vector<std::byte> frame_of(std::size_t length, std::uint8_t seed) {
  std::vector<std::byte> frame(length);
  for (std::size_t i = 0; i < length; ++i) frame[i] = std::byte{static_cast<std::uint8_t>(seed + i)};
  return frame;
}
}  // namespace

TEST_CASE("Recorder keeps its own copy of every frame and host name", "[sinks][recorder]") {
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  bus.attach(recorder);
  std::vector<std::vector<std::byte>> sent;
  {
    std::string host = "client";
    for (int i = 0; i < 2000; ++i) {  // more than one storage block of frames
      sent.push_back(frame_of(i % 3 == 0 ? 0 : 1514, static_cast<std::uint8_t>(i)));
      std::vector<std::byte> frame = sent.back();  // the sender's buffer, overwritten below
      Tracer{bus, i % 2 == 0 ? std::string_view{host} : std::string_view{"server"}}.emit(
          Layer::Ethernet, FrameSent{"eth0", frame.size()}, Bytes{frame});
      std::fill(frame.begin(), frame.end(), std::byte{0});
    }
    host.assign("xxxxxx");  // the name the events were emitted with is gone
  }
  REQUIRE(recorder.events().size() == 2000);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const RecordedEvent& e = recorder.events()[i];
    INFO("event " << i);
    REQUIRE(e.sequence == i);
    REQUIRE(e.host == (i % 2 == 0 ? "client" : "server"));
    REQUIRE(std::equal(e.frame.begin(), e.frame.end(), sent[i].begin(), sent[i].end()));
    REQUIRE(e.as<FrameSent>()->length == sent[i].size());
  }
  CHECK(recorder.all<FrameSent>().size() == 2000);
  bus.detach(recorder);
}

TEST_CASE("Recorder cleared records again from the start, and a moved recorder keeps its events", "[sinks][recorder]") {
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  bus.attach(recorder);
  const auto frame = frame_of(100, 1);
  Tracer{bus, "h1"}.emit(Layer::Ethernet, FrameSent{"eth0", 100}, Bytes{frame});
  recorder.clear();
  CHECK(recorder.events().empty());
  const auto other = frame_of(60, 9);
  Tracer{bus, "h2"}.emit(Layer::Ethernet, FrameReceived{"eth0", 60}, Bytes{other});
  Tracer{bus, "h1"}.emit(Layer::Arp, Dropped{"why", "eth0"});
  bus.detach(recorder);

  const Recorder moved = std::move(recorder);
  REQUIRE(moved.events().size() == 2);
  CHECK(moved.events()[0].host == "h2");
  CHECK(std::equal(moved.events()[0].frame.begin(), moved.events()[0].frame.end(), other.begin(), other.end()));
  CHECK(moved.events()[1].host == "h1");
  CHECK(moved.events()[1].frame.empty());
  CHECK(moved.events()[1].as<Dropped>()->reason == "why");
}

TEST_CASE("Recorder events that carry the same bytes read the same, and different bytes stay apart",
          "[sinks][recorder]") {
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  bus.attach(recorder);
  // A frame sent and received (same bytes), then one differing only in its
  // last byte, then one differing only where the fingerprint does not look.
  auto frame = frame_of(1514, 3);
  Tracer{bus, "a"}.emit(Layer::Ethernet, FrameSent{"eth0", 1514}, Bytes{frame});
  Tracer{bus, "b"}.emit(Layer::Ethernet, FrameReceived{"eth0", 1514}, Bytes{frame});
  auto last_differs = frame;
  last_differs.back() ^= std::byte{1};
  Tracer{bus, "b"}.emit(Layer::Ethernet, FrameReceived{"eth0", 1514}, Bytes{last_differs});
  auto middle_differs = frame;
  middle_differs[700] ^= std::byte{0x80};
  Tracer{bus, "b"}.emit(Layer::Ethernet, FrameReceived{"eth0", 1514}, Bytes{middle_differs});
  std::fill(frame.begin(), frame.end(), std::byte{0});  // the senders' buffers change afterwards
  std::fill(last_differs.begin(), last_differs.end(), std::byte{0});
  bus.detach(recorder);

  const auto original = frame_of(1514, 3);
  REQUIRE(recorder.events().size() == 4);
  const auto& e = recorder.events();
  CHECK(std::equal(e[0].frame.begin(), e[0].frame.end(), original.begin(), original.end()));
  CHECK(std::equal(e[1].frame.begin(), e[1].frame.end(), original.begin(), original.end()));
  CHECK(e[2].frame.back() == (original.back() ^ std::byte{1}));
  CHECK(std::equal(e[2].frame.begin(), e[2].frame.end() - 1, original.begin()));
  CHECK(e[3].frame[700] == (original[700] ^ std::byte{0x80}));
  CHECK(e[0].frame.data() != e[2].frame.data());
  CHECK(e[0].frame.data() != e[3].frame.data());
}
