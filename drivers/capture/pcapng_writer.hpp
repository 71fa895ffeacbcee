#pragma once
// PcapngWriter: the trace as a pcapng file for Wireshark. One interface per
// link (named after it), every frame once with the scenario clock as its
// timestamp (nanoseconds), and a comment on each frame that narrates what
// the stack did: what led to it on its sender, what it caused at its
// receivers, and what the wire did to it. Which frames and which notes:
// frame_annotator.hpp; the format: pcapng_blocks.hpp.
//
//   std::ofstream out{path, std::ios::binary};
//   capture::PcapngWriter pcapng{out, links};
//   bus.attach(pcapng);
//   ... run ...
//   pcapng.finish();
//
// The section and interface blocks are written at construction, frames
// as their comments are complete (a bounded number are held), the rest at
// finish(). Nothing depends on the machine: the same run gives the same
// bytes. Like the other sinks it never throws on an event and neither
// flushes nor closes the stream; write errors show in the stream's state.
#include <cstdint>
#include <ostream>
#include <vector>

#include "capture/capture_topology.hpp"
#include "capture/frame_annotator.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::capture {

class PcapngWriter final : public TraceSink, private FrameOutput {
 public:
  // Throws std::invalid_argument for an invalid topology or options.
  PcapngWriter(std::ostream& out, std::vector<CaptureLink> links, CaptureOptions options = {});
  PcapngWriter(const PcapngWriter&) = delete;
  PcapngWriter& operator=(const PcapngWriter&) = delete;

  void receive(const TraceEvent& event) override;
  // Writes the frames still held. Events received afterwards are ignored.
  void finish();

  [[nodiscard]] std::uint64_t frames_written() const { return frames_written_; }

 private:
  void write_frame(const CapturedFrame& frame) override;
  void write_block();
  void write_bytes(Bytes bytes);

  std::ostream& out_;
  CaptureTopology topology_;
  FrameAnnotator annotator_;
  std::vector<std::byte> block_;  // reused for every block
  std::uint64_t frames_written_ = 0;
  bool finished_ = false;
};

}  // namespace netstep::capture
