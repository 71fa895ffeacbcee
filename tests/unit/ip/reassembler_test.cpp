#include <catch2/catch.hpp>

#include <numeric>

#include "ip/reassembler.hpp"
#include "sinks/recorder.hpp"

using namespace netstep;

namespace {

// One datagram of `total` payload bytes (byte i has value i % 251) and a way
// to cut fragments out of it.
struct Fragmenter {
  explicit Fragmenter(std::size_t total, std::uint16_t id = 7) : payload(total) {
    for (std::size_t i = 0; i < total; ++i) payload[i] = static_cast<std::byte>(i % 251);
    header.source = Ipv4Address{10, 0, 0, 1};
    header.destination = Ipv4Address{10, 0, 0, 2};
    header.protocol = 17;
    header.identification = id;
  }
  // The fragment [offset, offset + length) as a full packet, plus its header.
  std::pair<wire::Ipv4Repr, std::vector<std::byte>> piece(std::size_t offset, std::size_t length, bool more) const {
    wire::Ipv4Repr h = header;
    h.fragment_offset = static_cast<std::uint16_t>(offset);
    h.more_fragments = more;
    h.payload_length = static_cast<std::uint16_t>(length);
    std::vector<std::byte> packet(h.total_length());
    h.emit(MutableBytes{packet});
    std::copy_n(payload.begin() + static_cast<std::ptrdiff_t>(offset), length, packet.begin() + 20);
    return {h, packet};
  }
  wire::Ipv4Repr header;
  std::vector<std::byte> payload;
};

struct Fixture {
  Fixture(ReassemblyConfig config = {})
      : reassembler{loop, Tracer{bus, "host"}, config, [this](Bytes first) {
                      timeouts.emplace_back(first.begin(), first.end());
                    }} {
    bus.attach(recorder);
  }
  std::optional<Reassembler::Datagram> feed(const Fragmenter& f, std::size_t offset, std::size_t length, bool more) {
    auto [h, packet] = f.piece(offset, length, more);
    return reassembler.receive(h, Bytes{packet});
  }
  std::string_view last_drop() const {
    const auto drops = recorder.all<Dropped>();
    return drops.empty() ? std::string_view{} : drops.back()->as<Dropped>()->reason;
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  std::vector<std::vector<std::byte>> timeouts;
  Reassembler reassembler;
};

}  // namespace

TEST_CASE("fragments in any order reassemble into the original datagram", "[ip][fragments]") {
  Fixture fx;
  const Fragmenter f{3000};
  CHECK_FALSE(fx.feed(f, 2960, 40, false));
  CHECK_FALSE(fx.feed(f, 0, 1480, true));
  const auto whole = fx.feed(f, 1480, 1480, true);
  REQUIRE(whole);
  CHECK(whole->header.payload_length == 3000);
  CHECK_FALSE(whole->header.is_fragment());
  CHECK(std::equal(whole->payload.begin(), whole->payload.end(), f.payload.begin(), f.payload.end()));
  CHECK(fx.reassembler.datagrams_held() == 0);
  CHECK(fx.reassembler.bytes_held() == 0);
  REQUIRE(fx.recorder.all<FragmentsReassembled>().size() == 1);
  CHECK(fx.recorder.all<FragmentsReassembled>().front()->as<FragmentsReassembled>()->fragments == 3);
}

TEST_CASE("an exact repeat is dropped alone, the datagram still completes", "[ip][fragments]") {
  Fixture fx;
  const Fragmenter f{2000};
  CHECK_FALSE(fx.feed(f, 0, 1000, true));
  CHECK_FALSE(fx.feed(f, 0, 1000, true));
  CHECK(fx.last_drop() == "duplicate fragment");
  CHECK(fx.feed(f, 1000, 1000, false));
}

TEST_CASE("a partial overlap discards the whole datagram", "[ip][fragments]") {
  Fixture fx;
  const Fragmenter f{2000};
  CHECK_FALSE(fx.feed(f, 0, 1000, true));
  CHECK_FALSE(fx.feed(f, 992, 1008, false));
  CHECK(fx.last_drop() == "overlapping fragments: datagram discarded");
  CHECK(fx.reassembler.datagrams_held() == 0);
  // What arrives afterwards starts a new datagram, which cannot complete alone.
  CHECK_FALSE(fx.feed(f, 1000, 1000, false));
}

TEST_CASE("a middle fragment that is not a multiple of 8 bytes is dropped", "[ip][fragments]") {
  Fixture fx;
  const Fragmenter f{2000};
  CHECK_FALSE(fx.feed(f, 0, 1001, true));
  CHECK(fx.last_drop() == "fragment length not a multiple of 8");
}

TEST_CASE("two different last fragments discard the datagram", "[ip][fragments]") {
  Fixture fx;
  const Fragmenter f{2000};
  CHECK_FALSE(fx.feed(f, 1000, 1000, false));
  CHECK_FALSE(fx.feed(f, 1000, 800, false));
  CHECK(fx.last_drop() == "inconsistent last fragment: datagram discarded");
}

TEST_CASE("timeout after 30 s discards the datagram and reports it only if fragment zero came",
          "[ip][fragments]") {
  Fixture fx;
  const Fragmenter with_first{2000, 1};
  const Fragmenter without_first{2000, 2};
  fx.feed(with_first, 0, 1000, true);
  fx.loop.run_until(Instant{10s});
  fx.feed(without_first, 1000, 1000, false);

  fx.loop.run_until(Instant{30s});
  CHECK(fx.reassembler.datagrams_held() == 1);
  REQUIRE(fx.timeouts.size() == 1);  // ICMP time exceeded for the one with fragment zero
  CHECK(fx.timeouts.front().size() == 1020);

  fx.loop.run_until(Instant{40s});
  CHECK(fx.reassembler.datagrams_held() == 0);
  CHECK(fx.timeouts.size() == 1);  // none for the one without fragment zero
  CHECK(fx.last_drop() == "reassembly timeout: datagram discarded");
}

TEST_CASE("at most max_datagrams are held: the oldest is evicted", "[ip][fragments]") {
  ReassemblyConfig config;
  config.max_datagrams = 2;
  Fixture fx{config};
  for (std::uint16_t id = 1; id <= 3; ++id) fx.feed(Fragmenter{2000, id}, 0, 1000, true);
  CHECK(fx.reassembler.datagrams_held() == 2);
  CHECK(fx.last_drop() == "reassembly limit reached: oldest datagram discarded");
  // id 1 was evicted: its last piece cannot complete it, id 3's can.
  CHECK_FALSE(fx.feed(Fragmenter{2000, 1}, 1000, 1000, false));
  CHECK(fx.feed(Fragmenter{2000, 3}, 1000, 1000, false));
}

TEST_CASE("too many fragments discard the datagram", "[ip][fragments]") {
  ReassemblyConfig config;
  config.max_fragments = 4;
  Fixture fx{config};
  const Fragmenter f{80};
  for (std::size_t off = 0; off < 32; off += 8) fx.feed(f, off, 8, true);
  CHECK_FALSE(fx.feed(f, 32, 8, true));
  CHECK(fx.last_drop() == "too many fragments: datagram discarded");
}

TEST_CASE("ReassemblyConfig refuses impossible limits", "[ip][fragments]") {
  ReassemblyConfig config;
  config.max_bytes = 1000;
  CHECK_THROWS_AS(config.validate(), std::invalid_argument);
}

TEST_CASE("the byte limit holds when a datagram grows, not only when one starts", "[ip][fragments]") {
  ReassemblyConfig config;
  config.max_bytes = 65535;
  Fixture fx{config};
  const Fragmenter first{65100, 1};
  const Fragmenter second{2000, 2};
  fx.feed(first, 0, 8, true);
  fx.feed(second, 0, 8, true);
  fx.feed(first, 65000, 8, true);  // first now holds 65008 bytes
  CHECK(fx.reassembler.bytes_held() <= config.max_bytes);
  fx.feed(second, 1000, 8, true);  // would need 1008 more
  CHECK(fx.last_drop() == "reassembly memory limit reached: datagram discarded");
  CHECK(fx.reassembler.bytes_held() <= config.max_bytes);
  CHECK(fx.reassembler.datagrams_held() == 1);
}
