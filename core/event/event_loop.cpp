#include "event/event_loop.hpp"

#include <algorithm>

namespace netstep {

EventLoop::EventId EventLoop::post_at(Instant when, Callback cb) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.callback = std::move(cb);
  slot.live = true;
  ++live_;
  queue_.push_back(QueueEntry{std::max(when, now_), next_order_++, index, slot.generation});
  std::push_heap(queue_.begin(), queue_.end(), Later{});
  return EventId{index, slot.generation};
}

bool EventLoop::pending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].live &&
         slots_[id.slot].generation == id.generation;
}

bool EventLoop::cancel(EventId id) {
  if (!pending(id)) return false;
  Slot& slot = slots_[id.slot];
  slot.callback.reset();
  slot.live = false;
  if (++slot.generation == 0) slot.generation = 1;
  free_slots_.push_back(id.slot);
  --live_;
  compact_if_mostly_stale();
  return true;
}

void EventLoop::drop_stale_head() {
  while (!queue_.empty()) {
    const QueueEntry& top = queue_.front();
    const Slot& slot = slots_[top.slot];
    if (slot.live && slot.generation == top.generation) return;
    std::pop_heap(queue_.begin(), queue_.end(), Later{});
    queue_.pop_back();
  }
}

// Cancelled events stay in the heap until they surface; rebuild it when it
// holds four times more entries than live events (and at least 64), so
// re-armed timers cannot grow it without bound.
void EventLoop::compact_if_mostly_stale() {
  if (queue_.size() < 64 || queue_.size() < 4 * live_) return;
  std::erase_if(queue_, [this](const QueueEntry& e) {
    const Slot& slot = slots_[e.slot];
    return !slot.live || slot.generation != e.generation;
  });
  std::make_heap(queue_.begin(), queue_.end(), Later{});
}

std::optional<Instant> EventLoop::next_event_time() {
  drop_stale_head();
  if (queue_.empty()) return std::nullopt;
  return queue_.front().when;
}

void EventLoop::run_entry(const QueueEntry& entry) {
  Slot& slot = slots_[entry.slot];
  Callback cb = std::move(slot.callback);
  slot.live = false;
  if (++slot.generation == 0) slot.generation = 1;
  free_slots_.push_back(entry.slot);
  --live_;
  ++events_run_;
  cb();  // may post or cancel events, and so reallocate slots_
}

bool EventLoop::run_next() {
  drop_stale_head();
  if (queue_.empty()) return false;
  std::pop_heap(queue_.begin(), queue_.end(), Later{});
  const QueueEntry entry = queue_.back();
  queue_.pop_back();
  now_ = std::max(now_, entry.when);
  run_entry(entry);
  return true;
}

std::uint64_t EventLoop::run_until(Instant limit) {
  std::uint64_t count = 0;
  for (;;) {
    const auto next = next_event_time();
    if (!next || *next > limit) break;
    run_next();
    ++count;
  }
  now_ = std::max(now_, limit);
  return count;
}

std::uint64_t EventLoop::run_until_idle(std::uint64_t max_events) {
  std::uint64_t count = 0;
  while (count < max_events && run_next()) ++count;
  return count;
}

void EventLoop::advance_to(Instant t) { now_ = std::max(now_, t); }

std::uint64_t EventLoop::run_due() { return run_until(now_); }

}  // namespace netstep
