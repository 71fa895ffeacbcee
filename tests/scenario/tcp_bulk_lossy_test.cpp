// Bulk TCP over a bad wire, end to end on the default topology: the client
// sends a long stream to the server through 5% loss, 5% reordering and 5%
// duplication on every LAN cable, both ways; the server reads to the end of
// the stream (the client's FIN). The bytes must arrive intact (the same hash
// and count on both sides) and the run must replay exactly from its seed.
//
// How much runs where (NETSTEP_BULK_BYTES):
//   dev (RelWithDebInfo) and release builds: 100 MB (104,857,600 bytes);
//   sanitizer builds (NETSTEP_SANITIZE, Debug + ASan/UBSan): 32 MB, the same
//   scenario at a size that keeps the test under a minute (three 100 MB runs
//   take about two minutes there, against about two seconds in dev).
// Each build always runs its size; -DNETSTEP_BULK_BYTES=... overrides it.
//
// Nothing holds the stream: the sender generates it from a seeded generator
// in 64 KiB chunks as the send buffer frees up, both sides hash it as it
// passes (StreamHash), and the receiver regenerates it to name the first wrong
// byte should the hashes ever differ. The trace is not recorded either: a
// counting sink (TraceDigest) fingerprints every event and counts what the
// summary reports (retransmissions, RTO expiries, what the wire did).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "lossy_lan.hpp"
#include "base/random.hpp"
#include "tcp/tcp_layer.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;
using namespace netstep::tcp;

#ifndef NETSTEP_BULK_BYTES
#ifdef NETSTEP_SANITIZE
#define NETSTEP_BULK_BYTES (32ull << 20)
#else
#define NETSTEP_BULK_BYTES (100ull << 20)
#endif
#endif

using netstep::test::lossy_lan;

namespace {

constexpr std::uint64_t bulk_bytes = NETSTEP_BULK_BYTES;
constexpr std::size_t chunk_size = 64 * 1024;
const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};

// A 64-bit hash of a byte stream fed in pieces of any size: the same bytes
// give the same digest however they were split, so the sender's chunks and
// the receiver's reads need not line up. Eight bytes at a time, each word
// folded in with xxHash64's round (multiply, rotate, multiply), so a byte's
// position matters; the digest adds the length and xxHash64's avalanche.
class StreamHash {
 public:
  void update(Bytes bytes) {
    count_ += bytes.size();
    std::size_t i = 0;
    while (i < bytes.size() && filled_ != 0) take_byte(bytes[i++]);
    for (; i + 8 <= bytes.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes.data() + i, 8);
      round(word);
    }
    while (i < bytes.size()) take_byte(bytes[i++]);
  }
  [[nodiscard]] std::uint64_t digest() const {
    std::uint64_t h = state_;
    if (filled_ != 0) h = mixed(h, pending_);
    h ^= count_ * prime1;
    h ^= h >> 33;
    h *= prime2;
    h ^= h >> 29;
    h *= prime3;
    h ^= h >> 32;
    return h;
  }
  [[nodiscard]] std::uint64_t count() const { return count_; }

 private:
  static constexpr std::uint64_t prime1 = 0x9E3779B185EBCA87ull;
  static constexpr std::uint64_t prime2 = 0xC2B2AE3D27D4EB4Full;
  static constexpr std::uint64_t prime3 = 0x165667B19E3779F9ull;
  static std::uint64_t mixed(std::uint64_t acc, std::uint64_t word) {
    acc += word * prime2;
    acc = std::rotl(acc, 31);
    return acc * prime1;
  }
  void round(std::uint64_t word) { state_ = mixed(state_, word); }
  void take_byte(std::byte b) {
    pending_ |= std::uint64_t{static_cast<std::uint8_t>(b)} << (8 * filled_);
    if (++filled_ == 8) {
      round(pending_);
      pending_ = 0;
      filled_ = 0;
    }
  }
  std::uint64_t state_ = prime3;
  std::uint64_t pending_ = 0;  // bytes waiting for a whole word, little end first
  unsigned filled_ = 0;
  std::uint64_t count_ = 0;
};

// The stream: bytes from a seeded xoshiro256**, eight per draw, handed out
// in pieces of any size (the same bytes however they are asked for).
class StreamSource {
 public:
  explicit StreamSource(std::uint64_t seed) : random_{Random{seed}.fork(0xB01CDA7A)} {}
  void fill(MutableBytes out) {
    for (std::byte& b : out) {
      if (left_ == 0) {
        word_ = random_.next_u64();
        left_ = 8;
      }
      b = static_cast<std::byte>(word_ & 0xff);
      word_ >>= 8;
      --left_;
    }
  }

 private:
  Random random_;
  std::uint64_t word_ = 0;
  unsigned left_ = 0;
};

// Fingerprints the trace without keeping it (every event's position, time,
// host, layer and kind, and the numbers of every TCP segment), and counts
// what the summary reports.
class TraceDigest final : public TraceSink {
 public:
  void receive(const TraceEvent& e) override {
    ++events;
    mix(e.sequence);
    mix(static_cast<std::uint64_t>(to_ns(e.time)));
    for (const char c : e.host) mix(static_cast<std::uint64_t>(c));
    mix(static_cast<std::uint64_t>(e.layer));
    for (const char c : kind_of(e.payload)) mix(static_cast<std::uint64_t>(c));
    mix(e.frame.size());
    if (const auto* s = std::get_if<TcpSegment>(&e.payload)) {
      mix(s->flags);
      mix(s->seq);
      mix(s->ack);
      mix(s->length);
      mix(s->window);
      if (s->direction == "sent" && e.host == "client") count_client_segment(*s);
    } else if (const auto* d = std::get_if<Dropped>(&e.payload)) {
      if (d->reason == "impairment: loss") ++frames_lost;
    } else if (const auto* w = std::get_if<WireImpairment>(&e.payload)) {
      if (w->what == "duplicated") ++frames_duplicated;
      if (w->what == "reordered") ++frames_reordered;
    } else if (const auto* t = std::get_if<TimerFired>(&e.payload)) {
      if (e.host == "client" && t->name == "tcp retransmission") ++client_rto_expiries;
    }
  }

  std::uint64_t events = 0;
  std::uint64_t digest = 0xcbf29ce484222325ull;
  // The client's data segments (payload or FIN), first sendings and resendings:
  // a segment starting below the highest sequence number already sent is a
  // retransmission (RTO go-back, fast retransmit or NewReno's next hole).
  std::uint64_t client_data_segments = 0;
  std::uint64_t client_retransmitted_segments = 0;
  std::uint64_t client_retransmitted_bytes = 0;
  std::uint64_t client_rto_expiries = 0;
  std::uint64_t frames_lost = 0;
  std::uint64_t frames_duplicated = 0;
  std::uint64_t frames_reordered = 0;

 private:
  void mix(std::uint64_t v) { digest = (digest ^ v) * 0x100000001b3ull; }
  void count_client_segment(const TcpSegment& s) {
    const bool fin = (s.flags & wire::TcpFlags::fin) != 0;
    if (s.length == 0 && !fin) return;
    ++client_data_segments;
    // relative_seq counts from the ISS, so it does not wrap for streams
    // under 4 GiB whatever the ISN.
    const std::uint64_t end = std::uint64_t{s.relative_seq} + s.length + (fin ? 1 : 0);
    if (s.relative_seq < highest_end_) {
      ++client_retransmitted_segments;
      client_retransmitted_bytes += std::min<std::uint64_t>(end, highest_end_) - s.relative_seq;
    }
    highest_end_ = std::max(highest_end_, end);
  }
  std::uint64_t highest_end_ = 0;
};

struct BulkRun {
  std::uint64_t seed = 0;
  std::uint64_t sent_bytes = 0;
  std::uint64_t sent_hash = 0;
  std::uint64_t received_bytes = 0;
  std::uint64_t received_hash = 0;
  std::optional<std::uint64_t> first_wrong_byte;  // offset in the stream, if any
  bool reached_end_of_stream = false;  // the server read everything, then the FIN
  bool closed_cleanly = false;         // then both closed: client TIME-WAIT, server CLOSED
  Duration transfer_time{};            // virtual: the first SYN to the server reading the FIN
  Instant end{};                       // virtual time when the run stopped
  TraceDigest trace;
};

std::ostream& operator<<(std::ostream& os, const BulkRun& r) {
  const TraceDigest& t = r.trace;
  os << "seed " << r.seed << ": " << r.received_bytes << " of " << r.sent_bytes << " bytes, hash "
     << std::hex << r.received_hash << " (sent " << r.sent_hash << ")" << std::dec << ", transfer "
     << format_seconds(r.transfer_time) << " s virtual, ended at " << format_seconds(r.end.time_since_epoch())
     << " s; client data segments " << t.client_data_segments << ", retransmitted " << t.client_retransmitted_segments
     << " (" << t.client_retransmitted_bytes << " bytes), RTO expiries " << t.client_rto_expiries << "; wire lost "
     << t.frames_lost << ", duplicated " << t.frames_duplicated << ", reordered " << t.frames_reordered
     << " frames; trace " << t.events << " events, fingerprint " << std::hex << t.digest << std::dec;
  if (r.first_wrong_byte) os << "; FIRST WRONG BYTE at offset " << *r.first_wrong_byte;
  return os;
}

// Runs events until done() holds; false if the loop went idle first or
// virtual time passed `limit`.
template <class Done>
bool run_until(EventLoop& loop, Done done, Duration limit) {
  const Instant deadline = loop.now() + limit;
  while (!done()) {
    if (loop.now() > deadline || !loop.run_next()) return done();
  }
  return true;
}

BulkRun bulk_transfer(std::uint64_t seed, std::uint64_t total) {
  BulkRun run;
  run.seed = seed;
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopologyOptions options;
  options.seed = seed;
  topology::DefaultTopology network{loop, bus, options};
  bus.attach(run.trace);
  for (const char* name : {"client-lan", "server-lan"}) {
    sim::Link* link = network.network().find_link(name);
    REQUIRE(link != nullptr);
    link->set_impairments(sim::Direction::AtoB, lossy_lan());
    link->set_impairments(sim::Direction::BtoA, lossy_lan());
  }

  Listener& listener = network.server().tcp().listen(server_http, 8);
  auto connected = network.client().tcp().connect(server_http);
  REQUIRE(connected.ok());
  Connection& client = *connected.value();
  Connection* server = nullptr;

  StreamSource source{seed};
  StreamSource expected{seed};  // the receiver's copy, to locate a wrong byte
  StreamHash sent_hash;
  StreamHash received_hash;
  std::vector<std::byte> chunk(chunk_size);
  std::vector<std::byte> scratch(chunk_size);
  std::vector<std::byte> reference(chunk_size);
  std::size_t chunk_length = 0;
  std::size_t chunk_sent = 0;
  bool close_called = false;

  const auto pump = [&] {
    if (server == nullptr && listener.pending() > 0) server = listener.accept();
    // Sender: refill the chunk from the generator; offer it while the send buffer has room.
    while (client.state() == State::Established && !close_called && client.send_space() > 0) {
      if (chunk_sent == chunk_length) {
        if (sent_hash.count() == total) {
          client.close();  // the FIN follows the last byte
          close_called = true;
          break;
        }
        chunk_length = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, total - sent_hash.count()));
        chunk_sent = 0;
        source.fill(MutableBytes{chunk}.first(chunk_length));
        sent_hash.update(Bytes{chunk}.first(chunk_length));
      }
      const std::size_t n = client.send(Bytes{chunk}.subspan(chunk_sent, chunk_length - chunk_sent));
      if (n == 0) break;
      chunk_sent += n;
    }
    // Receiver: hash what arrives and compare it with the regenerated stream.
    while (server != nullptr && server->readable() > 0) {
      const std::size_t n = server->receive(MutableBytes{scratch});
      const Bytes got = Bytes{scratch}.first(n);
      expected.fill(MutableBytes{reference}.first(n));
      if (!run.first_wrong_byte && std::memcmp(got.data(), reference.data(), n) != 0) {
        const auto at = std::mismatch(got.begin(), got.end(), reference.begin()).first - got.begin();
        run.first_wrong_byte = received_hash.count() + static_cast<std::uint64_t>(at);
      }
      received_hash.update(got);
    }
    return server != nullptr && server->peer_finished() && server->readable() == 0;
  };

  // Virtual-time limits far beyond what the run needs: they only turn a
  // stall into a failure instead of a hang.
  run.reached_end_of_stream = run_until(loop, pump, 24h);
  run.transfer_time = loop.now() - Instant{};
  if (run.reached_end_of_stream) {
    server->close();
    run.closed_cleanly = run_until(
        loop, [&] { return server->state() == State::Closed && client.state() == State::TimeWait; }, 1h);
  } else {
    for (const Connection* c : {&client, server}) {
      if (c == nullptr) continue;
      UNSCOPED_INFO(c->tuple().to_string()
                    << " " << to_string(c->state()) << " outcome " << to_string(c->outcome()) << " snd_una "
                    << c->snd_una().value() << " snd_nxt " << c->snd_nxt().value() << " rcv_nxt "
                    << c->rcv_nxt().value() << " snd_wnd " << c->snd_wnd() << " rcv_wnd " << c->rcv_wnd()
                    << " unacked " << c->unacknowledged() << " readable " << c->readable() << " rto "
                    << format_seconds(c->rtt().rto()) << " s cwnd " << c->congestion().cwnd());
    }
  }
  run.end = loop.now();
  run.sent_bytes = sent_hash.count();
  run.sent_hash = sent_hash.digest();
  run.received_bytes = received_hash.count();
  run.received_hash = received_hash.digest();
  bus.detach(run.trace);
  std::cout << "tcp bulk: " << run << "\n";
  return run;
}

void check_intact(const BulkRun& run, std::uint64_t total) {
  INFO(run);
  CHECK(run.reached_end_of_stream);
  CHECK(run.sent_bytes == total);
  CHECK(run.received_bytes == total);
  CHECK(run.received_hash == run.sent_hash);
  CHECK_FALSE(run.first_wrong_byte.has_value());
  CHECK(run.closed_cleanly);
  // The wire really was bad, and TCP really did repair it.
  CHECK(run.trace.frames_lost > 0);
  CHECK(run.trace.frames_duplicated > 0);
  CHECK(run.trace.frames_reordered > 0);
  CHECK(run.trace.client_retransmitted_segments > 0);
}

}  // namespace

TEST_CASE("StreamHash: the same bytes give the same digest however they are split", "[scenario][tcp][bulk]") {
  std::vector<std::byte> data(1000);
  StreamSource{3}.fill(MutableBytes{data});
  StreamHash whole;
  whole.update(Bytes{data});
  for (const std::size_t piece : {1u, 3u, 7u, 8u, 9u, 64u, 999u}) {
    StreamHash pieces;
    for (std::size_t at = 0; at < data.size(); at += piece) {
      pieces.update(Bytes{data}.subspan(at, std::min(piece, data.size() - at)));
    }
    CAPTURE(piece);
    CHECK(pieces.digest() == whole.digest());
    CHECK(pieces.count() == data.size());
  }
  // ... and differs when one byte changes, two bytes swap, or one goes missing.
  auto changed = data;
  changed[500] ^= std::byte{1};
  auto swapped = data;
  std::swap(swapped[10], swapped[11]);
  if (swapped[10] == swapped[11]) std::swap(swapped[10], swapped[12]);
  const auto digest = [](const std::vector<std::byte>& d) {
    StreamHash h;
    h.update(Bytes{d});
    return h.digest();
  };
  CHECK(digest(changed) != whole.digest());
  CHECK(digest(swapped) != whole.digest());
  CHECK(digest({data.begin(), data.end() - 1}) != whole.digest());
  // A stream source hands out the same bytes however it is asked.
  std::vector<std::byte> again(1000);
  StreamSource source{3};
  source.fill(MutableBytes{again}.first(5));
  source.fill(MutableBytes{again}.subspan(5));
  CHECK(again == data);
}

// 100 MB in dev and release builds, 32 MB under the sanitizers (see the top).
TEST_CASE("bulk stream of 100 MB (32 MB under sanitizers) client to server through 5% loss, reordering and "
          "duplication: the same hash and count at both ends, the same seed replays the same trace, another seed "
          "differs",
          "[scenario][tcp][data][loss][bulk]") {
  const BulkRun first = bulk_transfer(11, bulk_bytes);
  check_intact(first, bulk_bytes);

  // One seed, one run: the same events in the same order at the same times.
  const BulkRun again = bulk_transfer(11, bulk_bytes);
  check_intact(again, bulk_bytes);
  CHECK(again.trace.events == first.trace.events);
  CHECK(again.trace.digest == first.trace.digest);
  CHECK(again.end == first.end);
  CHECK(again.received_hash == first.received_hash);
  CHECK(again.trace.client_retransmitted_segments == first.trace.client_retransmitted_segments);

  // Another seed: other ISNs, ports, losses and data; still intact.
  const BulkRun other = bulk_transfer(12, bulk_bytes);
  check_intact(other, bulk_bytes);
  CHECK(other.trace.digest != first.trace.digest);
  CHECK(other.received_hash != first.received_hash);
}
