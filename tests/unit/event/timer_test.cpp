#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "event/timer.hpp"
#include "trace/trace_bus.hpp"

using namespace netstep;

namespace {
Instant at_ms(std::int64_t ms) { return Instant{} + std::chrono::milliseconds{ms}; }

// Records every event as "kind name@ms", plus the raw events for field checks.
class RecordingSink final : public TraceSink {
 public:
  void receive(const TraceEvent& event) override {
    std::string line{kind_of(event.payload)};
    std::visit(
        [&line](const auto& p) {
          if constexpr (requires { p.name; }) {
            line += ' ';
            line += p.name;
          }
        },
        event.payload);
    line += '@' + std::to_string(to_ns(event.time) / 1'000'000);
    lines.push_back(line);
    events.push_back(event);
  }
  std::vector<std::string> lines;
  std::vector<TraceEvent> events;
};

struct Fixture {
  EventLoop loop;
  TraceBus bus{loop};
  RecordingSink sink;
  int fired = 0;
  Fixture() { bus.attach(sink); }
};
}  // namespace

TEST_CASE("Timer fires once at its deadline and is no longer armed", "[event][timer]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "arp-retransmit", [&f] { ++f.fired; }};
  CHECK_FALSE(timer.armed());
  timer.arm_at(at_ms(1000));
  CHECK(timer.armed());
  CHECK(timer.deadline() == at_ms(1000));
  CHECK(timer.name() == "arp-retransmit");
  f.loop.run_until(at_ms(999));
  CHECK(f.fired == 0);
  f.loop.run_until_idle();
  CHECK(f.fired == 1);
  CHECK(f.loop.now() == at_ms(1000));
  CHECK_FALSE(timer.armed());
  CHECK(timer.deadline() == at_ms(1000));  // the last deadline stays readable
}

TEST_CASE("Timer arm_after counts from the loop's now", "[event][timer]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Tcp, "rto", [&f] { ++f.fired; }};
  f.loop.advance_to(at_ms(250));
  timer.arm_after(200ms);
  CHECK(timer.deadline() == at_ms(450));
  f.loop.run_until_idle();
  CHECK(f.loop.now() == at_ms(450));
  CHECK(f.fired == 1);
}

TEST_CASE("Timer re-arming replaces the deadline: it fires once, at the new one", "[event][timer]") {
  Fixture f;
  Instant fired_at{};
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "t", [&f, &fired_at] {
                ++f.fired;
                fired_at = f.loop.now();
              }};
  timer.arm_at(at_ms(100));
  timer.arm_at(at_ms(300));
  timer.arm_at(at_ms(200));
  CHECK(f.loop.pending_count() == 1);
  f.loop.run_until_idle();
  CHECK(f.fired == 1);
  CHECK(fired_at == at_ms(200));
}

TEST_CASE("Timer cancel stops it firing, and cancelling again or when idle is harmless", "[event][timer]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "t", [&f] { ++f.fired; }};
  timer.cancel();  // never armed
  timer.arm_after(1s);
  timer.cancel();
  CHECK_FALSE(timer.armed());
  timer.cancel();
  f.loop.run_until_idle();
  CHECK(f.fired == 0);
  CHECK(f.loop.pending_count() == 0);
}

TEST_CASE("Timer can be re-armed from its own callback (a periodic timer)", "[event][timer]") {
  EventLoop loop;
  TraceBus bus{loop};
  Timer* self = nullptr;
  int fired = 0;
  Timer timer{loop, Tracer{bus, "h1"}, Layer::Arp, "periodic", [&] {
                if (++fired < 5) self->arm_after(10ms);
              }};
  self = &timer;
  timer.arm_after(10ms);
  loop.run_until_idle();
  CHECK(fired == 5);
  CHECK(loop.now() == at_ms(50));
  CHECK_FALSE(timer.armed());
}

TEST_CASE("Timer destroyed while armed cancels its event", "[event][timer]") {
  EventLoop loop;
  TraceBus bus{loop};
  int fired = 0;
  {
    Timer timer{loop, Tracer{bus, "h1"}, Layer::Arp, "t", [&] { ++fired; }};
    timer.arm_after(1s);
    CHECK(loop.pending_count() == 1);
  }
  CHECK(loop.pending_count() == 0);
  loop.run_until_idle();
  CHECK(fired == 0);
}

TEST_CASE("Timer emits TimerArmed, TimerFired with the host, layer, name and times", "[event][timer][trace]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "arp-retransmit", [&f] { ++f.fired; }};
  f.loop.advance_to(at_ms(5));
  timer.arm_after(1s);
  f.loop.run_until_idle();
  CHECK(f.sink.lines == std::vector<std::string>{"timer_armed arp-retransmit@5", "timer_fired arp-retransmit@1005"});
  REQUIRE(f.sink.events.size() == 2);
  const TraceEvent& armed = f.sink.events[0];
  CHECK(armed.host == "h1");
  CHECK(armed.layer == Layer::Arp);
  CHECK(armed.sequence == 0);
  REQUIRE(std::holds_alternative<TimerArmed>(armed.payload));
  CHECK(std::get<TimerArmed>(armed.payload).deadline == at_ms(1005));
  CHECK(f.sink.events[1].sequence == 1);
  CHECK(f.sink.events[1].time == at_ms(1005));
}

TEST_CASE("Timer emits TimerFired before its callback runs", "[event][timer][trace]") {
  Fixture f;
  std::size_t events_seen_in_callback = 0;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "t",
              [&f, &events_seen_in_callback] { events_seen_in_callback = f.sink.lines.size(); }};
  timer.arm_after(1ms);
  f.loop.run_until_idle();
  CHECK(events_seen_in_callback == 2);  // armed, fired
}

TEST_CASE("Timer cancel emits TimerCancelled only when it was armed", "[event][timer][trace]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Ipv4, "reassembly", [&f] { ++f.fired; }};
  timer.cancel();
  CHECK(f.sink.lines.empty());
  timer.arm_at(at_ms(30'000));
  f.loop.advance_to(at_ms(10));
  timer.cancel();
  timer.cancel();
  CHECK(f.sink.lines == std::vector<std::string>{"timer_armed reassembly@0", "timer_cancelled reassembly@10"});
}

TEST_CASE("Timer re-arm emits one TimerArmed per arm and no TimerCancelled", "[event][timer][trace]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Tcp, "rto", [&f] { ++f.fired; }};
  timer.arm_at(at_ms(100));
  timer.arm_at(at_ms(200));
  f.loop.run_until_idle();
  CHECK(f.sink.lines ==
        std::vector<std::string>{"timer_armed rto@0", "timer_armed rto@0", "timer_fired rto@200"});
  REQUIRE(f.sink.events.size() == 3);
  CHECK(std::get<TimerArmed>(f.sink.events[1].payload).deadline == at_ms(200));
}

TEST_CASE("Timer cancel after it fired emits nothing", "[event][timer][trace]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "t", [&f] { ++f.fired; }};
  timer.arm_after(1ms);
  f.loop.run_until_idle();
  const auto before = f.sink.lines.size();
  timer.cancel();
  CHECK(f.sink.lines.size() == before);
}

TEST_CASE("Timer with no sink attached emits nothing and still fires", "[event][timer][trace]") {
  EventLoop loop;
  TraceBus bus{loop};
  int fired = 0;
  Timer timer{loop, Tracer{bus, "h1"}, Layer::Arp, "t", [&] { ++fired; }};
  timer.arm_after(1ms);
  loop.run_until_idle();
  CHECK(fired == 1);
  CHECK(bus.events_emitted() == 0);
}

TEST_CASE("Timer with a default Tracer (no bus) works silently", "[event][timer][trace]") {
  EventLoop loop;
  int fired = 0;
  Timer timer{loop, Tracer{}, Layer::Arp, "t", [&] { ++fired; }};
  timer.arm_after(1ms);
  timer.arm_after(2ms);
  timer.cancel();
  timer.arm_after(3ms);
  loop.run_until_idle();
  CHECK(fired == 1);
  CHECK(loop.now() == at_ms(3));
}

TEST_CASE("Timer armed with a purpose name reports that name when armed and when it fires",
          "[event][timer][trace]") {
  Fixture f;
  Timer timer{f.loop, Tracer{f.bus, "h1"}, Layer::Arp, "arp", [&f] { ++f.fired; }};
  timer.arm_after(1s, "arp-retransmit");
  timer.arm_after(2s, "arp-reachable");
  CHECK(timer.name() == "arp-reachable");
  f.loop.run_until_idle();
  CHECK(f.fired == 1);
  CHECK(f.sink.lines == std::vector<std::string>{"timer_armed arp-retransmit@0", "timer_armed arp-reachable@0",
                                                 "timer_fired arp-reachable@2000"});
}
