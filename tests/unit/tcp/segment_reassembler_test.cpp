#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "tcp/segment_reassembler.hpp"

using netstep::tcp::SackBlocks;
using netstep::tcp::SegmentReassembler;

namespace {

// SACK blocks as the RFC's tables print them: "begin-end begin-end ...".
std::string sack_text(const SackBlocks& sack) {
  std::string out;
  for (const auto& block : sack) {
    if (!out.empty()) out += ' ';
    out += std::to_string(block.begin) + "-" + std::to_string(block.end);
  }
  return out;
}

std::string sack_text(const SegmentReassembler& reassembler, std::size_t max_blocks = 4) {
  return sack_text(reassembler.sack_blocks(max_blocks));
}

}  // namespace

TEST_CASE("a new reassembler holds nothing and has no SACK blocks", "[tcp][reassembler]") {
  const SegmentReassembler reassembler;
  CHECK(reassembler.empty());
  CHECK(reassembler.contiguous() == 0);
  CHECK(reassembler.max_ranges() == 64);
  CHECK(sack_text(reassembler).empty());
}

TEST_CASE("a range beyond a hole is held but nothing becomes contiguous", "[tcp][reassembler]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(100, 50));
  CHECK(reassembler.contiguous() == 0);
  CHECK(reassembler.range_count() == 1);
  CHECK(sack_text(reassembler) == "100-150");
}

TEST_CASE("the range that fills the hole makes everything behind it contiguous", "[tcp][reassembler]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(10, 10));
  CHECK(reassembler.insert(20, 5));
  CHECK(reassembler.range_count() == 1);  // touching ranges merge
  CHECK(reassembler.insert(0, 10));
  CHECK(reassembler.contiguous() == 25);
  reassembler.advance(25);
  CHECK(reassembler.empty());
  CHECK(reassembler.contiguous() == 0);
}

TEST_CASE("overlapping and duplicate ranges merge into one", "[tcp][reassembler]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(10, 10));
  CHECK(reassembler.insert(10, 10));  // exact duplicate
  CHECK(reassembler.insert(12, 3));   // inside
  CHECK(reassembler.range_count() == 1);
  CHECK(sack_text(reassembler) == "10-20");
  CHECK(reassembler.insert(5, 8));  // overlaps the front
  CHECK(reassembler.insert(18, 7));  // overlaps the back
  CHECK(sack_text(reassembler) == "5-25");
  CHECK(reassembler.insert(40, 5));
  CHECK(reassembler.insert(60, 5));
  CHECK(reassembler.range_count() == 3);
  CHECK(reassembler.insert(1, 100));  // covers all three
  CHECK(reassembler.range_count() == 1);
  CHECK(sack_text(reassembler) == "1-101");
}

TEST_CASE("an empty range changes nothing", "[tcp][reassembler]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(30, 10));
  CHECK(reassembler.insert(5, 0));
  CHECK(reassembler.range_count() == 1);
}

TEST_CASE("advancing past part of a range keeps the rest, relative to the new next byte", "[tcp][reassembler]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(10, 10));
  CHECK(reassembler.insert(30, 10));
  reassembler.advance(15);  // in-order data arrived elsewhere up to 15
  CHECK(reassembler.contiguous() == 5);
  CHECK(sack_text(reassembler) == "15-25");  // the range at 0 is covered by the ACK itself
  reassembler.advance(5);
  CHECK(reassembler.contiguous() == 0);
  CHECK(sack_text(reassembler) == "10-20");
  reassembler.advance(100);
  CHECK(reassembler.empty());
}

TEST_CASE("beyond the range bound a new isolated range is refused but a joining one is taken", "[tcp][reassembler]") {
  SegmentReassembler reassembler{3};
  CHECK(reassembler.insert(10, 5));
  CHECK(reassembler.insert(20, 5));
  CHECK(reassembler.insert(30, 5));
  CHECK_FALSE(reassembler.insert(40, 5));  // a fourth island
  CHECK(reassembler.range_count() == 3);
  CHECK(sack_text(reassembler) == "30-35 20-25 10-15");  // the refused one left no trace
  CHECK(reassembler.insert(35, 3));  // extends an island
  CHECK(reassembler.insert(15, 5));  // bridges two islands
  CHECK(reassembler.range_count() == 2);
  CHECK(reassembler.insert(50, 5));  // room again
  CHECK(reassembler.range_count() == 3);
}

TEST_CASE("in-order data is taken even when the range bound is reached", "[tcp][reassembler]") {
  SegmentReassembler reassembler{2};
  CHECK(reassembler.insert(10, 5));
  CHECK(reassembler.insert(20, 5));
  CHECK(reassembler.insert(0, 5));
  CHECK(reassembler.contiguous() == 5);
  reassembler.advance(5);
  CHECK(reassembler.range_count() == 2);
}

// RFC 2018 section 3, third example: the left window edge is 5000 and eight
// 500-byte segments are sent; the 2nd, 4th, 6th and 8th are lost. Offsets
// here count from RCV.NXT = 5500, after the first segment arrived in order.
TEST_CASE("SACK blocks follow RFC 2018 with every other segment lost", "[tcp][reassembler][sack]") {
  SegmentReassembler reassembler;
  const std::size_t rcv_nxt = 5500;
  const auto segment = [&](std::size_t seq) { return reassembler.insert(seq - rcv_nxt, 500); };
  const auto sack = [&] {
    std::string out;
    for (const auto& block : reassembler.sack_blocks()) {
      if (!out.empty()) out += ' ';
      out += std::to_string(block.begin + rcv_nxt) + "-" + std::to_string(block.end + rcv_nxt);
    }
    return out;
  };
  CHECK(segment(6000));
  CHECK(sack() == "6000-6500");
  CHECK(segment(7000));
  CHECK(sack() == "7000-7500 6000-6500");
  CHECK(segment(8000));
  CHECK(sack() == "8000-8500 7000-7500 6000-6500");
  // "Suppose at this point, the 4th packet is received out of order."
  CHECK(segment(6500));
  CHECK(sack() == "6000-7500 8000-8500");
}

TEST_CASE("the first SACK block is the range holding the latest segment, even a duplicate", "[tcp][reassembler][sack]") {
  SegmentReassembler reassembler;
  CHECK(reassembler.insert(100, 10));
  CHECK(reassembler.insert(200, 10));
  CHECK(reassembler.insert(300, 10));
  CHECK(sack_text(reassembler) == "300-310 200-210 100-110");
  CHECK(reassembler.insert(100, 10));  // the oldest block is received again
  CHECK(sack_text(reassembler) == "100-110 300-310 200-210");
  CHECK(reassembler.insert(205, 10));  // and the middle one grows
  CHECK(sack_text(reassembler) == "200-215 100-110 300-310");
}

TEST_CASE("with more ranges than blocks, SACK reports the most recent ones", "[tcp][reassembler][sack]") {
  SegmentReassembler reassembler;
  for (std::size_t i = 1; i <= 6; ++i) CHECK(reassembler.insert(i * 100, 10));
  CHECK(sack_text(reassembler) == "600-610 500-510 400-410 300-310");
  // Three blocks when the timestamp option shares the header (RFC 2018 section 3).
  CHECK(sack_text(reassembler, 3) == "600-610 500-510 400-410");
  CHECK(sack_text(reassembler, 0).empty());
  CHECK(reassembler.sack_blocks(10).count == 4);  // never more than the option can hold
}

TEST_CASE("random inserts and advances match a per-byte model, range for range", "[tcp][reassembler][random]") {
  for (const std::uint64_t seed : {7u, 8u, 9u}) {
    netstep::Random random{seed};
    const std::size_t bound = 1 + random.below(8);
    SegmentReassembler reassembler{bound};
    std::vector<bool> held(400, false);  // model: held[i] is offset i from the next expected byte
    INFO("seed " << seed << ", bound " << bound);
    const auto model_ranges = [&] {
      std::vector<std::pair<std::size_t, std::size_t>> runs;
      for (std::size_t i = 0; i < held.size(); ++i) {
        if (!held[i]) continue;
        if (!runs.empty() && runs.back().second == i) {
          runs.back().second = i + 1;
        } else {
          runs.emplace_back(i, i + 1);
        }
      }
      return runs;
    };
    for (int step = 0; step < 5000; ++step) {
      INFO("step " << step);
      if (random.below(5) != 0) {
        const std::size_t offset = random.below(200);
        const std::size_t length = random.below(40);
        const auto before = model_ranges();
        bool isolated = true;
        for (const auto& [begin, end] : before) {
          if (begin <= offset + length && offset <= end) isolated = false;
        }
        const bool expected = length == 0 || !isolated || offset == 0 || before.size() < bound;
        REQUIRE(reassembler.insert(offset, length) == expected);
        if (expected) {
          for (std::size_t i = offset; i < offset + length; ++i) held[i] = true;
        }
        const auto sack = reassembler.sack_blocks();
        // The latest range comes first, unless it joined the run at offset 0,
        // which the cumulative ACK covers.
        if (expected && length > 0 && offset > reassembler.contiguous()) {
          REQUIRE(sack.count >= 1);
          CHECK(sack.blocks[0].begin <= offset);
          CHECK(sack.blocks[0].end >= offset + length);
        }
      } else {
        const std::size_t n = random.below(60);
        reassembler.advance(n);
        held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(n));
        held.resize(400, false);
      }
      const auto runs = model_ranges();
      REQUIRE(reassembler.range_count() == runs.size());
      REQUIRE(reassembler.contiguous() == (runs.empty() || runs.front().first != 0 ? 0 : runs.front().second));
      // Every reported block is exactly one of the model's runs, none twice.
      std::vector<std::pair<std::size_t, std::size_t>> reported;
      for (const auto& block : reassembler.sack_blocks()) reported.emplace_back(block.begin, block.end);
      const std::size_t reportable = runs.size() - (reassembler.contiguous() > 0 ? 1 : 0);
      REQUIRE(reported.size() == std::min<std::size_t>(4, reportable));
      for (const auto& block : reported) {
        CHECK(std::find(runs.begin(), runs.end(), block) != runs.end());
        CHECK(std::count(reported.begin(), reported.end(), block) == 1);
      }
    }
  }
}
