#pragma once
// What both capture writers share: from the trace alone, which frames a
// capture holds, on which link, at what time, and what each comment says.
//
// - A frame is captured once, when a host sends it (FrameSent) on an
//   interface that is plugged into one of the links, at the scenario time of
//   that event. A frame a host receives is matched to the one sent (by its
//   bytes) and not captured again. A received frame that matches none and
//   is not one a host sent a moment ago (a frame already written, one sent
//   on an interface of no link, a corrupted copy) was made by the wire
//   itself (a reject rule's answer): it is captured when it is received, on
//   the receiver's link. Frames sent on interfaces of no link are left out.
// - Notes: each event the brief narrative tells (socket calls, TCP state
//   changes, neighbour states, drops, ICMP errors handed over, ping
//   results, wire impairments; not the frames themselves) is told once, on
//   one frame:
//     * at a host that received a frame at that same scenario instant, on
//       that frame (the latest such): "server on receipt: ..." (what it
//       caused, even after the host answered it: "FIN-WAIT-2 -> TIME-WAIT
//       (rcv FIN / snd ACK)", a blocking connect() that resumed). A socket
//       call names its cause event: of frames received at that instant,
//       the one it follows;
//     * otherwise on the next frame the host sends: "client: ..." (what
//       led to it);
//     * what the wire did to a frame (dropped, corrupted, duplicated,
//       reordered: Layer::Driver events, matched by the frame's bytes, with
//       the flipped bit put back for a corrupted copy) on that frame.
//     * notes a host still holds at flush() (it sent nothing after them: an
//       ARP entry that FAILED, a last close()) on the last frame it sent:
//       "client 1.000000 s later: ...", "server afterwards: ...".
//   Notes for a frame that is already written are not in the capture.
// - Frames are held back so their comments can grow; when `pending_frames`
//   are held, the oldest is written. Frames are written in the order they
//   were captured, which is time order. flush() writes the rest.
//
// No allocation per frame once the buffers have grown (frame bytes and
// comments reuse theirs); composing a note's text allocates (one per note).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/time.hpp"
#include "capture/capture_topology.hpp"
#include "capture/comment_builder.hpp"
#include "trace/trace_event.hpp"

namespace netstep::capture {

struct CaptureOptions {
  // Frames held back so their comments can grow: a receiver's notes come
  // after the frame was sent. When this many are held, the oldest is
  // written. 256 keeps the held frames in cache; lossy 4 MiB transfers on
  // the default topology give the same file with 128 as with 8192.
  std::size_t pending_frames = 256;
  // The most bytes of one comment, "..." included.
  std::size_t comment_limit = 1024;
  // Throws std::invalid_argument: no frame held, or a limit outside
  // 16..65535 (a pcapng option holds at most 65535 bytes).
  void validate() const;
};

// A frame ready to be written. Views valid for the write call only.
struct CapturedFrame {
  std::size_t link = 0;  // index into the links the capture was given
  Instant time;          // scenario clock
  Bytes bytes;           // from the Ethernet header, no FCS
  std::string_view comment;  // empty when there is nothing to tell
};

// False for the payloads the brief narrative never tells (narrate() gives
// "" for them at Brief): the annotator skips those without formatting
// anything. (A test holds it to narrate(): no payload it tells is skipped.)
[[nodiscard]] bool told_in_brief(const TracePayload& payload);

// Where finished frames go: the file format.
class FrameOutput {
 public:
  virtual ~FrameOutput() = default;
  virtual void write_frame(const CapturedFrame& frame) = 0;
};

class FrameAnnotator {
 public:
  enum class Comments : std::uint8_t { Off, On };

  // Keeps references to topology and output: both must outlive it.
  // Throws std::invalid_argument for invalid options.
  FrameAnnotator(const CaptureTopology& topology, FrameOutput& output, CaptureOptions options, Comments comments);
  FrameAnnotator(const FrameAnnotator&) = delete;
  FrameAnnotator& operator=(const FrameAnnotator&) = delete;
  ~FrameAnnotator();

  void receive(const TraceEvent& event);
  // Tells the notes hosts still hold, then writes every frame still held,
  // oldest first.
  void flush();

  [[nodiscard]] std::uint64_t frames_captured() const { return next_; }

 private:
  struct Pending {
    explicit Pending(std::size_t comment_limit) : comment{comment_limit} {}
    std::uint64_t number = 0;  // captured frames are numbered from 0
    Instant time;
    std::size_t link = 0;
    std::uint64_t fingerprint = 0;
    std::vector<std::byte> bytes;
    CommentBuilder comment;
  };
  struct HostState;
  struct CorruptedCopy {
    std::uint64_t hash = 0;
    std::uint64_t frame = 0;
  };

  void on_frame_sent(const TraceEvent& event, std::string_view interface);
  void on_frame_received(const TraceEvent& event, std::string_view interface);
  void on_wire_drop(const TraceEvent& event, const Dropped& dropped);
  void on_wire_impairment(const TraceEvent& event, const WireImpairment& impairment);
  void on_host_event(const TraceEvent& event);

  Pending& capture(std::size_t link, Instant time, Bytes bytes);
  void write_oldest();
  [[nodiscard]] bool is_pending(std::uint64_t number) const { return number >= oldest_ && number < next_; }
  Pending& slot(std::uint64_t number) { return slots_[number % options_.pending_frames]; }
  [[nodiscard]] const Pending& slot(std::uint64_t number) const { return slots_[number % options_.pending_frames]; }
  // The newest held frame with these bytes (or a corrupted copy of it).
  [[nodiscard]] std::optional<std::uint64_t> find(Bytes bytes) const;
  [[nodiscard]] bool holds(std::uint64_t number, std::uint64_t fingerprint, Bytes bytes) const;
  // Frames a host sent that are no longer held (written, or never held:
  // sent on an interface of no link) and corrupted copies: a receipt of one
  // of these that matches nothing held is not the wire's own frame.
  void remember_sent(std::uint64_t fingerprint);
  [[nodiscard]] bool sent_recently(Bytes bytes) const;
  HostState& host_state(std::string_view name);
  void add_wire_note(std::uint64_t frame);
  void tell_trailing_notes();

  const CaptureTopology& topology_;
  FrameOutput& output_;
  CaptureOptions options_;
  bool comments_;

  std::vector<Pending> slots_;  // ring of pending_frames, grown on first use
  std::uint64_t oldest_ = 0;    // the oldest frame not yet written
  std::uint64_t next_ = 0;      // the number the next captured frame gets
  std::vector<std::uint64_t> index_;  // fingerprint -> frame number + 1 (0: none), direct-mapped
  std::vector<std::uint64_t> sent_;  // remember_sent(): a ring of fingerprints
  std::uint64_t sent_count_ = 0;
  std::array<CorruptedCopy, 64> corrupted_{};  // a ring of the latest corrupted copies
  std::uint64_t corrupted_count_ = 0;
  std::vector<std::unique_ptr<HostState>> hosts_;
  std::vector<std::byte> scratch_;  // a corrupted copy with its bit put back
  std::string note_;                // a wire note being composed
  std::string label_;               // a group label being composed
};

}  // namespace netstep::capture
