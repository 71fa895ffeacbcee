#pragma once
// ReceiveBuffer: bytes from the peer, in one ring of fixed capacity. In order
// from the front: bytes ready for the application (readable()), then the
// receive window, which starts at RCV.NXT. Out-of-order bytes are written
// straight to their place in the window, so nothing is copied again when the
// hole before them fills; a SegmentReassembler remembers which places hold
// data. window() is RCV.WND before scaling (RFC 9293 section 3.3.1).
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"
#include "tcp/byte_ring.hpp"
#include "tcp/segment_reassembler.hpp"

namespace netstep::tcp {

class ReceiveBuffer {
 public:
  struct InsertResult {
    std::size_t accepted = 0;        // bytes of the segment now held (in order or not)
    std::size_t newly_in_order = 0;  // how far RCV.NXT moved, hole-filling bytes included
    bool out_of_order = false;       // stored beyond a hole (RFC 5681 4.2: ACK at once)
    bool trimmed = false;            // some bytes lay beyond the window's right edge
    bool refused = false;            // a new isolated range past the reassembler's bound
  };

  explicit ReceiveBuffer(std::size_t capacity,
                         std::size_t max_out_of_order_ranges = SegmentReassembler::default_max_ranges);

  // A segment's data at `offset` from RCV.NXT (SEG.SEQ - RCV.NXT, so it may
  // be negative). Bytes before RCV.NXT were received already and are
  // skipped; bytes past the window are cut off (`trimmed`).
  InsertResult insert(std::int64_t offset, Bytes data);

  // Copies in-order bytes to the application; returns how many.
  std::size_t read(MutableBytes out);

  [[nodiscard]] std::size_t readable() const { return readable_; }
  [[nodiscard]] std::size_t window() const { return ring_.capacity() - readable_; }
  [[nodiscard]] std::size_t capacity() const { return ring_.capacity(); }
  // Out-of-order data held, as SACK blocks relative to RCV.NXT, newest first.
  [[nodiscard]] SackBlocks sack_blocks(std::size_t max_blocks = max_sack_blocks) const {
    return reassembler_.sack_blocks(max_blocks);
  }
  [[nodiscard]] bool has_out_of_order_data() const { return !reassembler_.empty(); }

 private:
  ByteRing ring_;
  SegmentReassembler reassembler_;
  std::size_t readable_ = 0;  // ring offsets [0, readable_) are in order, unread
};

}  // namespace netstep::tcp
