// What going back costs in the debug session: step_back re-executes the run
// from the start to the previous loop event (building the world again,
// running every loop event before it, and replaying every trace event to
// the view models listening, as `netstep debug` has them). Measured at the
// end of each library scenario (labs/scenarios), the longest step back
// there is, and of a lossy bulk transfer (--transfer_kib, default 1024) as
// a scenario far bigger than any lab's.
//
//   debug/step_back/<lab>       one step back from the end of the run
//   debug/step_back/transfer    the same, on the transfer
//
// Counters: loop_events and trace_events re-executed per step back.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

#include "bench_support.hpp"
#include "debug/debug_session.hpp"
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "views/session_views.hpp"

namespace netstep::bench {
namespace {

std::uint64_t transfer_kib = 1024;


void step_back(benchmark::State& state, std::shared_ptr<const scenario::Scenario> s) {
  debug::DebugSession session{scenario::debug_world_factory(std::move(s), socket::PersonalityId::Linux)};
  views::SessionViews views;
  session.add_listener(views);
  (void)session.continue_();
  const debug::Position end = session.position();
  for (auto _ : state) {
    (void)session.step_back();
    state.PauseTiming();
    (void)session.run_to(end);
    state.ResumeTiming();
  }
  state.counters["loop_events"] = static_cast<double>(end.loop_events);
  state.counters["trace_events"] = static_cast<double>(session.history().size());
}

void register_all() {
  const std::filesystem::path labs = std::filesystem::path{NETSTEP_SOURCE_DIR} / "labs" / "scenarios";
  for (const auto& entry : std::filesystem::directory_iterator{labs}) {
    if (entry.path().extension() != ".yaml") continue;
    auto s = std::make_shared<const scenario::Scenario>(scenario::load_scenario_file(entry.path().string()));
    benchmark::RegisterBenchmark(("debug/step_back/" + entry.path().stem().string()).c_str(),
                                 [s](benchmark::State& state) { step_back(state, s); })
        ->Unit(benchmark::kMillisecond);
  }
  auto transfer = std::make_shared<const scenario::Scenario>(scenario::load_scenario_text(lossy_transfer_scenario(transfer_kib), "transfer.yaml"));
  benchmark::RegisterBenchmark("debug/step_back/transfer", [transfer](benchmark::State& state) { step_back(state, transfer); })
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  strip_flags(&argc, argv, [](std::string_view arg) {
    const auto kib = flag_number(arg, "--transfer_kib=");
    if (kib) transfer_kib = *kib;
    return kib.has_value();
  });
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
