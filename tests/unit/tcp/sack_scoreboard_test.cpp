// SackScoreboard: what the peer selectively acknowledged (RFC 2018), kept
// by the sender to retransmit only the holes.
#include <catch2/catch.hpp>

#include <array>

#include "tcp/sack_scoreboard.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {
const SeqNum una{1000};
const SeqNum max{11000};
wire::SackBlock block(std::uint32_t left, std::uint32_t right) { return {SeqNum{left}, SeqNum{right}}; }
}  // namespace

TEST_CASE("scoreboard: blocks merge when they overlap or touch, and stay sorted", "[tcp][sack]") {
  SackScoreboard board;
  const std::array blocks{block(5000, 6000), block(2000, 3000), block(3000, 3500), block(5500, 7000)};
  REQUIRE(board.record(blocks, una, max));
  REQUIRE(board.ranges().size() == 2);
  CHECK(board.ranges()[0] == SeqRange{SeqNum{2000}, SeqNum{3500}});
  CHECK(board.ranges()[1] == SeqRange{SeqNum{5000}, SeqNum{7000}});
  CHECK(board.sacked_bytes() == 3500);
  CHECK(board.highest() == SeqNum{7000});
  CHECK_FALSE(board.record(blocks, una, max));  // nothing new
}

TEST_CASE("scoreboard: blocks at or below SND.UNA, beyond SND.MAX, empty or reversed are ignored", "[tcp][sack]") {
  SackScoreboard board;
  const std::array blocks{block(500, 1000), block(10000, 12000), block(4000, 4000), block(6000, 5000)};
  CHECK_FALSE(board.record(blocks, una, max));
  CHECK(board.empty());
}

TEST_CASE("scoreboard: holes lie between SND.UNA and the highest SACKed byte", "[tcp][sack]") {
  SackScoreboard board;
  const std::array blocks{block(2000, 3000), block(4000, 5000)};
  board.record(blocks, una, max);
  CHECK(board.hole_from(una) == SeqRange{SeqNum{1000}, SeqNum{2000}});
  CHECK(board.hole_from(SeqNum{1500}) == SeqRange{SeqNum{1500}, SeqNum{2000}});
  CHECK(board.hole_from(SeqNum{2000}) == SeqRange{SeqNum{3000}, SeqNum{4000}});
  CHECK(board.hole_from(SeqNum{2500}) == SeqRange{SeqNum{3000}, SeqNum{4000}});
  CHECK_FALSE(board.hole_from(SeqNum{4000}).has_value());  // beyond the highest: unknown, not a hole
  CHECK(board.skip_sacked(SeqNum{2500}) == SeqNum{3000});
  CHECK(board.skip_sacked(SeqNum{3500}) == SeqNum{3500});
}

TEST_CASE("scoreboard: SND.UNA advancing forgets and cuts ranges, clear() forgets all (RFC 2018 8)", "[tcp][sack]") {
  SackScoreboard board;
  const std::array blocks{block(2000, 3000), block(4000, 5000)};
  board.record(blocks, una, max);
  board.advance(SeqNum{3000});
  REQUIRE(board.ranges().size() == 1);
  board.advance(SeqNum{4500});
  CHECK(board.ranges()[0] == SeqRange{SeqNum{4500}, SeqNum{5000}});
  board.clear();
  CHECK(board.empty());
}

TEST_CASE("scoreboard: sequence numbers that wrap past 2^32 compare correctly", "[tcp][sack]") {
  SackScoreboard board;
  const SeqNum low{0xffffff00u};
  const std::array blocks{block(0x00000100u, 0x00000200u), block(0xffffff80u, 0x00000010u)};
  board.record(blocks, low, SeqNum{0x00001000u});
  REQUIRE(board.ranges().size() == 2);
  CHECK(board.ranges()[0].begin == SeqNum{0xffffff80u});
  CHECK(board.hole_from(low) == SeqRange{low, SeqNum{0xffffff80u}});
}

TEST_CASE("scoreboard: past its bound it keeps the lowest ranges", "[tcp][sack]") {
  SackScoreboard board{2};
  const std::array blocks{block(2000, 2100), block(3000, 3100), block(4000, 4100)};
  board.record(blocks, una, max);
  REQUIRE(board.ranges().size() == 2);
  CHECK(board.highest() == SeqNum{3100});
}
