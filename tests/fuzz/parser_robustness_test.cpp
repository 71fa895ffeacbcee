// A bounded, seeded robustness test over every wire parser: random buffers
// and mutated golden frames must be refused with a WireError or parsed, never
// crash or read out of bounds. Run it under NETSTEP_SANITIZE=ON to make "out
// of bounds" loud. For open-ended fuzzing use the libFuzzer targets
// (fuzz_parsers.cpp, NETSTEP_BUILD_FUZZERS=ON).
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "base/random.hpp"
#include "golden_frames.hpp"
#include "parse_everything.hpp"
#include "wire/checksum.hpp"

using namespace netstep;

namespace {
constexpr int random_iterations = 100'000;
constexpr int mutation_iterations = 100'000;
// Text (to_string, describe_frame) on one iteration in this many: string
// building dominates a Debug ASan run and adds little to the bounds checks.
constexpr int text_every = 4;

// Makes a mutated frame's checksums right again, so the mutation reaches the
// layers behind them instead of stopping at the first checksum.
void fix_checksums(std::vector<std::byte>& f) {
  const MutableBytes b{f};
  if (b.size() < 14 + 20 || load_be16(b, 12) != wire::ethertype::ipv4) return;
  const MutableBytes ip = b.subspan(14);
  const std::size_t ihl = std::size_t{load_u8(ip, 0) & 0x0fu} * 4;
  if (ihl < 20 || ihl > ip.size()) return;
  store_be16(ip, 10, 0);
  store_be16(ip, 10, wire::internet_checksum(Bytes{ip.first(ihl)}));
  const std::size_t total = std::min<std::size_t>(load_be16(ip, 2), ip.size());
  if (total < ihl) return;
  const MutableBytes transport = ip.subspan(ihl, total - ihl);
  const std::uint8_t protocol = load_u8(ip, 9);
  const std::size_t at = protocol == wire::ip_protocol::tcp ? 16 : protocol == wire::ip_protocol::udp ? 6 : 2;
  if (transport.size() < at + 2) return;
  store_be16(transport, at, 0);
  wire::ChecksumAccumulator acc;
  if (protocol != wire::ip_protocol::icmp) {
    wire::add_pseudo_header(acc, Ipv4Address{load_be32(ip, 12)}, Ipv4Address{load_be32(ip, 16)}, protocol,
                            static_cast<std::uint16_t>(transport.size()));
  }
  acc.add(transport);
  store_be16(transport, at, acc.checksum());
}

// Offsets of the length-like fields in a golden frame (untagged Ethernet +
// IPv4 + transport), where a poke is most likely to find a bounds bug.
constexpr std::size_t length_fields[] = {
    12, 13,      // ethertype / TPID
    14, 16, 17,  // IHL, total length
    18 + 2, 20,  // identification/flags
    34 + 4, 34 + 5, 34 + 12,  // UDP length / TCP data offset
    34 + 20, 34 + 21, 34 + 22, 34 + 23, 34 + 25, 34 + 29, 34 + 33, 34 + 37,  // first option bytes
};
}  // namespace

TEST_CASE("random buffers of every length up to 1600 never crash a parser", "[fuzz][wire]") {
  Random rng{0xf022};
  std::size_t seen = 0;
  std::vector<std::byte> buffer;
  for (int i = 0; i < random_iterations; ++i) {
    buffer.resize(rng.below(1601));
    for (std::size_t at = 0; at < buffer.size(); at += 8) {  // 8 random bytes per draw
      const std::uint64_t bits = rng.next_u64();
      std::memcpy(buffer.data() + at, &bits, std::min<std::size_t>(8, buffer.size() - at));
    }
    // Half the time, look like IPv4 over Ethernet so the deeper layers are reached.
    if (buffer.size() > 14 + 20 && rng.chance(0.5)) {
      buffer[12] = std::byte{0x08}, buffer[13] = std::byte{0x00};
      buffer[14] = std::byte(0x40 | (rng.below(3) == 0 ? rng.below(16) : 5));
      static constexpr std::uint8_t protocols[] = {1, 6, 17, 47};
      buffer[23] = std::byte{protocols[rng.below(std::size(protocols))]};
      if (rng.chance(0.7)) fix_checksums(buffer);
    }
    seen += fuzz::parse_everything(buffer, i % text_every == 0);
  }
  CHECK(seen > 0);
}

TEST_CASE("mutated golden frames never crash a parser", "[fuzz][wire]") {
  Random rng{0x601d};
  std::size_t seen = 0;
  const auto frames = std::span{golden::all_frames};
  for (int i = 0; i < mutation_iterations; ++i) {
    const auto& golden_frame = frames[rng.below(frames.size())];
    std::vector<std::byte> f(golden_frame.bytes.size());
    std::memcpy(f.data(), golden_frame.bytes.data(), f.size());
    switch (rng.below(4)) {
      case 0:  // bit flips
        for (auto n = 1 + rng.below(8); n > 0; --n) f[rng.below(f.size())] ^= std::byte(1u << rng.below(8));
        break;
      case 1:  // truncation
        f.resize(rng.below(f.size() + 1));
        break;
      case 2: {  // a length-like field set to something unlikely
        const std::size_t at = length_fields[rng.below(std::size(length_fields))];
        const std::uint8_t values[] = {0, 1, 2, 3, 4, 5, 0x0f, 0x40, 0x45, 0x4f, 0x7f, 0x80, 0xff};
        if (at < f.size()) f[at] = std::byte{rng.chance(0.5) ? values[rng.below(std::size(values))]
                                                             : static_cast<std::uint8_t>(rng.next_u64())};
        break;
      }
      default:  // random bytes appended or a random slice removed
        if (rng.chance(0.5)) {
          for (auto n = rng.below(64); n > 0; --n) f.push_back(std::byte(rng.next_u64()));
        } else if (!f.empty()) {
          const auto from = rng.below(f.size());
          f.erase(f.begin() + static_cast<std::ptrdiff_t>(from),
                  f.begin() + static_cast<std::ptrdiff_t>(from + rng.below(f.size() - from + 1)));
        }
    }
    if (rng.chance(0.5)) fix_checksums(f);
    seen += fuzz::parse_everything(f, i % text_every == 0);
  }
  CHECK(seen > 0);
}
