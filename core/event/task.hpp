#pragma once
// Task: an application on the event loop, written as a C++20 coroutine.
//
//   Task client(TaskContext& ctx) {
//     ...
//     co_await ctx.sleep_for(1s);              // scenario time, not wall time
//     CallResult r = co_await sockets.connect(fd, ...);  // a blocking call
//   }
//   runner.spawn("client", client(runner.context()));
//
// A blocking call is an awaitable: the task suspends and the loop runs on.
// Whatever completes the call wakes the task with TaskRunner::wake(), which
// resumes it from a zero-delay loop event, never from inside the layer that
// completed it, so a protocol layer is never re-entered by application
// code, and blocking and non-blocking behaviour are both exact in virtual
// time and both steppable one event at a time.
//
// The runner owns every task. A task that ends returns its frame to the
// runner (destroyed at once); one still suspended when the runner goes is
// destroyed with it, and any wake-up still queued for it does nothing.
#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "event/event_loop.hpp"

namespace netstep {

class TaskRunner;

// Names one task of a runner; stays valid (and harmless) after it ended.
struct TaskId {
  std::uint32_t index = 0;
  std::uint32_t generation = 0;
};

class Task {
 public:
  struct promise_type {
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }  // spawn() starts it
    std::suspend_always final_suspend() noexcept { return {}; }    // the runner destroys it
    void return_void() noexcept {}
    void unhandled_exception() noexcept { failure = std::current_exception(); }

    std::exception_ptr failure;
    TaskRunner* runner = nullptr;  // set by spawn()
    TaskId id;
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_{std::exchange(other.handle_, {})} {}
  Task& operator=(Task&&) = delete;
  Task(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();  // never spawned
  }

 private:
  friend class TaskRunner;
  explicit Task(Handle handle) : handle_{handle} {}
  Handle handle_;
};

class TaskRunner {
 public:
  explicit TaskRunner(EventLoop& loop) : loop_{loop} {}
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;
  ~TaskRunner();

  // Starts `task` from a zero-delay loop event: tasks spawned at one instant
  // start in the order they were spawned.
  TaskId spawn(std::string name, Task task);
  // Resumes the task from a zero-delay loop event, if it is still
  // suspended; a task woken twice before it runs resumes once. A resumption
  // planned for later (wake_at) is replaced: a task waits for one thing at
  // a time, and what comes first wakes it.
  void wake(TaskId id) { wake_at(id, loop_.now()); }
  // Resumes the task at `when` (a timeout, a sleep), unless something wakes
  // it earlier.
  void wake_at(TaskId id, Instant when);

  [[nodiscard]] EventLoop& loop() { return loop_; }
  [[nodiscard]] std::size_t running() const { return running_; }
  [[nodiscard]] bool finished(TaskId id) const;
  // The tasks that ended with an exception, by name, oldest first.
  struct Failure {
    std::string task;
    std::exception_ptr error;
  };
  [[nodiscard]] const std::vector<Failure>& failures() const { return failures_; }
  // Rethrows the first failure, if any (tests call it after running).
  void rethrow_first_failure() const;

 private:
  struct Slot {
    Task::Handle handle;  // null: free
    std::string name;
    std::uint32_t generation = 1;
    EventLoop::EventId pending{};  // the loop event that will resume it
    Instant pending_at{};
  };
  void resume(TaskId id);
  Slot* live(TaskId id);

  EventLoop& loop_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::vector<Failure> failures_;
  std::size_t running_ = 0;
};

// co_await sleep_for(1s) inside a Task: resumes after that much scenario
// time (zero or negative: at once, without suspending).
class SleepFor {
 public:
  explicit SleepFor(Duration duration) : duration_{duration} {}
  [[nodiscard]] bool await_ready() const noexcept { return duration_ <= Duration::zero(); }
  void await_suspend(Task::Handle task);
  void await_resume() const noexcept {}

 private:
  Duration duration_;
};
[[nodiscard]] inline SleepFor sleep_for(Duration duration) { return SleepFor{duration}; }

// The awaiting task's own id and runner, for awaitables that park it and
// wake it later: `TaskHandle self = co_await this_task();`.
struct ThisTask {
  TaskRunner* runner = nullptr;
  TaskId id;
};
class ThisTaskAwaiter {
 public:
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  bool await_suspend(Task::Handle task) noexcept {
    self_ = ThisTask{task.promise().runner, task.promise().id};
    return false;  // do not suspend: just learn who we are
  }
  [[nodiscard]] ThisTask await_resume() const noexcept { return self_; }

 private:
  ThisTask self_;
};
[[nodiscard]] inline ThisTaskAwaiter this_task() { return {}; }

}  // namespace netstep
