#include "capture/pcapng_writer.hpp"

#include <algorithm>

#include "capture/pcapng_blocks.hpp"

namespace netstep::capture {

PcapngWriter::PcapngWriter(std::ostream& out, std::vector<CaptureLink> links, CaptureOptions options)
    : out_{out},
      topology_{std::move(links)},
      annotator_{topology_, *this, options, FrameAnnotator::Comments::On} {
  pcapng::append_section_header(block_, "netstep " NETSTEP_VERSION);
  write_block();
  for (const CaptureLink& link : topology_.links()) {
    pcapng::append_interface_description(block_, link.name, describe(link));
    write_block();
  }
}

void PcapngWriter::receive(const TraceEvent& event) {
  if (!finished_) annotator_.receive(event);
}

void PcapngWriter::finish() {
  if (finished_) return;
  annotator_.flush();
  finished_ = true;
}

void PcapngWriter::write_frame(const CapturedFrame& frame) {
  // The scenario clock starts at 0 and never goes back.
  const pcapng::EnhancedPacket packet{static_cast<std::uint32_t>(frame.link),
                                      static_cast<std::uint64_t>(std::max<std::int64_t>(0, to_ns(frame.time))),
                                      frame.bytes, frame.comment};
  // The frame goes from the annotator's buffer straight to the stream.
  pcapng::append_enhanced_packet_header(block_, packet);
  write_block();
  write_bytes(frame.bytes.first(std::min<std::size_t>(frame.bytes.size(), pcapng::snap_length)));
  pcapng::append_enhanced_packet_tail(block_, packet);
  write_block();
  ++frames_written_;
}

void PcapngWriter::write_block() {
  write_bytes(block_);
  block_.clear();
}

// Straight to the stream's buffer (ostream::write builds a sentry per call,
// three calls per frame); a short write marks the stream bad, as write would.
void PcapngWriter::write_bytes(Bytes bytes) {
  if (!out_.good()) return;
  const auto size = static_cast<std::streamsize>(bytes.size());
  std::streambuf* buffer = out_.rdbuf();
  if (buffer == nullptr || buffer->sputn(reinterpret_cast<const char*>(bytes.data()), size) != size) {
    out_.setstate(std::ios::badbit);
  }
}

}  // namespace netstep::capture
