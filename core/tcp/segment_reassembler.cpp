#include "tcp/segment_reassembler.hpp"

#include <algorithm>
#include <cassert>

namespace netstep::tcp {

SegmentReassembler::SegmentReassembler(std::size_t max_ranges) : max_ranges_{max_ranges} {
  assert(max_ranges >= 1 && "SegmentReassembler: max_ranges must be at least 1");
}

bool SegmentReassembler::insert(std::size_t offset, std::size_t length) {
  if (length == 0) return true;
  // The storage is reserved by the first insert, for the whole bound (one
  // more than it: an in-order range is taken even when full), so inserts
  // never allocate after that, and a connection that never sees data out of
  // order never holds it (1.5 KiB at the default bound).
  if (ranges_.capacity() == 0) ranges_.reserve(max_ranges_ + 1);
  const std::uint64_t begin = next_expected_ + offset;
  const std::uint64_t end = begin + length;
  // Ranges that overlap or touch [begin, end) are [first, last): touching
  // ranges merge too, or SACK would report one run of bytes as two blocks.
  const auto first = std::lower_bound(ranges_.begin(), ranges_.end(), begin,
                                      [](const Range& r, std::uint64_t at) { return r.end < at; });
  auto last = first;
  while (last != ranges_.end() && last->begin <= end) ++last;

  if (first == last) {
    if (ranges_.size() >= max_ranges_ && offset != 0) return false;
    ++inserts_;
    ranges_.insert(first, Range{begin, end, inserts_});
    return true;
  }
  ++inserts_;
  first->begin = std::min(first->begin, begin);
  first->end = std::max(std::prev(last)->end, end);
  first->last_touched = inserts_;
  ranges_.erase(std::next(first), last);
  return true;
}

std::size_t SegmentReassembler::contiguous() const {
  if (ranges_.empty() || ranges_.front().begin > next_expected_) return 0;
  return static_cast<std::size_t>(ranges_.front().end - next_expected_);
}

void SegmentReassembler::advance(std::size_t n) {
  next_expected_ += n;
  const auto behind = std::find_if(ranges_.begin(), ranges_.end(),
                                   [this](const Range& r) { return r.end > next_expected_; });
  ranges_.erase(ranges_.begin(), behind);
  if (!ranges_.empty()) ranges_.front().begin = std::max(ranges_.front().begin, next_expected_);
}

SackBlocks SegmentReassembler::sack_blocks(std::size_t max_blocks) const {
  SackBlocks out;
  const std::size_t limit = std::min(max_blocks, max_sack_blocks);
  // Selection by recency, one pass per block: at most 4 passes over at most
  // max_ranges entries, and no sort buffer to allocate. A range at offset 0
  // is not reported: the cumulative ACK already covers it.
  std::uint64_t newer_than_all_left = inserts_ + 1;
  while (out.count < limit) {
    const Range* latest = nullptr;
    for (const Range& r : ranges_) {
      if (r.begin > next_expected_ && r.last_touched < newer_than_all_left &&
          (latest == nullptr || r.last_touched > latest->last_touched)) {
        latest = &r;
      }
    }
    if (latest == nullptr) break;
    newer_than_all_left = latest->last_touched;
    out.blocks[out.count++] = ByteRange{static_cast<std::size_t>(latest->begin - next_expected_),
                                        static_cast<std::size_t>(latest->end - next_expected_)};
  }
  return out;
}

}  // namespace netstep::tcp
