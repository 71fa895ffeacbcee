#pragma once
// SegmentReassembler: which bytes beyond the next expected one (RCV.NXT) have
// arrived, as merged ranges, and the SACK blocks that report them (RFC 2018).
// It tracks positions only; the receive buffer holds the bytes themselves.
// Offsets count from RCV.NXT. The number of separate ranges is bounded: past
// the bound a new isolated range is refused, and the caller drops the
// segment. Storage for the whole bound is reserved by the first insert (not
// at construction: most connections never see data out of order), so no
// insert after that allocates.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace netstep::tcp {

// Bytes [begin, end), as offsets from RCV.NXT.
struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// 40 bytes of TCP options hold at most four SACK blocks (RFC 2018 section 3).
inline constexpr std::size_t max_sack_blocks = 4;

// SACK blocks in the order they go on the wire: the most recent first.
// Iterate it directly (`for (auto b : reassembler.sack_blocks())`); ranges()
// of a temporary is deleted, as its span would dangle.
struct SackBlocks {
  std::array<ByteRange, max_sack_blocks> blocks{};
  std::size_t count = 0;
  [[nodiscard]] std::span<const ByteRange> ranges() const& { return {blocks.data(), count}; }
  std::span<const ByteRange> ranges() const&& = delete;
  [[nodiscard]] const ByteRange* begin() const { return blocks.data(); }
  [[nodiscard]] const ByteRange* end() const { return blocks.data() + count; }
};

class SegmentReassembler {
 public:
  static constexpr std::size_t default_max_ranges = 64;
  explicit SegmentReassembler(std::size_t max_ranges = default_max_ranges);  // max_ranges >= 1

  // Records [offset, offset + length), merged with overlapping or touching
  // ranges. Returns false, recording nothing, when it would be a new range
  // beyond the bound. A range at offset 0 is always taken: it is in order,
  // and the caller's next advance() removes it.
  [[nodiscard]] bool insert(std::size_t offset, std::size_t length);
  // How many bytes from offset 0 have arrived without a gap.
  [[nodiscard]] std::size_t contiguous() const;
  // RCV.NXT moved forward by n: ranges behind it are dropped or cut.
  void advance(std::size_t n);

  // RFC 2018 section 4: first the range holding the latest insert, then the
  // others by how recently an insert touched them, at most max_blocks.
  [[nodiscard]] SackBlocks sack_blocks(std::size_t max_blocks = max_sack_blocks) const;

  [[nodiscard]] std::size_t range_count() const { return ranges_.size(); }
  [[nodiscard]] std::size_t max_ranges() const { return max_ranges_; }
  [[nodiscard]] bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::uint64_t begin;  // absolute stream positions, so advance() need not shift every range
    std::uint64_t end;
    std::uint64_t last_touched;  // insert counter, for the SACK order
  };
  std::vector<Range> ranges_;  // sorted by begin, disjoint, never touching
  std::size_t max_ranges_;
  std::uint64_t next_expected_ = 0;  // absolute position of offset 0
  std::uint64_t inserts_ = 0;
};

}  // namespace netstep::tcp
