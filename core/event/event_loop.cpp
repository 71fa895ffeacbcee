#include "event/event_loop.hpp"

#include <algorithm>

namespace netstep {

namespace {
// A 4-ary heap: half the depth of a binary one, and a node's four children
// lie side by side in memory.
constexpr std::size_t heap_arity = 4;
}  // namespace

void EventLoop::Lane::push(const QueueEntry& entry) {
  if (size == ring.size()) {
    // Grow the ring to twice its size, oldest entry first.
    std::vector<QueueEntry> grown(std::max<std::size_t>(16, 2 * ring.size()));
    for (std::size_t i = 0; i < size; ++i) grown[i] = ring[(front + i) & mask];
    ring = std::move(grown);
    mask = ring.size() - 1;
    front = 0;
  }
  ring[(front + size) & mask] = entry;
  ++size;
  last_when = entry.when;
}

EventLoop::EventId EventLoop::post_at(Instant when, Callback cb) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    live_generation_.push_back(0);
  }
  Slot& slot = slots_[index];
  slot.callback = std::move(cb);
  slot.live = true;
  live_generation_[index] = slot.generation;
  ++live_;
  const QueueEntry entry{std::max(when, now_), next_order_++, index, slot.generation};
  // The lane whose last entry is latest but not later than this one (its
  // order number is larger than every other's, so only the times matter);
  // else an empty lane; else the heap.
  Lane* best = nullptr;
  Lane* empty = nullptr;
  for (Lane& lane : lanes_) {
    if (lane.size == 0) {
      if (empty == nullptr) empty = &lane;
    } else if (lane.last_when <= entry.when && (best == nullptr || best->last_when < lane.last_when)) {
      best = &lane;
    }
  }
  if (best == nullptr) best = empty;
  if (best != nullptr) {
    best->push(entry);
    ++lane_entries_;
  } else {
    heap_push(entry);
  }
  return EventId{index, slot.generation};
}

bool EventLoop::cancel(EventId id) {
  if (!pending(id)) return false;
  Slot& slot = slots_[id.slot];
  if (slot.heap_index != not_in_heap) heap_remove(slot.heap_index);
  slot.callback.reset();
  slot.live = false;
  live_generation_[id.slot] = 0;
  if (++slot.generation == 0) slot.generation = 1;
  free_slots_.push_back(id.slot);
  --live_;
  compact_if_mostly_stale();
  return true;
}

// --- the heap ---------------------------------------------------------------

void EventLoop::heap_place(std::size_t index, const QueueEntry& entry) {
  heap_[index] = entry;
  slots_[entry.slot].heap_index = static_cast<std::uint32_t>(index);
}

void EventLoop::heap_sift_up(std::size_t index) {
  const QueueEntry entry = heap_[index];
  while (index > 0) {
    const std::size_t parent = (index - 1) / heap_arity;
    if (!earlier(entry, heap_[parent])) break;
    heap_place(index, heap_[parent]);
    index = parent;
  }
  heap_place(index, entry);
}

void EventLoop::heap_sift_down(std::size_t index) {
  const QueueEntry entry = heap_[index];
  const std::size_t size = heap_.size();
  for (;;) {
    const std::size_t first = heap_arity * index + 1;
    if (first >= size) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + heap_arity, size);
    for (std::size_t child = first + 1; child < end; ++child) {
      if (earlier(heap_[child], heap_[best])) best = child;
    }
    if (!earlier(heap_[best], entry)) break;
    heap_place(index, heap_[best]);
    index = best;
  }
  heap_place(index, entry);
}

void EventLoop::heap_push(const QueueEntry& entry) {
  heap_.push_back(entry);
  heap_sift_up(heap_.size() - 1);
}

void EventLoop::heap_remove(std::size_t index) {
  slots_[heap_[index].slot].heap_index = not_in_heap;
  const QueueEntry last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;  // it was the last entry
  heap_place(index, last);
  if (index > 0 && earlier(last, heap_[(index - 1) / heap_arity])) {
    heap_sift_up(index);
  } else {
    heap_sift_down(index);
  }
}

// --- choosing the next event --------------------------------------------------

std::size_t EventLoop::next_source() {
  std::size_t source = heap_.empty() ? none : from_heap;
  for (std::size_t i = 0; i < lane_count; ++i) {
    Lane& lane = lanes_[i];
    while (lane.size > 0 && !is_live(lane.first())) {  // cancelled: dropped when they surface
      lane.pop();
      --lane_entries_;
    }
    if (lane.size > 0 && (source == none || earlier(lane.first(), head(source)))) source = i;
  }
  return source;
}

EventLoop::QueueEntry EventLoop::take(std::size_t source) {
  if (source == from_heap) {
    const QueueEntry top = heap_.front();
    heap_remove(0);
    return top;
  }
  Lane& lane = lanes_[source];
  const QueueEntry entry = lane.first();
  lane.pop();
  --lane_entries_;
  return entry;
}

// Cancelled lane entries stay until they reach their lane's front; slide
// the live ones together when the lanes hold four times more entries than
// there are live events (and at least 64), so cancelling and re-posting
// cannot grow them without bound.
void EventLoop::compact_if_mostly_stale() {
  if (lane_entries_ < 64 || lane_entries_ < 4 * live_) return;
  lane_entries_ = 0;
  for (Lane& lane : lanes_) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < lane.size; ++i) {
      const QueueEntry e = lane.at(i);
      if (is_live(e)) lane.at(kept++) = e;
    }
    lane.size = kept;
    lane_entries_ += kept;
  }
}

std::optional<Instant> EventLoop::next_event_time() {
  const std::size_t source = next_source();
  if (source == none) return std::nullopt;
  return head(source).when;
}

void EventLoop::run_entry(const QueueEntry& entry) {
  Slot& slot = slots_[entry.slot];
  Callback cb = std::move(slot.callback);
  slot.live = false;
  live_generation_[entry.slot] = 0;
  if (++slot.generation == 0) slot.generation = 1;
  free_slots_.push_back(entry.slot);
  --live_;
  ++events_run_;
  cb();  // may post or cancel events, and so reallocate slots_
}

bool EventLoop::run_next() {
  const std::size_t source = next_source();
  if (source == none) return false;
  const QueueEntry entry = take(source);
  now_ = std::max(now_, entry.when);
  run_entry(entry);
  return true;
}

std::uint64_t EventLoop::run_until(Instant limit) {
  std::uint64_t count = 0;
  for (;;) {
    const std::size_t source = next_source();
    if (source == none || head(source).when > limit) break;
    const QueueEntry entry = take(source);
    now_ = std::max(now_, entry.when);
    run_entry(entry);
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
