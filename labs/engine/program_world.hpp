#pragma once
// One run of a student's program: a scenario's network, with the program
// playing one host through a SocketApi of its own (every call traced as a
// scenario's socket calls are), driven by a Task that takes the program's
// calls over the handoff (program_handoff.hpp) one at a time. As a debug
// world, the debugger steps through it; run_program_here() plays it to the
// end for a check.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "debug/debug_world.hpp"
#include "program_library.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_runner.hpp"
#include "socket/errc.hpp"
#include "socket/socket_api.hpp"

namespace netstep::lab {

// One call the program made, as it went.
struct ProgramStep {
  std::uint64_t event = 0;  // the trace event of its return, as `netstep debug` numbers it
  std::string call;         // "connect", "poll", "report", "lab_main"
  std::string text;         // "connect(3, \"10.0.0.2:80\")"
  std::string result;       // "-1, errno EINPROGRESS (115)"
  std::optional<socket::Errc> error;
  std::int64_t at_us = 0;   // virtual time of the return
  [[nodiscard]] std::string line() const;  // "#27 connect(3, \"10.0.0.2:80\") -> -1, errno EINPROGRESS (115)"
  // The same call with the same result (event numbers and times aside).
  [[nodiscard]] bool same_as(const ProgramStep& other) const { return text == other.text && result == other.result; }
};

struct ProgramOutcome {
  bool returned = false;      // lab_main returned
  int value = 0;              // what it returned
  std::int64_t returned_at_us = 0;
  std::string stopped;        // why it did not return ("killed by SIGSEGV", "busy loop: ...")
  std::optional<std::string> state;  // TCP state of the socket the program last connected
  std::vector<std::pair<std::string, std::string>> reports;  // ns_report, in order
  std::vector<ProgramStep> steps;
};

struct ProgramRunSetup {
  std::shared_ptr<const scenario::Scenario> scenario;
  std::string host;
  std::string argument;
  socket::PersonalityId personality = socket::PersonalityId::Linux;
  std::shared_ptr<ProgramLibrary> library;
  std::chrono::milliseconds wall_limit{10000};
  std::uint64_t busy_limit = 10000;  // calls at one instant before the program is stopped
  // Each step as it is made (a forked run sends them out at once, so a
  // crash still leaves the steps before it).
  std::function<void(const ProgramStep&)> on_step;
};

class ProgramWorld final : public debug::DebugWorld {
 public:
  ProgramWorld(const ProgramRunSetup& setup, EventLoop& loop, TraceBus& bus);
  ~ProgramWorld() override;
  ProgramWorld(const ProgramWorld&) = delete;
  ProgramWorld& operator=(const ProgramWorld&) = delete;

  [[nodiscard]] std::vector<std::string> hosts() const override;
  [[nodiscard]] bool may_run(std::optional<Instant> next_at) const override;
  // lab_main returned, or the program was stopped.
  [[nodiscard]] bool program_done() const { return done_; }
  [[nodiscard]] const ProgramOutcome& outcome() const { return outcome_; }
  // The run ended with the program still in a call: say so in the outcome.
  void note_still_waiting();

 private:
  struct Watcher;
  Task drive();
  void record(std::string call, int fd, std::string text, const socket::CallResult& r, std::uint64_t before,
              const std::string& more = {});
  void add_step(ProgramStep step);
  ProgramReply reply_of(const socket::CallResult& r) const;
  void emit_app(std::string_view call, int fd, const std::string& result);
  void emit_call(std::string_view call, int fd, const std::string& result);
  void stop_program(std::string why);

  ProgramRunSetup setup_;
  EventLoop& loop_;
  TraceBus& bus_;
  std::unique_ptr<Watcher> watcher_;  // before the play: sees every event from the first
  mutable scenario::ScenarioPlay play_;
  std::unique_ptr<socket::SocketApi> own_api_;  // the program's host has no steps, so no API of its own
  socket::SocketApi* api_ = nullptr;
  std::unique_ptr<ProgramHandoff> handoff_;
  ProgramOutcome outcome_;
  bool done_ = false;
  std::string waiting_in;  // the call the program is in, while the simulation runs
  int last_connected_ = -1;
  std::chrono::steady_clock::time_point wall_deadline_{};
};

// Plays the run to its end in this process (the program on a thread) and
// gives the outcome to `deliver` before the world is taken down (a forked
// checker writes it out and leaves without taking anything down).
void run_program_here(const ProgramRunSetup& setup, const std::function<void(const ProgramOutcome&)>& deliver);

}  // namespace netstep::lab
