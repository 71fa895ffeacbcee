#include "run_sinks.hpp"

#include <exception>
#include <ostream>

#include "terminal.hpp"

namespace netstep::cli {

namespace {
NarrativeOptions narrative_options(bool full) {
  const Terminal terminal = detect_terminal();
  return NarrativeOptions{full ? NarrativeOptions::Detail::Full : NarrativeOptions::Detail::Brief, terminal.colour,
                          terminal.width};
}
}  // namespace

RunSinks::RunSinks(TraceBus& bus, std::ostream& out, const RunSinkOptions& options)
    : bus_{bus}, narrative_{out, narrative_options(options.full)} {
  if (!options.trace_path.empty()) {
    trace_file_.emplace(options.trace_path);  // throws before anything is attached
    jsonl_.emplace(trace_file_->stream());
    bus_.attach(*jsonl_);
  }
  if (!options.quiet) {
    bus_.attach(narrative_);
    narrating_ = true;
  }
}

RunSinks::~RunSinks() {
  end_narrative();
  if (jsonl_) bus_.detach(*jsonl_);
}

void RunSinks::end_narrative() {
  if (narrating_) bus_.detach(narrative_);
  narrating_ = false;
}

void RunSinks::commit() {
  if (!trace_file_) return;
  bus_.detach(*jsonl_);
  jsonl_.reset();
  trace_file_->commit();
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
