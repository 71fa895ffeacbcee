#pragma once
// The sender's record of what the peer has selectively acknowledged
// (RFC 2018): ranges of sequence space above SND.UNA that arrived beyond a
// hole. The sender honours it by retransmitting only the holes. Storage is
// reserved once, at the first block (most connections never see one); when
// full, the highest ranges are given up, which only makes the sender
// retransmit more.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "base/seq_num.hpp"
#include "wire/tcp.hpp"

namespace netstep::tcp {

// Sequence numbers [begin, end).
struct SeqRange {
  SeqNum begin;
  SeqNum end;
  friend bool operator==(const SeqRange&, const SeqRange&) = default;
};

class SackScoreboard {
 public:
  static constexpr std::size_t default_max_ranges = 32;
  explicit SackScoreboard(std::size_t max_ranges = default_max_ranges);

  // Records the blocks of one ACK. Blocks outside (SND.UNA, SND.MAX], empty
  // or reversed ones, and D-SACKs below SND.UNA (RFC 2883) are ignored.
  // Returns true if anything new was learnt.
  bool record(std::span<const wire::SackBlock> blocks, SeqNum snd_una, SeqNum snd_max);
  // SND.UNA moved: forget what lies below it.
  void advance(SeqNum snd_una);
  // After a retransmission timeout the receiver may have reneged: start
  // again from nothing (RFC 2018 section 8).
  void clear() { ranges_.clear(); }

  [[nodiscard]] bool empty() const { return ranges_.empty(); }
  [[nodiscard]] std::span<const SeqRange> ranges() const { return ranges_; }
  // One past the highest byte the peer has selectively acknowledged.
  [[nodiscard]] std::optional<SeqNum> highest() const;
  // The first hole at or after `from` that lies below a SACKed range: what
  // the peer certainly misses (RFC 6675's "lost" in its simplest form).
  [[nodiscard]] std::optional<SeqRange> hole_from(SeqNum from) const;
  // The end of the SACKed range holding `s`, or `s` if none holds it.
  [[nodiscard]] SeqNum skip_sacked(SeqNum s) const;
  // Bytes the peer holds beyond SND.UNA.
  [[nodiscard]] std::size_t sacked_bytes() const;

 private:
  void insert(SeqRange range);
  std::vector<SeqRange> ranges_;  // sorted, disjoint, never touching
  std::size_t max_ranges_;
};

}  // namespace netstep::tcp
