#pragma once
// A debugger's hold on a run: wraps the event loop of a world built by a
// factory and moves through it one loop event, or one trace event, at a
// time, forwards or back. Every front end (Qt, ImGui, the CLI) drives this
// one API; none of them holds protocol logic.
//
// Going back re-executes: the session builds the world again on a fresh
// loop and bus and runs it to the earlier position. The run is
// deterministic, and the session checks it: a re-run that emits a
// different number of trace events at some loop event throws
// std::logic_error.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "debug/breakpoint.hpp"
#include "debug/debug_world.hpp"
#include "debug/position.hpp"
#include "sinks/recorder.hpp"

namespace netstep::debug {

// The event a recorder kept, as the trace event it was (for view models
// and breakpoints, which read TraceEvent).
[[nodiscard]] TraceEvent as_trace_event(const RecordedEvent& event);

// Sees every trace event the session reveals, in order. After rewound(),
// the events come again from the first: whatever was built from them must
// start over.
class RevealListener {
 public:
  virtual ~RevealListener() = default;
  virtual void rewound() = 0;
  virtual void revealed(const TraceEvent& event) = 0;
};

// Why the session stopped where it did.
struct Stop {
  enum class Kind { Stepped, Breakpoint, End, Position };
  Kind kind = Kind::Stepped;
  int breakpoint = 0;                    // the breakpoint's id, for Kind::Breakpoint
  std::string why;                       // "breakpoint 1 (state SYN-SENT) at event #12"
  std::optional<std::uint64_t> event;    // the trace sequence of the event it stopped at
  std::span<const RecordedEvent> revealed;  // what this operation revealed (valid until the next one)
};

class DebugSession {
 public:
  // Builds the world (nothing runs): position 0.0, with whatever the
  // building traced already revealed.
  explicit DebugSession(WorldFactory factory);
  ~DebugSession();
  DebugSession(const DebugSession&) = delete;
  DebugSession& operator=(const DebugSession&) = delete;

  // --- moving ---------------------------------------------------------
  // The rest of the current loop event's trace events; if none is left,
  // runs exactly one loop event and reveals all it emitted (possibly none).
  Stop step();
  // The next trace event, layer by layer; runs loop events (skipping
  // silent ones) when the current one has nothing left to show.
  Stop step_into();
  // Back to the end of the previous loop event.
  Stop step_back();
  // Back by one trace event.
  Stop step_back_into();
  // Runs until a breakpoint matches an event not yet revealed, or the end.
  Stop continue_();
  // Forward or back to `target` (revealed clamped to what the loop event emitted).
  Stop run_to(Position target);
  // Back to the start: the world built afresh, nothing run.
  Stop restart();

  // --- breakpoints ----------------------------------------------------
  int add_breakpoint(std::unique_ptr<Breakpoint> breakpoint);  // returns its id (1, 2, ...)
  bool remove_breakpoint(int id);
  struct Listed {
    int id;
    std::string description;
  };
  [[nodiscard]] std::vector<Listed> breakpoints() const;

  // --- where we are ---------------------------------------------------
  [[nodiscard]] Position position() const;
  [[nodiscard]] Instant now() const;
  [[nodiscard]] bool at_end() const;  // nothing left to reveal, and no loop event may run
  // Every trace event revealed so far, from the first.
  [[nodiscard]] std::span<const RecordedEvent> history() const;
  // The trace events of the current loop event revealed so far.
  [[nodiscard]] std::span<const RecordedEvent> current() const;
  // How many trace events the current loop event emitted in all.
  [[nodiscard]] std::size_t current_size() const;
  // The layer of the last trace event revealed in the current loop event:
  // where a layer strip puts its marker.
  [[nodiscard]] std::optional<Layer> current_layer() const;
  [[nodiscard]] const std::vector<std::string>& hosts() const { return hosts_; }

  void add_listener(RevealListener& listener);
  void remove_listener(RevealListener& listener);

  // How many times the world was built (1 + the re-executions): for tests
  // and for measuring what going back costs.
  [[nodiscard]] std::uint64_t builds() const { return builds_; }

 private:
  void build();
  bool run_one();                 // one loop event, its trace events captured but not revealed
  [[nodiscard]] std::size_t emitted() const { return recorder_.events().size(); }
  [[nodiscard]] std::size_t loop_events() const { return boundaries_.size() - 1; }
  void reveal_one();
  [[nodiscard]] std::optional<int> hit(const RecordedEvent& event) const;
  [[nodiscard]] Stop stopped(Stop::Kind kind, std::size_t first, std::string why) const;
  void replay_to_listeners();

  WorldFactory factory_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<TraceBus> bus_;
  Recorder recorder_;
  std::unique_ptr<DebugWorld> world_;
  std::vector<std::string> hosts_;

  // boundaries_[i]: trace events emitted once i loop events had run
  // (boundaries_[0]: while building). The longest history ever seen is
  // kept in known_ to check that a re-execution emits the same.
  std::vector<std::size_t> boundaries_;
  std::vector<std::size_t> known_;
  std::size_t revealed_ = 0;  // trace events revealed, from the first
  std::uint64_t builds_ = 0;

  struct Entry {
    int id;
    std::unique_ptr<Breakpoint> breakpoint;
  };
  std::vector<Entry> breakpoints_;
  int next_id_ = 1;
  std::vector<RevealListener*> listeners_;
};

}  // namespace netstep::debug
