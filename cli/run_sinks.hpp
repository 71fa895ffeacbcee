#pragma once
// Where one CLI run's trace goes: the story on standard output (a line
// narrative or a sequence diagram, unless quiet) and, if asked, every event
// as JSON Lines and every frame in a capture file for Wireshark. Files
// appear whole or not at all. Shared by every verb that runs a network.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atomic_file.hpp"
#include "capture/capture_topology.hpp"
#include "capture/pcapng_writer.hpp"
#include "sinks/jsonl_sink.hpp"
#include "sinks/narrative_sink.hpp"
#include "sinks/sequence_diagram.hpp"
#include "trace/trace_bus.hpp"

#ifdef NETSTEP_CAPTURE_HAS_PCAP
#include "capture/pcap_writer.hpp"
#endif

namespace netstep::cli {

struct RunSinkOptions {
  std::string trace_path;    // JSON Lines; empty: none
  std::string capture_path;  // pcapng, or classic pcap when it ends in .pcap; empty: none
  bool full = false;         // narrate every event, not just the story
  bool quiet = false;        // no story at all
  bool diagram = false;      // the story as a sequence diagram instead of lines
  bool absolute = false;     // the diagram's seq/ack numbers with their absolute values too
  // The peer is a real machine, not one of our hosts (--via): its frames
  // appear only as received, so the story shows frames received too.
  bool peer_outside = false;
};

class RunSinks {
 public:
  // Opens the files (nothing appears under their names before commit())
  // and attaches the JSON Lines sink and the line narrative. Throws
  // std::runtime_error (with the path and the reason) if a file cannot be
  // created or a classic pcap is asked for without libpcap.
  RunSinks(TraceBus& bus, std::ostream& out, const RunSinkOptions& options);
  ~RunSinks();
  RunSinks(const RunSinks&) = delete;
  RunSinks& operator=(const RunSinks&) = delete;

  // The network exists and nothing has run: the diagram gets its lifelines
  // (`hosts`, left to right) and the capture its cables. Call it once,
  // before the first event; without it there is no diagram and no capture.
  void network_built(std::vector<std::string> hosts, std::vector<capture::CaptureLink> links);

  // The story is over: what the verb prints next is its summary.
  void end_narrative();
  // Detaches the file sinks and puts their files in place (none asked:
  // nothing). Throws std::runtime_error on failure. Without commit(), no
  // file appears.
  void commit();

  // Emplaces the sinks into `sinks`; if a file cannot be made, says why on
  // `err` as "netstep VERB: reason" and returns false (exit 2).
  static bool open(std::optional<RunSinks>& sinks, TraceBus& bus, std::ostream& out, std::ostream& err,
                   std::string_view verb, const RunSinkOptions& options);

 private:
  [[nodiscard]] bool classic_pcap() const;

  TraceBus& bus_;
  std::ostream& out_;
  RunSinkOptions options_;
  NarrativeSink narrative_;
  bool narrating_ = false;
  std::optional<SequenceDiagramSink> diagram_;
  std::optional<AtomicFile> trace_file_;
  std::optional<JsonlSink> jsonl_;
  std::optional<AtomicFile> capture_file_;
  std::optional<capture::PcapngWriter> pcapng_;
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  std::optional<capture::PcapWriter> pcap_;
#endif
};

}  // namespace netstep::cli
