#pragma once
// The event loop and its virtual clock. Every timer and every frame delivery
// is an event ordered by (time, sequence number): two events at the same
// instant run in the order they were posted, so a run is reproducible.
//
// Virtual mode (simulation): run_next() jumps the clock to the next event,
// so Linux's two-minute SYN timeout takes microseconds. Wall-clock mode (live drivers)
// uses the same queue through the seam below: the driver waits on its file
// descriptors until next_event_time(), then calls advance_to(monotonic now)
// and run_due().
#include <cstdint>
#include <optional>
#include <vector>

#include "base/inplace_function.hpp"
#include "base/time.hpp"

namespace netstep {

class EventLoop final : public Clock {
 public:
  using Callback = InplaceFunction<void(), 48>;

  // Identifies one posted event; stale ids are harmless to cancel.
  struct EventId {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;  // 0 never names a live event
    [[nodiscard]] bool valid() const { return generation != 0; }
  };

  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  [[nodiscard]] Instant now() const override { return now_; }

  // Schedules cb at `when` (clamped to now: the past is not reachable).
  EventId post_at(Instant when, Callback cb);
  EventId post_after(Duration delay, Callback cb) { return post_at(now_ + delay, std::move(cb)); }
  // True if the event was still pending and is now removed.
  bool cancel(EventId id);
  [[nodiscard]] bool pending(EventId id) const {
    return id.valid() && id.slot < live_generation_.size() && live_generation_[id.slot] == id.generation;
  }

  [[nodiscard]] std::optional<Instant> next_event_time();
  [[nodiscard]] std::size_t pending_count() const { return live_; }
  [[nodiscard]] std::uint64_t events_run() const { return events_run_; }

  // Virtual mode: move the clock to the next event and run it. False when idle.
  bool run_next();
  // Runs every event due at or before `limit`, then leaves the clock at `limit`.
  std::uint64_t run_until(Instant limit);
  // Runs until nothing is pending or max_events have run; returns the count.
  std::uint64_t run_until_idle(std::uint64_t max_events = 100'000'000);

  // Wall-clock seam: move the clock forward (never back) and run what is due.
  void advance_to(Instant t);
  std::uint64_t run_due();

 private:
  static constexpr std::uint32_t not_in_heap = ~std::uint32_t{0};
  struct Slot {
    Callback callback;
    std::uint32_t generation = 1;
    std::uint32_t heap_index = not_in_heap;  // where its entry is in heap_ (not_in_heap: in a lane, or free)
    bool live = false;
  };
  struct QueueEntry {
    Instant when;
    std::uint64_t order;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  // (when, order) orders every event ever posted: the order numbers are unique.
  [[nodiscard]] static bool earlier(const QueueEntry& a, const QueueEntry& b) {
    return a.when != b.when ? a.when < b.when : a.order < b.order;
  }

  // Whether a queued entry is still the slot's pending event. Read from a
  // compact array (4 bytes a slot, not a whole Slot): the loop asks it for
  // every lane's front before every event.
  [[nodiscard]] bool is_live(const QueueEntry& e) const { return live_generation_[e.slot] == e.generation; }

  // A lane: a FIFO ring of entries in (when, order) order. Most events are
  // posted in time order within some stream (frame deliveries due now,
  // retransmission timers RTO ahead, TIME-WAIT timers 60 s ahead), so a new
  // entry can usually be appended to a lane whose last entry is not later
  // than it: O(1) to post and to run, where a heap costs O(log n) each way.
  // A cancelled entry stays in its lane (stale) until it reaches the front
  // or the lanes are compacted.
  struct Lane {
    std::vector<QueueEntry> ring;  // capacity a power of two (or 0)
    std::size_t mask = 0;          // ring.size() - 1, kept so indexing needs no division
    std::size_t front = 0;
    std::size_t size = 0;
    Instant last_when{};           // of the newest entry: what post_at compares against
    [[nodiscard]] const QueueEntry& first() const { return ring[front]; }
    [[nodiscard]] QueueEntry& at(std::size_t i) { return ring[(front + i) & mask]; }
    void push(const QueueEntry& entry);
    void pop() {
      front = (front + 1) & mask;
      --size;
    }
  };
  static constexpr std::size_t lane_count = 4;

  // The heap takes the events no lane can: a 4-ary min-heap of live entries
  // only. cancel() takes an entry out where it is (each slot knows its
  // entry's index), so nothing stale ever surfaces or accumulates there.
  void heap_place(std::size_t index, const QueueEntry& entry);
  void heap_sift_up(std::size_t index);
  void heap_sift_down(std::size_t index);
  void heap_push(const QueueEntry& entry);
  void heap_remove(std::size_t index);

  // Where the next live entry is: a lane (0 .. lane_count - 1), the heap
  // (lane_count), or nowhere (none).
  static constexpr std::size_t from_heap = lane_count;
  static constexpr std::size_t none = lane_count + 1;
  std::size_t next_source();
  [[nodiscard]] const QueueEntry& head(std::size_t source) const {
    return source == from_heap ? heap_.front() : lanes_[source].first();
  }
  QueueEntry take(std::size_t source);
  void compact_if_mostly_stale();
  void run_entry(const QueueEntry& entry);

  Instant now_{};
  std::uint64_t next_order_ = 0;
  std::uint64_t events_run_ = 0;
  std::size_t live_ = 0;
  std::size_t lane_entries_ = 0;  // live and stale, in all lanes
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> live_generation_;  // per slot: its generation while live, else 0
  std::vector<std::uint32_t> free_slots_;
  // Every lane is sorted by (when, order) and so is the heap's top; the
  // loop always runs the earliest of their heads, which is exactly the
  // order one queue of everything would give.
  Lane lanes_[lane_count];
  std::vector<QueueEntry> heap_;
};

}  // namespace netstep
