#pragma once
// Keeps every event in memory, with a copy of its frame: what tests, the
// checkers and (later) the GUI's view models read.
//
// The recorder owns its copies: each frame's bytes and each host name live
// in its own storage (large blocks, filled one after another, so recording
// an event allocates nothing once the blocks exist). Events carrying the
// same bytes (a frame sent by one host and received by the other) share
// one copy. A RecordedEvent's
// `frame` and `host` are views into that storage: valid while the recorder
// lives and until clear(), as is the text of a socket call's result and
// rule (formatted for the event alone). The other text inside payloads
// (reasons, state names, interface names) is static or owned by the hosts
// and links of the run; a recording is valid while they exist. To keep a run beyond that, write it
// as JSON Lines.
#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace_bus.hpp"

namespace netstep {

struct RecordedEvent {
  std::uint64_t sequence = 0;
  Instant time;
  std::string_view host;  // the recorder's copy
  Layer layer = Layer::Loop;
  TracePayload payload;
  Bytes frame;  // the recorder's copy; empty when the event carried none

  template <class Payload>
  [[nodiscard]] const Payload* as() const {
    return std::get_if<Payload>(&payload);
  }
};

class Recorder final : public TraceSink {
 public:
  Recorder() = default;
  // Events point into the recorder's own storage, so a copy would point into
  // the original's: not copyable. Moving keeps every view valid (the storage
  // itself does not move).
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  Recorder(Recorder&&) = default;
  Recorder& operator=(Recorder&&) = default;

  void receive(const TraceEvent& event) override;

  [[nodiscard]] const std::vector<RecordedEvent>& events() const { return events_; }
  // Forgets every event. The storage is kept for the events to come (so a
  // recorder cleared between runs stops allocating once warm).
  void clear();

  // Every payload of one type, in order (e.g. all<PingReply>()).
  template <class Payload>
  [[nodiscard]] std::vector<const RecordedEvent*> all() const {
    std::vector<const RecordedEvent*> found;
    for (const auto& e : events_) {
      if (e.as<Payload>() != nullptr) found.push_back(&e);
    }
    return found;
  }

 private:
  // Copies bytes into the current block (a new one when they do not fit)
  // and returns where they now are.
  std::byte* store(const std::byte* data, std::size_t size);
  std::string_view intern(std::string_view host);
  std::string_view keep(std::string_view text);  // a copy in the blocks

  // A frame's copy that a later event carrying the same bytes may share: a
  // frame is traced when one host sends it and again when the other
  // receives it, and storing it once halves what recording frames costs.
  // Direct-mapped by a fingerprint of a few header bytes; a hit is
  // confirmed byte for byte.
  Bytes recall(Bytes frame) const;
  void remember(Bytes stored);
  struct Recent {
    std::uint64_t fingerprint = 0;
    Bytes stored;
  };
  static constexpr std::size_t recent_slots = 256;
  static std::uint64_t fingerprint(Bytes frame);

  struct Block {
    std::unique_ptr<std::byte[]> bytes;
    std::size_t size = 0;
  };
  std::vector<RecordedEvent> events_;
  std::vector<Block> blocks_;  // filled in order; clear() starts again at the first
  std::size_t block_ = 0;      // the block being filled
  std::size_t used_ = 0;       // bytes used in it
  std::array<Recent, recent_slots> recent_{};  // emptied by clear()
  std::deque<std::string> names_;        // every host name seen (a deque never moves its elements)
  std::vector<std::string_view> hosts_;  // views of names_
  struct Seen {
    const char* from = nullptr;  // where the emitter's name was
    std::string_view name;       // our copy of it
  };
  std::array<Seen, 8> seen_{};  // by the address of the emitter's name
};

}  // namespace netstep
