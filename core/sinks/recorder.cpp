#include "sinks/recorder.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

namespace netstep {

namespace {
// A block holds several hundred full-size frames; a larger piece gets a
// block of its own size.
constexpr std::size_t block_size = std::size_t{1} << 20;
}  // namespace

std::byte* Recorder::store(const std::byte* data, std::size_t size) {
  while (block_ < blocks_.size() && blocks_[block_].size - used_ < size) {
    ++block_;  // the rest of this block stays unused until clear()
    used_ = 0;
  }
  if (block_ == blocks_.size()) {
    const std::size_t bytes = std::max(block_size, size);
    blocks_.push_back(Block{std::make_unique_for_overwrite<std::byte[]>(bytes), bytes});
    used_ = 0;
  }
  std::byte* at = blocks_[block_].bytes.get() + used_;
  std::memcpy(at, data, size);
  used_ += size;
  return at;
}

std::string_view Recorder::intern(std::string_view host) {
  // Events come from a handful of hosts, whose names stay where they are:
  // the slot for this address usually holds this name already. Its bytes
  // are compared anyway (an address can hold another name later).
  Seen& seen = seen_[(std::hash<const char*>{}(host.data()) >> 3) % seen_.size()];
  if (seen.from == host.data() && seen.name.size() == host.size() &&
      std::memcmp(seen.name.data(), host.data(), host.size()) == 0) {
    return seen.name;
  }
  std::string_view name;
  const auto known = std::find(hosts_.begin(), hosts_.end(), host);
  if (known != hosts_.end()) {
    name = *known;
  } else {
    hosts_.push_back(names_.emplace_back(host));
    name = hosts_.back();
  }
  seen = Seen{host.data(), name};
  return name;
}

std::uint64_t Recorder::fingerprint(Bytes frame) {
  // The length and up to three 8-byte words where frames of one flow
  // differ (for Ethernet + IPv4 + TCP: the IP identification and checksum,
  // the TCP sequence and acknowledgment numbers), mixed. Any bytes do:
  // a hit is checked in full.
  std::uint64_t h = frame.size() * 0x9e3779b97f4a7c15ull;
  for (const std::size_t at : {std::size_t{16}, std::size_t{24}, std::size_t{38}}) {
    if (at + 8 > frame.size()) break;
    std::uint64_t word;
    std::memcpy(&word, frame.data() + at, 8);
    h = (h ^ word) * 0xff51afd7ed558ccdull;
  }
  return h ^ (h >> 29);
}

Bytes Recorder::recall(Bytes frame) const {
  const std::uint64_t f = fingerprint(frame);
  const Recent& slot = recent_[f % recent_slots];
  if (slot.fingerprint == f && slot.stored.size() == frame.size() &&
      std::memcmp(slot.stored.data(), frame.data(), frame.size()) == 0) {
    return slot.stored;
  }
  return {};
}

void Recorder::remember(Bytes stored) {
  const std::uint64_t f = fingerprint(stored);
  recent_[f % recent_slots] = Recent{f, stored};
}

void Recorder::receive(const TraceEvent& event) {
  const std::string_view host = intern(event.host);
  Bytes frame;
  if (!event.frame.empty()) {
    frame = recall(event.frame);
    if (frame.empty()) {
      frame = Bytes{store(event.frame.data(), event.frame.size()), event.frame.size()};
      remember(frame);
    }
  }
  // Braces, not emplace_back's parentheses: clang before 16 cannot
  // initialise an aggregate from parentheses (P0960). The temporary is moved.
  RecordedEvent& recorded =
      events_.emplace_back(RecordedEvent{event.sequence, event.time, host, event.layer, event.payload, frame});
  // A call's result is formatted for the event alone ("-1, errno
  // ECONNREFUSED (111)"): keep a copy, like the frame's.
  if (auto* call = std::get_if<SocketCall>(&recorded.payload)) {
    call->result = keep(call->result);
    call->rule = keep(call->rule);
  }
}

std::string_view Recorder::keep(std::string_view text) {
  if (text.empty()) return {};
  return {reinterpret_cast<const char*>(store(reinterpret_cast<const std::byte*>(text.data()), text.size())),
          text.size()};
}

void Recorder::clear() {
  events_.clear();
  recent_.fill(Recent{});  // they point into the blocks
  block_ = 0;
  used_ = 0;
}

}  // namespace netstep
