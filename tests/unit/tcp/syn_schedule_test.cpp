#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcp/syn_schedule.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {

// What a silent host does to one connect(): every SYN is lost. The driver
// plays the engine: send a SYN, arm the timer the schedule asks for, jump to
// its expiry, ask again. `story` is the narrative printed when a check fails.
struct Timeline {
  std::vector<std::int64_t> syn_ms;  // send times, ms after the first SYN
  std::vector<SynTimer> timers;      // which timer each wait belonged to
  std::int64_t gave_up_ms = -1;
  SynGiveUpRule rule = SynGiveUpRule::RetransmissionBudget;
  SynOutcome outcome = SynOutcome::Refused;
  std::string story;
};

std::int64_t ms(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

Timeline silent_host(const SynSchedule& schedule) {
  Timeline t;
  Duration now{};
  for (int sent = 1; sent <= 1000; ++sent) {
    t.syn_ms.push_back(ms(now));
    const SynWait wait = schedule.after_syn_sent({sent, now});
    t.timers.push_back(wait.timer);
    t.story += "  t=" + format_seconds(now) + " s  SYN #" + std::to_string(sent) + ", wait " +
               format_seconds(wait.wait) + " s (" + std::string{to_string(wait.timer)} + ")\n";
    now += wait.wait;
    const SynExpiryDecision decision = schedule.on_timer_expiry({sent, now});
    if (decision.gives_up()) {
      t.gave_up_ms = ms(now);
      t.rule = decision.rule;
      t.outcome = decision.outcome;
      t.story += "  t=" + format_seconds(now) + " s  give up: " + std::string{to_string(decision.rule)} + "\n";
      return t;
    }
  }
  FAIL("the schedule never gave up:\n" << t.story);
  return t;
}

std::vector<std::int64_t> seconds(std::initializer_list<double> s) {
  std::vector<std::int64_t> out;
  for (const double v : s) out.push_back(static_cast<std::int64_t>(v * 1000.0 + 0.5));
  return out;
}

SynSchedule linux_schedule(int retries, int linear, SynOverrides overrides = {}) {
  return SynSchedule{linux_syn_policy(LinuxSynSysctls{retries, linear}), overrides};
}

struct Row {
  int retries;
  std::vector<std::int64_t> syns;
  std::int64_t gives_up_ms;
};

}  // namespace

TEST_CASE("Linux with tcp_syn_linear_timeouts=4 reproduces every row of the measured table", "[tcp][syn][linux]") {
  // linux-syn-timings.md section 1, first table, nominal column.
  const std::vector<Row> rows = {
      {1, seconds({0, 1, 2}), 3000},
      {2, seconds({0, 1, 2, 3, 4, 5}), 7000},
      {3, seconds({0, 1, 2, 3, 4, 5, 7, 11}), 19000},
      {4, seconds({0, 1, 2, 3, 4, 5, 7, 11, 19}), 35000},
      {5, seconds({0, 1, 2, 3, 4, 5, 7, 11, 19, 35}), 67000},
      {6, seconds({0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}), 131000},
  };
  for (const Row& row : rows) {
    DYNAMIC_SECTION("tcp_syn_retries=" << row.retries) {
      const Timeline t = silent_host(linux_schedule(row.retries, 4));
      INFO("timeline:\n" << t.story);
      CHECK(t.syn_ms == row.syns);
      CHECK(t.gave_up_ms == row.gives_up_ms);
      CHECK(t.outcome == SynOutcome::TimedOut);
      // Rule (b) ends N=1 and N=2, rule (a) the rest (section 1).
      CHECK(t.rule == (row.retries <= 2 ? SynGiveUpRule::ModelTimeout : SynGiveUpRule::RetransmissionBudget));
    }
  }
}

TEST_CASE("Linux with tcp_syn_linear_timeouts=0 gives the classic 2^(N+1)-1 s schedule of every row",
          "[tcp][syn][linux]") {
  // linux-syn-timings.md section 1, second table.
  const std::vector<Row> rows = {
      {1, seconds({0, 1}), 3000},
      {2, seconds({0, 1, 3}), 7000},
      {3, seconds({0, 1, 3, 7}), 15000},
      {4, seconds({0, 1, 3, 7, 15}), 31000},
      {5, seconds({0, 1, 3, 7, 15, 31}), 63000},
      {6, seconds({0, 1, 3, 7, 15, 31, 63}), 127000},
  };
  for (const Row& row : rows) {
    DYNAMIC_SECTION("tcp_syn_retries=" << row.retries) {
      const Timeline t = silent_host(linux_schedule(row.retries, 0));
      INFO("timeline:\n" << t.story);
      CHECK(t.syn_ms == row.syns);
      CHECK(t.gave_up_ms == row.gives_up_ms);
      CHECK(t.gave_up_ms == ((std::int64_t{2} << row.retries) - 1) * 1000);
      CHECK(t.outcome == SynOutcome::TimedOut);
    }
  }
}

TEST_CASE("Linux defaults send 11 SYNs and give up at 131 s", "[tcp][syn][linux]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::Linux)};
  const Timeline t = silent_host(schedule);
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms.size() == 11);
  CHECK(t.gave_up_ms == 131000);
  CHECK(schedule.retransmission_budget() == 10);
  CHECK(schedule.time_limit() == Duration{127s});
}

TEST_CASE("Linux TCP_SYNCNT=1 on the socket overrides tcp_syn_retries and gives up at 3 s", "[tcp][syn][linux]") {
  // linux-syn-timings.md section 2: namespace with tcp_syn_retries=2, linear=4.
  const Timeline t = silent_host(linux_schedule(2, 4, SynOverrides{1, std::nullopt}));
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1, 2}));
  CHECK(t.gave_up_ms == 3000);
}

TEST_CASE("Linux TCP_USER_TIMEOUT=2500 ms clamps the last wait and gives up at 2.5 s", "[tcp][syn][linux]") {
  const Timeline t = silent_host(linux_schedule(2, 4, SynOverrides{std::nullopt, 2500ms}));
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1, 2}));
  CHECK(t.gave_up_ms == 2500);
  CHECK(t.rule == SynGiveUpRule::UserTimeout);
  CHECK(t.timers.back() == SynTimer::ClampedToUserTimeout);
}

TEST_CASE("Linux TCP_USER_TIMEOUT longer than the retransmission budget still stops at the budget",
          "[tcp][syn][linux]") {
  // N=2 L=4 allows 6 retransmissions; the user timeout replaces only the time rule.
  const Timeline t = silent_host(linux_schedule(2, 4, SynOverrides{std::nullopt, 60000ms}));
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1, 2, 3, 4, 5, 7}));
  CHECK(t.gave_up_ms == 11000);
  CHECK(t.rule == SynGiveUpRule::RetransmissionBudget);
}

TEST_CASE("Linux TCP_USER_TIMEOUT shorter than the first wait still lets one retransmission out",
          "[tcp][syn][linux]") {
  // tcp_connect() arms the first timer unclamped, and the time rule is only
  // checked once a SYN has been retransmitted.
  const Timeline t = silent_host(linux_schedule(6, 4, SynOverrides{std::nullopt, 500ms}));
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1}));
  CHECK(t.gave_up_ms == 1000);
  CHECK(t.rule == SynGiveUpRule::UserTimeout);
}

TEST_CASE("Linux TCP_USER_TIMEOUT of 0 means the default schedule", "[tcp][syn][linux]") {
  const Timeline t = silent_host(linux_schedule(6, 4, SynOverrides{std::nullopt, 0ms}));
  CHECK(t.gave_up_ms == 131000);
}

TEST_CASE("Linux beyond 6 retries: waits cap at TCP_RTO_MAX and the model timeout adds 120 s a retry",
          "[tcp][syn][linux]") {
  CHECK(linux_model_timeout(6, 1s, 120s) == 127s);
  CHECK(linux_model_timeout(7, 1s, 120s) == 247s);
  CHECK(linux_model_timeout(8, 1s, 120s) == 367s);
  const Timeline t = silent_host(linux_schedule(8, 0));
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1, 3, 7, 15, 31, 63, 127, 247}));
  CHECK(t.gave_up_ms == 367000);
}

TEST_CASE("FreeBSD sends SYNs at 0 1 3.2 7.4 15.6 31.8 64 s and the 75 s keepinit timer ends the attempt",
          "[tcp][syn][freebsd]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::FreeBsd)};
  const Timeline t = silent_host(schedule);
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1.0, 3.2, 7.4, 15.6, 31.8, 64.0}));
  CHECK(t.gave_up_ms == 75000);
  CHECK(t.rule == SynGiveUpRule::EstablishmentTimeout);
  CHECK(t.timers.back() == SynTimer::EstablishmentTimeout);
  CHECK(t.outcome == SynOutcome::TimedOut);
  CHECK(schedule.policy().provenance == Provenance::DerivedFromSource);
}

TEST_CASE("FreeBSD with keepinit disabled gives up on the 13th expiry at 512 s", "[tcp][syn][freebsd]") {
  SynPolicy policy = freebsd_syn_policy();
  policy.establishment_timeout.reset();
  const Timeline t = silent_host(SynSchedule{policy});
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1.0, 3.2, 7.4, 15.6, 31.8, 64, 128, 192, 256, 320, 384, 448}));
  CHECK(t.gave_up_ms == 512000);
  CHECK(t.rule == SynGiveUpRule::RetransmissionBudget);
}

TEST_CASE("Winsock sends SYNs at 0 1 3 7 15 s and times out at the observed 21 s", "[tcp][syn][winsock]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::Winsock)};
  const Timeline t = silent_host(schedule);
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 1, 3, 7, 15}));
  CHECK(t.gave_up_ms == 21000);
  CHECK(t.rule == SynGiveUpRule::EstablishmentTimeout);
  CHECK(schedule.policy().provenance == Provenance::Observed);
}

TEST_CASE("Winsock MaxSynRetransmissions 2 and 6 give the observed 7 s and 123 s by doubling to a 60 s cap",
          "[tcp][syn][winsock]") {
  const Timeline two = silent_host(SynSchedule{winsock_syn_policy(WinsockSynSettings{1s, 2, std::nullopt})});
  INFO("timeline:\n" << two.story);
  CHECK(two.syn_ms == seconds({0, 1, 3}));
  CHECK(two.gave_up_ms == 7000);

  const Timeline six = silent_host(SynSchedule{winsock_syn_policy(WinsockSynSettings{1s, 6, std::nullopt})});
  INFO("timeline:\n" << six.story);
  CHECK(six.syn_ms == seconds({0, 1, 3, 7, 15, 31, 63}));
  CHECK(six.gave_up_ms == 123000);
}

TEST_CASE("Winsock keeps sending SYNs after a RST and refuses only when the last SYN is refused",
          "[tcp][syn][winsock]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::Winsock)};
  CHECK(schedule.policy().after_rst == SynAfterRst::RetryUntilLastSyn);
  using Action = SynRstDecision::Action;
  // Each RST brings the next SYN 0.5 s later: refused after about 2 s
  // (connect-source.md 3b, measured by others: 2002-2011 ms).
  for (int n = 1; n <= 4; ++n) {
    const SynRstDecision d = schedule.on_rst({n, std::chrono::milliseconds{500 * (n - 1)}});
    CHECK(d.action == Action::KeepWaiting);
    REQUIRE(d.next_syn_after);
    CHECK(*d.next_syn_after == 500ms);
  }
  const SynRstDecision last = schedule.on_rst({5, 2s});
  CHECK(last.action == Action::Refuse);
  CHECK_FALSE(last.next_syn_after);
  // A pause after a RST only makes sense for a system that retries after one.
  SynPolicy odd = syn_policy_for(SynPersonality::Linux);
  odd.syn_after_rst = 500ms;
  CHECK_THROWS_AS(odd.validate(), std::invalid_argument);
}

TEST_CASE("FreeRTOS+TCP sends SYNs at 0 3 9 s and gives up at 20 s after 3 SYNs", "[tcp][syn][freertos]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::FreeRtos)};
  const Timeline t = silent_host(schedule);
  INFO("timeline:\n" << t.story);
  CHECK(t.syn_ms == seconds({0, 3, 9}));
  CHECK(t.gave_up_ms == 20000);
  CHECK(t.rule == SynGiveUpRule::RetransmissionBudget);
  CHECK(t.outcome == SynOutcome::TimedOut);
}

TEST_CASE("FreeRTOS+TCP closes on a RST in SYN-SENT without waking the caller", "[tcp][syn][freertos]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::FreeRtos)};
  CHECK(schedule.on_rst({1, 0s}).action == SynRstDecision::Action::CloseWithoutWakingCaller);
  CHECK(schedule.policy().any_matching_segment_restarts_count);
}

TEST_CASE("TargetTCP is BSD-like with a 75 s give-up and says it is assumed", "[tcp][syn][targettcp]") {
  const SynSchedule schedule{syn_policy_for(SynPersonality::TargetTcp)};
  const Timeline t = silent_host(schedule);
  INFO("timeline:\n" << t.story);
  CHECK(t.gave_up_ms == 75000);
  CHECK(schedule.policy().provenance == Provenance::Assumed);
  CHECK(to_string(schedule.policy().provenance) == "assumed");
  CHECK(schedule.on_rst({1, 0s}).action == SynRstDecision::Action::Refuse);
}

TEST_CASE("Linux and FreeBSD refuse at once on a RST in SYN-SENT", "[tcp][syn]") {
  CHECK(SynSchedule{linux_syn_policy()}.on_rst({1, 0s}).action == SynRstDecision::Action::Refuse);
  CHECK(SynSchedule{freebsd_syn_policy()}.on_rst({3, 3200ms}).action == SynRstDecision::Action::Refuse);
}

TEST_CASE("every personality's policy is valid and says where it comes from", "[tcp][syn]") {
  for (const SynPersonality p : all_syn_personalities) {
    const SynPolicy policy = syn_policy_for(p);
    INFO(to_string(p));
    CHECK(policy.personality == p);
    CHECK_NOTHROW(policy.validate());
    CHECK_FALSE(policy.citation.empty());
  }
  CHECK(syn_policy_for(SynPersonality::Linux).provenance == Provenance::Measured);
  CHECK(to_string(SynPersonality::FreeRtos) == "freertos");
  CHECK(to_string(SynPersonality::TargetTcp) == "targettcp");
}

TEST_CASE("Linux socket options are refused on personalities that do not have them", "[tcp][syn]") {
  CHECK_THROWS_AS(SynSchedule(freebsd_syn_policy(), SynOverrides{1, std::nullopt}), std::invalid_argument);
  CHECK_THROWS_AS(SynSchedule(winsock_syn_policy(), SynOverrides{std::nullopt, 2500ms}), std::invalid_argument);
}

TEST_CASE("out-of-range TCP_SYNCNT TCP_USER_TIMEOUT and sysctls are refused naming the field", "[tcp][syn]") {
  const auto message = [](auto&& make) -> std::string {
    try {
      make();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message([] { (void)SynSchedule(linux_syn_policy(), SynOverrides{0, std::nullopt}); }).find("tcp_syncnt") !=
        std::string::npos);
  CHECK(message([] { (void)SynSchedule(linux_syn_policy(), SynOverrides{128, std::nullopt}); }).find("tcp_syncnt") !=
        std::string::npos);
  CHECK(message([] { (void)SynSchedule(linux_syn_policy(), SynOverrides{std::nullopt, -1ms}); })
            .find("tcp_user_timeout") != std::string::npos);
  CHECK(message([] { (void)linux_syn_policy(LinuxSynSysctls{0, 4}); }).find("tcp_syn_retries") != std::string::npos);
  CHECK(message([] { (void)linux_syn_policy(LinuxSynSysctls{6, -1}); }).find("tcp_syn_linear_timeouts") !=
        std::string::npos);
  CHECK(message([] { (void)winsock_syn_policy(WinsockSynSettings{1s, 10, 21s}); }).find("max_syn_retransmissions") !=
        std::string::npos);
  SynPolicy no_citation = linux_syn_policy();
  no_citation.citation = "";
  CHECK(message([&] { no_citation.validate(); }).find("citation") != std::string::npos);
  SynPolicy no_flat = linux_syn_policy();
  no_flat.flat_waits = 0;
  CHECK(message([&] { no_flat.validate(); }).find("flat_waits") != std::string::npos);
}

TEST_CASE("asking about an attempt with no SYN sent is refused", "[tcp][syn]") {
  const SynSchedule schedule{linux_syn_policy()};
  CHECK_THROWS_AS(schedule.after_syn_sent({0, 0s}), std::invalid_argument);
  CHECK_THROWS_AS(schedule.on_timer_expiry({1, -1s}), std::invalid_argument);
}
