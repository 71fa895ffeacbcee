#pragma once
// PcapWriter: the same frames as PcapngWriter (same links, same moments),
// as a classic pcap file with nanosecond timestamps, written by libpcap
// (pcap_dump). Classic pcap has no comments and no interfaces: frames of
// every link go into the one stream, in time order.
//
//   capture::PcapWriter pcap{temporary_path, links};
//   bus.attach(pcap);
//   ... run ...
//   pcap.finish();                         // then rename to the final name
//
// It writes to the path it is given; making the file appear atomically
// (a temporary name, then rename) is the caller's job. Built only when
// libpcap is found (NETSTEP_CAPTURE_HAS_PCAP is then defined).
#include <cstdint>
#include <string>
#include <vector>

#include "capture/capture_topology.hpp"
#include "capture/frame_annotator.hpp"
#include "trace/trace_bus.hpp"

// libpcap's handle types, declared here so its header stays out of ours.
struct pcap;
struct pcap_dumper;

namespace netstep::capture {

class PcapWriter final : public TraceSink, private FrameOutput {
 public:
  // Creates (or empties) the file at `path` and writes the pcap header.
  // Throws std::runtime_error "cannot write PATH: REASON" if it cannot,
  // std::invalid_argument for an invalid topology or options.
  PcapWriter(std::string path, std::vector<CaptureLink> links, CaptureOptions options = {});
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;
  // Closes the file if finish() did not: frames still held are lost.
  ~PcapWriter() override;

  // Never throws; a write error is reported by finish().
  void receive(const TraceEvent& event) override;
  // Writes the frames still held, flushes and closes the file. Throws
  // std::runtime_error "cannot write PATH: REASON" if any write failed.
  // Events received afterwards are ignored.
  void finish();

  [[nodiscard]] std::uint64_t frames_written() const { return frames_written_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  void write_frame(const CapturedFrame& frame) override;
  void close();

  std::string path_;
  CaptureTopology topology_;
  FrameAnnotator annotator_;
  pcap* dead_ = nullptr;             // pcap_open_dead: a handle with no device
  pcap_dumper* dumper_ = nullptr;    // owns the FILE*
  std::uint64_t frames_written_ = 0;
};

}  // namespace netstep::capture
