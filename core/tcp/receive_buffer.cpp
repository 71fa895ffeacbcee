#include "tcp/receive_buffer.hpp"

#include <algorithm>

namespace netstep::tcp {

ReceiveBuffer::ReceiveBuffer(std::size_t capacity, std::size_t max_out_of_order_ranges)
    : ring_{capacity}, reassembler_{max_out_of_order_ranges} {}

ReceiveBuffer::InsertResult ReceiveBuffer::insert(std::int64_t offset, Bytes data) {
  InsertResult result;
  // Skip what lies before RCV.NXT: a retransmission of bytes already taken.
  if (offset < 0) {
    const std::uint64_t behind = std::uint64_t{0} - static_cast<std::uint64_t>(offset);  // modular: no overflow at INT64_MIN
    if (behind >= data.size()) return result;
    data = data.subspan(static_cast<std::size_t>(behind));
    offset = 0;
  }
  const auto start = static_cast<std::uint64_t>(offset);
  const std::size_t room = start < window() ? window() - static_cast<std::size_t>(start) : 0;
  if (data.size() > room) {
    data = data.first(room);
    result.trimmed = true;
  }
  if (data.empty()) return result;
  const auto at = static_cast<std::size_t>(start);

  if (at > 0 && !reassembler_.insert(at, data.size())) {
    result.refused = true;
    return result;
  }
  ring_.write_at(readable_ + at, data);
  result.accepted = data.size();
  if (at > 0) {
    result.out_of_order = true;
    return result;
  }
  // In order: RCV.NXT moves past this segment and any stored data it reaches.
  reassembler_.advance(data.size());
  const std::size_t joined = reassembler_.contiguous();
  reassembler_.advance(joined);
  result.newly_in_order = data.size() + joined;
  readable_ += result.newly_in_order;
  return result;
}

std::size_t ReceiveBuffer::read(MutableBytes out) {
  const std::size_t n = std::min(out.size(), readable_);
  ring_.read_at(0, out.first(n));
  ring_.advance_front(n);
  readable_ -= n;
  return n;
}

}  // namespace netstep::tcp
