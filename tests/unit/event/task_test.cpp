// Tasks: applications as coroutines on the event loop, woken by loop
// events only, in scenario time.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "event/task.hpp"

using namespace netstep;
using namespace std::chrono_literals;

namespace {

// What a blocking call does: park the task until someone opens the gate.
class Gate {
 public:
  [[nodiscard]] bool await_ready() const noexcept { return open_; }
  void await_suspend(Task::Handle task) noexcept { waiter_ = ThisTask{task.promise().runner, task.promise().id}; }
  void await_resume() const noexcept {}
  void open() {
    open_ = true;
    if (waiter_.runner != nullptr) waiter_.runner->wake(waiter_.id);
  }

 private:
  bool open_ = false;
  ThisTask waiter_;
};

Task sleeper(EventLoop& loop, std::vector<std::string>& log, std::string name, Duration step) {
  log.push_back(name + " start at " + std::to_string(loop.now().time_since_epoch().count()));
  co_await sleep_for(step);
  log.push_back(name + " woke at " + std::to_string(loop.now().time_since_epoch().count()));
  co_await sleep_for(step);
  log.push_back(name + " done at " + std::to_string(loop.now().time_since_epoch().count()));
}

Task waiter(EventLoop& loop, Gate& gate, std::vector<Instant>& resumed) {
  co_await gate;
  resumed.push_back(loop.now());
}

Task thrower() {
  co_await sleep_for(1ms);
  throw std::runtime_error("the application failed");
}

}  // namespace

TEST_CASE("tasks start in spawn order at the spawn instant and sleep in scenario time", "[event][task]") {
  EventLoop loop;
  TaskRunner runner{loop};
  std::vector<std::string> log;
  runner.spawn("a", sleeper(loop, log, "a", 3ms));
  runner.spawn("b", sleeper(loop, log, "b", 2ms));
  CHECK(log.empty());  // nothing runs inside spawn()
  CHECK(runner.running() == 2);
  loop.run_until_idle();
  CHECK(log == std::vector<std::string>{"a start at 0", "b start at 0", "b woke at 2000000", "a woke at 3000000",
                                        "b done at 4000000", "a done at 6000000"});
  CHECK(runner.running() == 0);
  CHECK(runner.failures().empty());
}

TEST_CASE("a parked task resumes from a loop event when woken, once however often it is woken", "[event][task]") {
  EventLoop loop;
  TaskRunner runner{loop};
  Gate gate;
  std::vector<Instant> resumed;
  const TaskId id = runner.spawn("waiter", waiter(loop, gate, resumed));
  loop.run_until(Instant{5ms});
  CHECK(resumed.empty());
  CHECK_FALSE(runner.finished(id));
  gate.open();
  runner.wake(id);  // a second wake-up before it runs
  CHECK(resumed.empty());  // not resumed inside open(): from the loop
  loop.run_until_idle();
  CHECK(resumed == std::vector<Instant>{Instant{5ms}});
  CHECK(runner.finished(id));
  runner.wake(id);  // an ended task: nothing happens
  loop.run_until_idle();
  CHECK(resumed.size() == 1);
}

TEST_CASE("what comes first wakes a task: a wake-up replaces a later timeout, a later one changes nothing",
          "[event][task]") {
  EventLoop loop;
  TaskRunner runner{loop};
  Gate gate;
  std::vector<Instant> resumed;
  const TaskId id = runner.spawn("waiter", waiter(loop, gate, resumed));
  loop.run_until_idle();
  runner.wake_at(id, Instant{10ms});  // a timeout
  runner.wake_at(id, Instant{20ms});  // later: ignored
  loop.run_until(Instant{2ms});
  gate.open();                         // comes first
  loop.run_until_idle();
  CHECK(resumed == std::vector<Instant>{Instant{2ms}});
  CHECK(loop.now() == Instant{2ms});  // the timeout's event is gone: the clock did not run on to 10 ms
}

TEST_CASE("a task that throws ends, and its failure is kept with its name", "[event][task]") {
  EventLoop loop;
  TaskRunner runner{loop};
  runner.spawn("broken app", thrower());
  loop.run_until_idle();
  CHECK(runner.running() == 0);
  REQUIRE(runner.failures().size() == 1);
  CHECK(runner.failures().front().task == "broken app");
  CHECK_THROWS_WITH(runner.rethrow_first_failure(), "the application failed");
}

TEST_CASE("a runner that goes while a task sleeps takes the task and its wake-up with it", "[event][task]") {
  EventLoop loop;
  std::vector<std::string> log;
  {
    TaskRunner runner{loop};
    runner.spawn("a", sleeper(loop, log, "a", 1s));
    loop.run_until(Instant{1ms});
    CHECK(loop.pending_count() == 1);  // its sleep
  }
  CHECK(loop.pending_count() == 0);
  loop.run_until_idle();
  CHECK(log == std::vector<std::string>{"a start at 0"});
}

TEST_CASE("a task may spawn tasks, and slots are reused without confusing their ids", "[event][task]") {
  EventLoop loop;
  TaskRunner runner{loop};
  std::vector<std::string> log;
  const auto parent = [](TaskRunner& r, EventLoop& l, std::vector<std::string>& out) -> Task {
    for (int i = 0; i < 3; ++i) {
      r.spawn("child", sleeper(l, out, "child" + std::to_string(i), 1ms));
      co_await sleep_for(5ms);
    }
  };
  const TaskId first = runner.spawn("parent", parent(runner, loop, log));
  loop.run_until_idle();
  CHECK(log.size() == 9);
  CHECK(runner.running() == 0);
  CHECK(runner.finished(first));
  Gate gate;
  std::vector<Instant> resumed;
  const TaskId reused = runner.spawn("waiter", waiter(loop, gate, resumed));
  runner.wake(first);  // an old id of a reused slot: nothing happens
  loop.run_until_idle();
  CHECK(resumed.empty());
  CHECK_FALSE(runner.finished(reused));
  gate.open();
  loop.run_until_idle();
  CHECK(resumed.size() == 1);
}
