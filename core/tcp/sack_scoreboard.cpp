#include "tcp/sack_scoreboard.hpp"

#include <algorithm>
#include <stdexcept>

namespace netstep::tcp {

SackScoreboard::SackScoreboard(std::size_t max_ranges) : max_ranges_{max_ranges} {
  if (max_ranges == 0) throw std::invalid_argument("sack scoreboard: max_ranges must be at least 1");
}

bool SackScoreboard::record(std::span<const wire::SackBlock> blocks, SeqNum snd_una, SeqNum snd_max) {
  const std::size_t before = sacked_bytes();
  for (const wire::SackBlock& block : blocks) {
    if (!(block.left < block.right) || block.left <= snd_una || block.right > snd_max) continue;
    insert(SeqRange{block.left, block.right});
  }
  return sacked_bytes() != before;
}

void SackScoreboard::insert(SeqRange range) {
  // Reserved at the first block, once: most connections never see one.
  if (ranges_.capacity() == 0) ranges_.reserve(max_ranges_ + 1);
  // Merge with every range it overlaps or touches, then put it in order.
  auto first = std::find_if(ranges_.begin(), ranges_.end(), [&](const SeqRange& r) { return r.end >= range.begin; });
  auto last = first;
  while (last != ranges_.end() && last->begin <= range.end) {
    range.begin = std::min(range.begin, last->begin);
    range.end = std::max(range.end, last->end);
    ++last;
  }
  first = ranges_.erase(first, last);
  ranges_.insert(first, range);
  if (ranges_.size() > max_ranges_) ranges_.pop_back();
}

void SackScoreboard::advance(SeqNum snd_una) {
  auto kept = std::find_if(ranges_.begin(), ranges_.end(), [&](const SeqRange& r) { return r.end > snd_una; });
  ranges_.erase(ranges_.begin(), kept);
  if (!ranges_.empty() && ranges_.front().begin < snd_una) ranges_.front().begin = snd_una;
}

std::optional<SeqNum> SackScoreboard::highest() const {
  if (ranges_.empty()) return std::nullopt;
  return ranges_.back().end;
}

std::optional<SeqRange> SackScoreboard::hole_from(SeqNum from) const {
  for (const SeqRange& r : ranges_) {
    if (r.end <= from) continue;
    if (r.begin <= from) {
      from = r.end;
      continue;
    }
    return SeqRange{from, r.begin};
  }
  return std::nullopt;
}

SeqNum SackScoreboard::skip_sacked(SeqNum s) const {
  for (const SeqRange& r : ranges_) {
    if (r.begin <= s && s < r.end) return r.end;
  }
  return s;
}

std::size_t SackScoreboard::sacked_bytes() const {
  std::size_t total = 0;
  for (const SeqRange& r : ranges_) total += static_cast<std::size_t>(r.end - r.begin);
  return total;
}

}  // namespace netstep::tcp
