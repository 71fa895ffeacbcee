#include "run_sinks.hpp"

#include <exception>
#include <ostream>
#include <stdexcept>

#include "terminal.hpp"

namespace netstep::cli {

namespace {

NarrativeOptions narrative_options(const RunSinkOptions& options) {
  const Terminal terminal = detect_terminal();
  using Detail = NarrativeOptions::Detail;
  const Detail detail = options.full ? Detail::Full : options.peer_outside ? Detail::BriefAndReceived : Detail::Brief;
  return NarrativeOptions{detail, terminal.colour, terminal.width};
}

// As wide as the terminal; 100 columns into a file or a pipe.
SequenceDiagramOptions diagram_options(bool full, bool absolute) {
  const Terminal terminal = detect_terminal();
  SequenceDiagramOptions o;
  if (terminal.width > 0) o.width = terminal.width;
  o.colour = terminal.colour;
  o.detail = full ? SequenceDiagramOptions::Detail::Full : SequenceDiagramOptions::Detail::Brief;
  o.absolute_numbers = absolute;
  return o;
}

}  // namespace

RunSinks::RunSinks(TraceBus& bus, std::ostream& out, const RunSinkOptions& options)
    : bus_{bus}, out_{out}, options_{options}, narrative_{out, narrative_options(options)} {
  // Every file is opened before anything is attached, so a failure leaves
  // the bus as it was.
  if (!options_.capture_path.empty()) {
#ifndef NETSTEP_CAPTURE_HAS_PCAP
    if (classic_pcap()) {
      throw std::runtime_error("cannot write " + options_.capture_path +
                               ": this netstep was built without libpcap (Debian: libpcap-dev); "
                               "write a .pcapng instead");
    }
#endif
    capture_file_.emplace(options_.capture_path,
                          classic_pcap() ? AtomicFile::Access::Path : AtomicFile::Access::Stream);
  }
  if (!options_.trace_path.empty()) {
    trace_file_.emplace(options_.trace_path);
    jsonl_.emplace(trace_file_->stream());
    bus_.attach(*jsonl_);
  }
  if (!options_.quiet && !options_.diagram) {
    bus_.attach(narrative_);
    narrating_ = true;
  }
}

RunSinks::~RunSinks() {
  end_narrative();
  if (jsonl_) bus_.detach(*jsonl_);
  if (pcapng_) bus_.detach(*pcapng_);
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  if (pcap_) bus_.detach(*pcap_);
#endif
}

bool RunSinks::classic_pcap() const { return options_.capture_path.ends_with(".pcap"); }

void RunSinks::network_built(std::vector<std::string> hosts, std::vector<capture::CaptureLink> links) {
  if (!options_.quiet && options_.diagram && !diagram_) {
    diagram_.emplace(out_, std::move(hosts), diagram_options(options_.full, options_.absolute));
    bus_.attach(*diagram_);
  }
  if (!capture_file_ || pcapng_) return;
#ifdef NETSTEP_CAPTURE_HAS_PCAP
  if (pcap_) return;
  if (classic_pcap()) {
    pcap_.emplace(capture_file_->temporary_path().string(), std::move(links));
    bus_.attach(*pcap_);
    return;
  }
#endif
  pcapng_.emplace(capture_file_->stream(), std::move(links));
  bus_.attach(*pcapng_);
}

void RunSinks::end_narrative() {
  if (narrating_) bus_.detach(narrative_);
  narrating_ = false;
  if (diagram_) {
    diagram_->finish();
    bus_.detach(*diagram_);
    diagram_.reset();
  }
}

void RunSinks::commit() {
  if (trace_file_) {
    bus_.detach(*jsonl_);
    jsonl_.reset();
    trace_file_->commit();
    trace_file_.reset();
  }
  if (capture_file_) {
    if (pcapng_) {
      pcapng_->finish();
      bus_.detach(*pcapng_);
      pcapng_.reset();
    }
#ifdef NETSTEP_CAPTURE_HAS_PCAP
    if (pcap_) {
      bus_.detach(*pcap_);
      pcap_->finish();  // throws "cannot write PATH: REASON"
      pcap_.reset();
    }
#endif
    capture_file_->commit();
    capture_file_.reset();
  }
}

bool RunSinks::open(std::optional<RunSinks>& sinks, TraceBus& bus, std::ostream& out, std::ostream& err,
                    std::string_view verb, const RunSinkOptions& options) {
  try {
    sinks.emplace(bus, out, options);
    return true;
  } catch (const std::exception& e) {
    err << "netstep " << verb << ": " << e.what() << '\n';
    return false;
  }
}

}  // namespace netstep::cli
