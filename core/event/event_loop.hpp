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
  [[nodiscard]] bool pending(EventId id) const;

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
  struct Slot {
    Callback callback;
    std::uint32_t generation = 1;
    bool live = false;
  };
  struct QueueEntry {
    Instant when;
    std::uint64_t order;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct Later {
    bool operator()(const QueueEntry& a, const QueueEntry& b) const {
      return a.when != b.when ? a.when > b.when : a.order > b.order;
    }
  };

  void drop_stale_head();
  void compact_if_mostly_stale();
  void run_entry(const QueueEntry& entry);

  Instant now_{};
  std::uint64_t next_order_ = 0;
  std::uint64_t events_run_ = 0;
  std::size_t live_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<QueueEntry> queue_;  // a binary heap ordered by Later
};

}  // namespace netstep
