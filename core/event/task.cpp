#include "event/task.hpp"

namespace netstep {

TaskRunner::~TaskRunner() {
  for (Slot& slot : slots_) {
    if (!slot.handle) continue;
    loop_.cancel(slot.pending);  // nothing may resume a frame about to go
    slot.handle.destroy();
  }
}

TaskId TaskRunner::spawn(std::string name, Task task) {
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.handle = std::exchange(task.handle_, {});
  slot.name = std::move(name);
  const TaskId id{index, slot.generation};
  slot.handle.promise().runner = this;
  slot.handle.promise().id = id;
  ++running_;
  wake(id);
  return id;
}

TaskRunner::Slot* TaskRunner::live(TaskId id) {
  if (id.index >= slots_.size()) return nullptr;
  Slot& slot = slots_[id.index];
  return slot.handle && slot.generation == id.generation ? &slot : nullptr;
}

bool TaskRunner::finished(TaskId id) const {
  if (id.index >= slots_.size()) return true;
  const Slot& slot = slots_[id.index];
  return !slot.handle || slot.generation != id.generation;
}

void TaskRunner::wake_at(TaskId id, Instant when) {
  Slot* slot = live(id);
  if (slot == nullptr) return;
  when = std::max(when, loop_.now());
  if (loop_.pending(slot->pending)) {
    if (slot->pending_at <= when) return;  // already due no later
    loop_.cancel(slot->pending);
  }
  slot->pending_at = when;
  slot->pending = loop_.post_at(when, [this, id] { resume(id); });
}

void TaskRunner::resume(TaskId id) {
  Slot* slot = live(id);
  if (slot == nullptr) return;
  slot->pending = {};
  const Task::Handle handle = slot->handle;
  handle.resume();  // may spawn or wake tasks: slots_ may grow, so `slot` is not used after this
  if (!handle.done()) return;
  Slot& ended = slots_[id.index];
  if (handle.promise().failure) failures_.push_back(Failure{ended.name, handle.promise().failure});
  loop_.cancel(ended.pending);
  handle.destroy();
  ended.handle = {};
  ended.name.clear();
  if (++ended.generation == 0) ended.generation = 1;
  free_.push_back(id.index);
  --running_;
}

void TaskRunner::rethrow_first_failure() const {
  if (!failures_.empty()) std::rethrow_exception(failures_.front().error);
}

void SleepFor::await_suspend(Task::Handle task) {
  TaskRunner& runner = *task.promise().runner;
  runner.wake_at(task.promise().id, runner.loop().now() + duration_);
}

}  // namespace netstep
