#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "event/event_loop.hpp"

using namespace netstep;

namespace {
Instant at_ms(std::int64_t ms) { return Instant{} + std::chrono::milliseconds{ms}; }
}  // namespace

TEST_CASE("EventLoop starts idle at time zero", "[event][loop]") {
  EventLoop loop;
  CHECK(loop.now() == Instant{});
  CHECK(loop.pending_count() == 0);
  CHECK_FALSE(loop.next_event_time());
  CHECK_FALSE(loop.run_next());
  CHECK(loop.run_until_idle() == 0);
}

TEST_CASE("EventLoop runs events in time order and jumps the clock to each", "[event][loop]") {
  EventLoop loop;
  std::vector<std::string> log;
  loop.post_at(at_ms(30), [&] { log.push_back("c@" + std::to_string(to_ns(loop.now()))); });
  loop.post_at(at_ms(10), [&] { log.push_back("a@" + std::to_string(to_ns(loop.now()))); });
  loop.post_at(at_ms(20), [&] { log.push_back("b@" + std::to_string(to_ns(loop.now()))); });
  CHECK(loop.pending_count() == 3);
  CHECK(loop.next_event_time() == at_ms(10));
  CHECK(loop.run_until_idle() == 3);
  CHECK(log == std::vector<std::string>{"a@10000000", "b@20000000", "c@30000000"});
  CHECK(loop.now() == at_ms(30));
  CHECK(loop.events_run() == 3);
}

TEST_CASE("EventLoop runs same-time events in the order they were posted", "[event][loop]") {
  EventLoop loop;
  std::vector<int> order;
  for (int i = 0; i < 50; ++i) loop.post_at(at_ms(5), [&order, i] { order.push_back(i); });
  loop.post_at(at_ms(1), [&order] { order.push_back(-1); });
  loop.run_until_idle();
  REQUIRE(order.size() == 51);
  CHECK(order[0] == -1);
  for (int i = 0; i < 50; ++i) CHECK(order[static_cast<std::size_t>(i) + 1] == i);
}

TEST_CASE("EventLoop clamps post_at in the past to now", "[event][loop]") {
  EventLoop loop;
  loop.advance_to(at_ms(100));
  Instant ran_at{};
  loop.post_at(at_ms(40), [&] { ran_at = loop.now(); });
  CHECK(loop.next_event_time() == at_ms(100));
  loop.run_next();
  CHECK(ran_at == at_ms(100));
  CHECK(loop.now() == at_ms(100));
}

TEST_CASE("EventLoop past events run after earlier-posted events at the same now", "[event][loop]") {
  EventLoop loop;
  loop.advance_to(at_ms(10));
  std::vector<int> order;
  loop.post_at(at_ms(10), [&] { order.push_back(1); });
  loop.post_at(at_ms(0), [&] { order.push_back(2); });  // clamped to 10 ms, posted second
  loop.run_until_idle();
  CHECK(order == std::vector<int>{1, 2});
}

TEST_CASE("EventLoop post_after is relative to now", "[event][loop]") {
  EventLoop loop;
  loop.advance_to(at_ms(5));
  Instant ran_at{};
  loop.post_after(7ms, [&] { ran_at = loop.now(); });
  loop.run_until_idle();
  CHECK(ran_at == at_ms(12));
}

TEST_CASE("EventLoop cancel prevents the event from running", "[event][loop]") {
  EventLoop loop;
  bool ran = false;
  const auto id = loop.post_at(at_ms(1), [&] { ran = true; });
  CHECK(loop.pending(id));
  CHECK(loop.cancel(id));
  CHECK_FALSE(loop.pending(id));
  CHECK(loop.pending_count() == 0);
  CHECK_FALSE(loop.next_event_time());
  CHECK(loop.run_until_idle() == 0);
  CHECK_FALSE(ran);
}

TEST_CASE("EventLoop cancel returns false twice, for default ids and for events that already ran",
          "[event][loop]") {
  EventLoop loop;
  const auto id = loop.post_at(at_ms(1), [] {});
  CHECK(loop.cancel(id));
  CHECK_FALSE(loop.cancel(id));
  CHECK_FALSE(loop.cancel(EventLoop::EventId{}));
  CHECK_FALSE(loop.cancel(EventLoop::EventId{12345, 1}));  // a slot that never existed

  const auto ran = loop.post_at(at_ms(2), [] {});
  loop.run_until_idle();
  CHECK_FALSE(loop.pending(ran));
  CHECK_FALSE(loop.cancel(ran));
}

TEST_CASE("EventLoop a stale id cannot cancel a new event that reuses its slot", "[event][loop]") {
  EventLoop loop;
  const auto old_id = loop.post_at(at_ms(1), [] {});
  REQUIRE(loop.cancel(old_id));
  bool new_ran = false;
  const auto new_id = loop.post_at(at_ms(2), [&] { new_ran = true; });
  REQUIRE(new_id.slot == old_id.slot);  // the slot is reused: this is what the test is about
  CHECK(new_id.generation != old_id.generation);
  CHECK_FALSE(loop.cancel(old_id));
  CHECK_FALSE(loop.pending(old_id));
  CHECK(loop.pending(new_id));
  loop.run_until_idle();
  CHECK(new_ran);
}

TEST_CASE("EventLoop the id of an event that ran cannot cancel the slot's next event", "[event][loop]") {
  EventLoop loop;
  const auto first = loop.post_at(at_ms(1), [] {});
  loop.run_next();
  bool ran = false;
  const auto second = loop.post_at(at_ms(2), [&] { ran = true; });
  REQUIRE(second.slot == first.slot);
  CHECK_FALSE(loop.cancel(first));
  loop.run_until_idle();
  CHECK(ran);
}

TEST_CASE("EventLoop a cancelled event's stale heap entry does not run the slot's new event early",
          "[event][loop]") {
  EventLoop loop;
  std::vector<std::string> log;
  const auto early = loop.post_at(at_ms(1), [&] { log.push_back("early"); });
  REQUIRE(loop.cancel(early));
  loop.post_at(at_ms(50), [&] { log.push_back("late@" + std::to_string(to_ns(loop.now()) / 1'000'000)); });
  loop.post_at(at_ms(10), [&] { log.push_back("middle"); });
  loop.run_until_idle();
  CHECK(log == std::vector<std::string>{"middle", "late@50"});
}

TEST_CASE("EventLoop run_until runs what is due and leaves the clock at the limit", "[event][loop]") {
  EventLoop loop;
  std::vector<int> ran;
  loop.post_at(at_ms(10), [&] { ran.push_back(10); });
  loop.post_at(at_ms(20), [&] { ran.push_back(20); });
  loop.post_at(at_ms(30), [&] { ran.push_back(30); });
  CHECK(loop.run_until(at_ms(20)) == 2);  // at the limit is included
  CHECK(ran == std::vector<int>{10, 20});
  CHECK(loop.now() == at_ms(20));
  CHECK(loop.run_until(at_ms(25)) == 0);
  CHECK(loop.now() == at_ms(25));
  CHECK(loop.pending_count() == 1);
}

TEST_CASE("EventLoop run_until with nothing pending still moves the clock to the limit", "[event][loop]") {
  EventLoop loop;
  CHECK(loop.run_until(at_ms(127'000)) == 0);
  CHECK(loop.now() == at_ms(127'000));
}

TEST_CASE("EventLoop run_until a limit in the past does not move the clock back", "[event][loop]") {
  EventLoop loop;
  loop.advance_to(at_ms(100));
  loop.run_until(at_ms(50));
  CHECK(loop.now() == at_ms(100));
}

TEST_CASE("EventLoop run_until runs events that callbacks post inside the window", "[event][loop]") {
  EventLoop loop;
  std::vector<int> ran;
  loop.post_at(at_ms(10), [&] {
    ran.push_back(10);
    loop.post_after(5ms, [&] { ran.push_back(15); });
    loop.post_after(50ms, [&] { ran.push_back(60); });
  });
  CHECK(loop.run_until(at_ms(20)) == 2);
  CHECK(ran == std::vector<int>{10, 15});
  CHECK(loop.pending_count() == 1);
}

TEST_CASE("EventLoop run_until_idle stops after max events", "[event][loop]") {
  EventLoop loop;
  int count = 0;
  for (int i = 0; i < 10; ++i) loop.post_at(at_ms(i), [&] { ++count; });
  CHECK(loop.run_until_idle(4) == 4);
  CHECK(count == 4);
  CHECK(loop.pending_count() == 6);
  CHECK(loop.now() == at_ms(3));
  CHECK(loop.run_until_idle() == 6);
  CHECK(count == 10);
}

TEST_CASE("EventLoop run_until_idle max bounds a callback that re-posts itself forever", "[event][loop]") {
  EventLoop loop;
  int ticks = 0;
  struct Ticker {
    EventLoop* loop;
    int* ticks;
    void operator()() const {
      ++*ticks;
      loop->post_after(1ms, Ticker{loop, ticks});
    }
  };
  loop.post_after(1ms, Ticker{&loop, &ticks});
  CHECK(loop.run_until_idle(1000) == 1000);
  CHECK(ticks == 1000);
  CHECK(loop.now() == at_ms(1000));
  CHECK(loop.pending_count() == 1);
}

TEST_CASE("EventLoop events posted from a callback at the same instant run after it, in order",
          "[event][loop]") {
  EventLoop loop;
  std::vector<std::string> log;
  loop.post_at(at_ms(5), [&] {
    log.push_back("first");
    loop.post_after(Duration::zero(), [&] { log.push_back("child-1"); });
    loop.post_after(Duration::zero(), [&] { log.push_back("child-2"); });
  });
  loop.post_at(at_ms(5), [&] { log.push_back("second"); });
  loop.run_until_idle();
  CHECK(log == std::vector<std::string>{"first", "second", "child-1", "child-2"});
}

TEST_CASE("EventLoop a callback can cancel a later event", "[event][loop]") {
  EventLoop loop;
  bool victim_ran = false;
  const auto victim = loop.post_at(at_ms(20), [&] { victim_ran = true; });
  bool cancelled = false;
  loop.post_at(at_ms(10), [&] { cancelled = loop.cancel(victim); });
  loop.run_until_idle();
  CHECK(cancelled);
  CHECK_FALSE(victim_ran);
}

TEST_CASE("EventLoop an event is no longer pending while its own callback runs", "[event][loop]") {
  EventLoop loop;
  EventLoop::EventId self{};
  bool pending_inside = true;
  bool cancel_inside = true;
  self = loop.post_at(at_ms(1), [&] {
    pending_inside = loop.pending(self);
    cancel_inside = loop.cancel(self);
  });
  loop.run_until_idle();
  CHECK_FALSE(pending_inside);
  CHECK_FALSE(cancel_inside);
}

TEST_CASE("EventLoop survives callbacks that post many events (slot storage reallocates)", "[event][loop]") {
  EventLoop loop;
  int ran = 0;
  loop.post_at(at_ms(1), [&] {
    for (int i = 0; i < 1000; ++i) loop.post_after(1ms, [&] { ++ran; });
  });
  CHECK(loop.run_until_idle() == 1001);
  CHECK(ran == 1000);
}

TEST_CASE("EventLoop advance_to never moves the clock backwards", "[event][loop]") {
  EventLoop loop;
  loop.advance_to(at_ms(10));
  CHECK(loop.now() == at_ms(10));
  loop.advance_to(at_ms(5));
  CHECK(loop.now() == at_ms(10));
  loop.advance_to(at_ms(11));
  CHECK(loop.now() == at_ms(11));
}

TEST_CASE("EventLoop run_due runs only what is due at the current time (wall-clock seam)", "[event][loop]") {
  EventLoop loop;
  std::vector<int> ran;
  loop.post_at(at_ms(10), [&] { ran.push_back(10); });
  loop.post_at(at_ms(20), [&] { ran.push_back(20); });
  CHECK(loop.run_due() == 0);
  loop.advance_to(at_ms(15));
  CHECK(loop.run_due() == 1);
  CHECK(ran == std::vector<int>{10});
  CHECK(loop.now() == at_ms(15));  // run_due does not jump ahead to the next event
  CHECK(loop.next_event_time() == at_ms(20));
}

TEST_CASE("EventLoop pending_count tracks posts, cancels and runs", "[event][loop]") {
  EventLoop loop;
  const auto a = loop.post_at(at_ms(1), [] {});
  loop.post_at(at_ms(2), [] {});
  loop.post_at(at_ms(3), [] {});
  CHECK(loop.pending_count() == 3);
  loop.cancel(a);
  CHECK(loop.pending_count() == 2);
  loop.run_next();
  CHECK(loop.pending_count() == 1);
  CHECK(loop.now() == at_ms(2));
}

TEST_CASE("EventLoop destroys the callback of a cancelled event at cancel time", "[event][loop]") {
  EventLoop loop;
  auto token = std::make_shared<int>(0);
  const std::weak_ptr<int> watch = token;
  const auto id = loop.post_at(at_ms(1), [t = std::move(token)] { (void)t; });
  CHECK_FALSE(watch.expired());
  loop.cancel(id);
  CHECK(watch.expired());
}

TEST_CASE("EventLoop destroys the callback of an event after it ran", "[event][loop]") {
  EventLoop loop;
  auto token = std::make_shared<int>(0);
  const std::weak_ptr<int> watch = token;
  loop.post_at(at_ms(1), [t = std::move(token)] { (void)t; });
  loop.run_until_idle();
  CHECK(watch.expired());
}

TEST_CASE("EventLoop same seed of posts and cancels gives the same run (determinism)", "[event][loop]") {
  auto run = [] {
    EventLoop loop;
    std::vector<int> order;
    std::vector<EventLoop::EventId> ids;
    for (int i = 0; i < 200; ++i) {
      ids.push_back(loop.post_at(at_ms((i * 37) % 23), [&order, i] { order.push_back(i); }));
    }
    for (std::size_t i = 0; i < ids.size(); i += 3) loop.cancel(ids[i]);
    loop.run_until_idle();
    return order;
  };
  const auto first = run();
  CHECK(first.size() == 200 - 67);
  CHECK(run() == first);
}

TEST_CASE("EventLoop an event due now runs after earlier-posted events at the same instant", "[event][loop]") {
  // Events posted for the current instant take a separate queue; they must
  // still run after events posted earlier for that instant.
  EventLoop loop;
  std::vector<std::string> log;
  loop.post_at(at_ms(10), [&] {
    log.push_back("a");
    loop.post_after(Duration::zero(), [&] { log.push_back("c (posted by a, due now)"); });
  });
  loop.post_at(at_ms(10), [&] { log.push_back("b"); });
  loop.post_at(at_ms(20), [&] { log.push_back("d"); });
  loop.run_until_idle();
  CHECK(log == std::vector<std::string>{"a", "b", "c (posted by a, due now)", "d"});
}

TEST_CASE("EventLoop runs events in exactly (time, posting order), checked against a model on random runs",
          "[event][loop]") {
  // The model: every event ever posted, with its time and posting number;
  // the next to run is the smallest (time, number) still pending.
  struct Posted {
    Instant when;
    std::uint64_t number;
    bool pending;
  };
  struct Run {
    EventLoop loop;
    std::vector<Posted> model;
    std::vector<EventLoop::EventId> ids;
    std::vector<int> ran;
    std::uint64_t state = 0;
    std::uint64_t numbers = 0;

    std::uint64_t next(std::uint64_t bound) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state % bound;
    }
    void post(int depth) {
      // Mostly due now (the frame-delivery case), sometimes later, sometimes in the past.
      const std::uint64_t kind = next(4);
      const Instant when = kind < 2    ? loop.now()
                           : kind == 2 ? loop.now() + std::chrono::milliseconds{next(5)}
                                       : loop.now() - std::chrono::milliseconds{1};
      const int id = static_cast<int>(model.size());
      model.push_back(Posted{std::max(when, loop.now()), numbers++, true});
      ids.push_back(loop.post_at(when, [run = this, id, depth] { run->fire(id, depth); }));
    }
    void fire(int id, int depth) {
      ran.push_back(id);
      model[static_cast<std::size_t>(id)].pending = false;
      if (depth < 3) {
        for (std::uint64_t n = next(3); n > 0; --n) post(depth + 1);
      }
      if (next(5) == 0) {
        const auto victim = static_cast<std::size_t>(next(ids.size()));
        if (loop.cancel(ids[victim])) model[victim].pending = false;
      }
    }
  };
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Run run;
    run.state = seed * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 50; ++i) run.post(0);
    std::size_t steps = 0;
    for (;;) {
      const auto first = std::min_element(run.model.begin(), run.model.end(), [](const Posted& a, const Posted& b) {
        if (a.pending != b.pending) return a.pending;
        return a.when != b.when ? a.when < b.when : a.number < b.number;
      });
      if (first == run.model.end() || !first->pending) break;
      const int expected = static_cast<int>(first - run.model.begin());
      INFO("seed " << seed << ", step " << steps);
      REQUIRE(run.loop.run_next());
      REQUIRE(run.ran.size() == steps + 1);
      REQUIRE(run.ran.back() == expected);
      ++steps;
    }
    CHECK_FALSE(run.loop.run_next());
    CHECK(run.loop.pending_count() == 0);
    CHECK(steps > 100);
  }
}

TEST_CASE("EventLoop cancelled due-now events do not pile up", "[event][loop][compaction]") {
  EventLoop loop;
  int ran = 0;
  auto id = loop.post_after(Duration::zero(), [&] { ++ran; });
  for (int i = 0; i < 100'000; ++i) {
    loop.cancel(id);
    id = loop.post_after(Duration::zero(), [&] { ++ran; });
  }
  CHECK(loop.pending_count() == 1);
  CHECK(loop.run_until_idle() == 1);
  CHECK(ran == 1);
}
