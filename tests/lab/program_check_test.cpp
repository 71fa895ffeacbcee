// Lab programs: lab 6's solution and starter under every personality, and
// the programs that go wrong in every way a student's can (crash, endless
// loop, busy loop, no compile), checked through check_program() and the
// debugger's world.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>

#include "debug/debug_session.hpp"
#include "program_check.hpp"
#include "program_library.hpp"
#include "program_spec.hpp"
#include "program_run.hpp"
#include "program_world.hpp"
#include "scenario/scenario_loader.hpp"

namespace fs = std::filesystem;
using netstep::lab::CheckResult;

namespace {

const fs::path source_dir{NETSTEP_SOURCE_DIR};
const fs::path lab6 = source_dir / "labs" / "06-nonblocking-connect";
const fs::path data = source_dir / "tests" / "lab" / "data";

void print(const std::vector<CheckResult>& results) {
  for (const CheckResult& r : results) {
    std::cout << (r.passed ? "PASS " : "FAIL ") << r.id << "\n  expected: " << r.expected << "\n  seen: " << r.seen
              << "\n";
    if (!r.passed) {
      for (const auto& s : r.steps) std::cout << "    " << s.text << "\n";
      std::cout << "  hint: " << r.hint << "\n  debug: " << r.debug_command << "\n";
    }
  }
}

[[maybe_unused]] const CheckResult* find(const std::vector<CheckResult>& results, const std::string& id) {
  for (const CheckResult& r : results) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool verbose() { return std::getenv("NETSTEP_LAB_VERBOSE") != nullptr; }

}  // namespace

TEST_CASE("lab 6 solution passes every run under all five personalities") {
  const auto results = netstep::lab::check_program(lab6, lab6 / "solution" / "connect_loop.c");
  if (verbose()) print(results);
  REQUIRE(results.size() == 4 * 5);
  // poll() wakes exactly when the socket becomes ready, in virtual time:
  // when the SYN-ACK arrives (400 us: ARP both ways, SYN, SYN-ACK), and when
  // FreeBSD's fifth ICMP ends the attempt at 15.6 s, not at some later tick.
  const CheckResult* listening = find(results, "program/listening/linux");
  REQUIRE(listening != nullptr);
  CHECK(listening->seen.find("after 400 us") != std::string::npos);
  const CheckResult* unreachable = find(results, "program/unreachable/freebsd");
  REQUIRE(unreachable != nullptr);
  CHECK(unreachable->seen.find("after 15.6001 s") != std::string::npos);
  for (const CheckResult& r : results) {
    INFO(r.id << ": " << r.seen << " / expected " << r.expected << " / " << r.hint);
    CHECK(r.passed);
    CHECK(r.points == r.max_points);
    CHECK_FALSE(r.steps.empty());
  }
}

TEST_CASE("lab 6 starter fails under winsock and freertos with a hint naming the step and the personality") {
  const auto results = netstep::lab::check_program(lab6, lab6 / "starter" / "connect_loop.c");
  if (verbose()) print(results);
  REQUIRE(results.size() == 4 * 5);
  for (const char* personality : {"linux", "freebsd"}) {
    const CheckResult* r = find(results, std::string{"program/refused/"} + personality);
    REQUIRE(r != nullptr);
    CHECK(r->passed);
  }
  for (const char* personality : {"winsock", "freertos"}) {
    for (const char* run : {"listening", "refused"}) {
      const CheckResult* r = find(results, std::string{"program/"} + run + "/" + personality);
      REQUIRE(r != nullptr);
      INFO(r->id << ": " << r->seen << " / " << r->hint);
      CHECK_FALSE(r->passed);
      CHECK(r->points == 0);
      CHECK(r->hint.find(std::string{"Under "} + personality) == 0);
      CHECK(r->hint.find("connect(3, \"10.0.0.2:80\")") != std::string::npos);
      CHECK(r->hint.find("EWOULDBLOCK") != std::string::npos);
      REQUIRE(r->event.has_value());
      CHECK(r->hint.find("step #" + std::to_string(*r->event)) != std::string::npos);
      CHECK(r->debug_command == "netstep lab open 6 --run " + std::string{run} + " --program " +
                                    (lab6 / "starter" / "connect_loop.c").string() + " -p " + personality + " --at " +
                                    std::to_string(*r->event));
      CHECK_FALSE(r->steps.empty());
      CHECK(std::any_of(r->steps.begin(), r->steps.end(), [&](const auto& s) { return s.event == *r->event; }));
    }
  }
  const CheckResult* winsock = find(results, "program/refused/winsock");
  REQUIRE(winsock != nullptr);
  // The first divergence: after the connect that said WSAEWOULDBLOCK, the
  // solution waited in poll; the starter gave up.
  CHECK(winsock->seen.find("the solution called poll(") != std::string::npos);
  CHECK(winsock->seen.find("your program returned 10035 from lab_main") != std::string::npos);
}

namespace {
const fs::path one_run_lab = data / "one-run-lab";
CheckResult only_check(const fs::path& program, std::chrono::milliseconds wall_limit = std::chrono::milliseconds{10000}) {
  netstep::lab::ProgramCheckOptions options;
  options.wall_limit = wall_limit;
  const auto results = netstep::lab::check_program(one_run_lab, program, options);
  REQUIRE(results.size() == 1);
  if (verbose()) print(results);
  return results.front();
}
}  // namespace

TEST_CASE("a program that crashes fails its check with the signal that killed it") {
  const CheckResult r = only_check(data / "crash.c");
  CHECK_FALSE(r.passed);
  CHECK(r.seen.find("killed by SIGSEGV") == 0);
  // The steps made before the crash survive it (they are streamed out of the child).
  REQUIRE_FALSE(r.steps.empty());
  CHECK(r.steps.front().text.find("socket(SOCK_STREAM) -> 3") != std::string::npos);
}

TEST_CASE("a program that never returns fails its check after the wall limit") {
  const CheckResult r = only_check(data / "endless.c", std::chrono::milliseconds{1000});
  CHECK_FALSE(r.passed);
  CHECK(r.seen.find("did not return within 1 s of real time") == 0);
}

TEST_CASE("a program that calls again and again without time passing is stopped as a busy loop") {
  const CheckResult r = only_check(data / "busy.c");
  CHECK_FALSE(r.passed);
  CHECK(r.seen.find("busy loop: 10001 calls without time passing; wait with ns_poll") == 0);
  REQUIRE_FALSE(r.steps.empty());
}

TEST_CASE("a program that does not compile fails its check with the compiler's first lines") {
  const CheckResult r = only_check(data / "broken.c");
  CHECK_FALSE(r.passed);
  CHECK(r.seen == "does not compile");
  CHECK(r.hint.find("broken.c") != std::string::npos);
  CHECK(r.hint.find("error") != std::string::npos);
}

TEST_CASE("a missing program or a broken program.yaml is bad input") {
  CHECK_THROWS_AS(netstep::lab::check_program(one_run_lab, data / "no-such-program.c"), netstep::lab::LabInputError);
  CHECK_THROWS_WITH(netstep::lab::check_program(data, lab6 / "solution" / "connect_loop.c"),
                    Catch::Contains("program.yaml: no such file"));
}

TEST_CASE("program runs are deterministic: the same steps and event numbers twice") {
  const auto spec = netstep::lab::load_program_spec(lab6);
  const auto* run = spec.find_run("unreachable");
  REQUIRE(run != nullptr);
  netstep::lab::ProgramRunSetup setup;
  setup.scenario = std::make_shared<netstep::scenario::Scenario>(netstep::scenario::load_scenario_file(run->scenario.string()));
  setup.host = run->host;
  setup.argument = run->argument;
  setup.personality = netstep::socket::PersonalityId::FreeBsd;
  const fs::path build_dir = fs::temp_directory_path() / "netstep-lab-determinism";
  const auto built = netstep::lab::build_program(spec.solution, build_dir);
  REQUIRE(built.ok);
  const auto first = netstep::lab::run_program_forked(setup, built.shared_object);
  const auto second = netstep::lab::run_program_forked(setup, built.shared_object);
  fs::remove_all(build_dir);
  REQUIRE(first.returned);
  REQUIRE(first.steps.size() == second.steps.size());
  for (std::size_t i = 0; i < first.steps.size(); ++i) {
    CHECK(first.steps[i].line() == second.steps[i].line());
    CHECK(first.steps[i].at_us == second.steps[i].at_us);
  }
  CHECK(first.value == second.value);
}

TEST_CASE("the debugger steps through a program: its calls are the trace's socket calls, and going back re-runs it") {
  const fs::path program = lab6 / "solution" / "connect_loop.c";
  const auto results = [&] {
    netstep::lab::ProgramCheckOptions options;
    return netstep::lab::check_program(one_run_lab, program, options);
  }();
  REQUIRE(results.size() == 1);
  REQUIRE(results.front().passed);
  netstep::debug::DebugSession session{
      netstep::lab::program_world_factory(one_run_lab, "refused", program, netstep::socket::PersonalityId::Linux)};
  (void)session.continue_();
  REQUIRE(session.at_end());
  // Every step of the check names the socket call event the debugger shows.
  const auto history = session.history();
  for (const auto& step : results.front().steps) {
    REQUIRE(step.event < history.size());
    const auto* call = history[step.event].as<netstep::SocketCall>();
    INFO(step.text);
    REQUIRE(call != nullptr);
  }
  // lab_main's return and the program's report are app-layer events.
  CHECK(std::any_of(history.begin(), history.end(), [](const netstep::RecordedEvent& e) {
    const auto* call = e.as<netstep::SocketCall>();
    return e.layer == netstep::Layer::App && call != nullptr && call->call == "report" &&
           call->result == "outcome=refused";
  }));
  const std::size_t events = history.size();
  // Going back rebuilds the world while the program waits in a call: the
  // program is unwound and started again.
  (void)session.restart();
  for (int i = 0; i < 6; ++i) (void)session.step();
  (void)session.step_back();
  (void)session.restart();
  (void)session.continue_();
  CHECK(session.history().size() == events);
  CHECK(session.builds() >= 2);
}

TEST_CASE("a loop that calls connect again after FreeRTOS's except set fails the refused run with the poll hint") {
  const auto results = netstep::lab::check_program(lab6, data / "freertos_retry.c");
  if (verbose()) print(results);
  for (const CheckResult& r : results) {
    INFO(r.id << ": " << r.seen << " / " << r.hint);
    if (r.id == "program/refused/freertos" || r.id == "program/unreachable/freertos") {
      CHECK_FALSE(r.passed);
      CHECK(r.hint.find("Under freertos, step #") == 0);
      CHECK(r.hint.find("poll(") != std::string::npos);
      CHECK(r.hint.find("POLLERR") != std::string::npos);
    } else {
      CHECK(r.passed);
    }
  }
}

TEST_CASE("a mistake in program.yaml is reported with its file, line and column") {
  CHECK_THROWS_WITH(netstep::lab::load_program_spec(data / "bad-program-yaml"),
                    Catch::Contains("program.yaml:8:16: 'ECONNREFUSD': expected a number, an error name"));
  const auto spec = netstep::lab::load_program_spec(lab6);
  CHECK(spec.runs.size() == 4);
  CHECK(netstep::lab::program_file_name(lab6) == "connect_loop.c");
  CHECK(netstep::lab::has_program_task(lab6));
  CHECK_FALSE(netstep::lab::has_program_task(data));
}
