#pragma once
// Where one CLI run's trace goes: the narrative on standard output (unless
// quiet) and, if asked, every event as JSON Lines in a file that appears
// whole or not at all. Shared by every verb that runs a scenario.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "atomic_file.hpp"
#include "sinks/jsonl_sink.hpp"
#include "sinks/narrative_sink.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::cli {

struct RunSinkOptions {
  std::string trace_path;  // JSON Lines; empty: none
  bool full = false;       // narrate every event, not just the story
  bool quiet = false;      // no narrative
};

class RunSinks {
 public:
  // Attaches the sinks to `bus`. Throws std::runtime_error (with the path
  // and the reason) if the trace file cannot be created.
  RunSinks(TraceBus& bus, std::ostream& out, const RunSinkOptions& options);
  ~RunSinks();
  RunSinks(const RunSinks&) = delete;
  RunSinks& operator=(const RunSinks&) = delete;

  // The story is over: what the verb prints next is its summary.
  void end_narrative();
  // Detaches the trace file and puts it in place (no file asked: nothing).
  // Throws std::runtime_error on failure. Without commit(), no file appears.
  void commit();

  // Emplaces the sinks into `sinks`; if the trace file cannot be made, says
  // why on `err` as "netstep VERB: reason" and returns false (exit 2).
  static bool open(std::optional<RunSinks>& sinks, TraceBus& bus, std::ostream& out, std::ostream& err,
                   std::string_view verb, const RunSinkOptions& options);

 private:
  TraceBus& bus_;
  NarrativeSink narrative_;
  bool narrating_ = false;
  std::optional<AtomicFile> trace_file_;
  std::optional<JsonlSink> jsonl_;
};

}  // namespace netstep::cli
