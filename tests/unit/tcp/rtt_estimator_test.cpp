#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "tcp/rtt_estimator.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {

// Bounds wide enough that the RFC formula shows through unclamped.
constexpr RtoConfig k_open_bounds{1s, 1ms, 60s, 1ms};

std::string validate_message(const RtoConfig& c) {
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("before any sample the RTO is the initial 1 s (RFC 6298 2.1)", "[tcp][rto]") {
  const RttEstimator rtt;
  CHECK_FALSE(rtt.has_measurement());
  CHECK(rtt.rto() == 1s);
  CHECK(rtt.srtt() == Duration::zero());
  CHECK(rtt.rttvar() == Duration::zero());
  CHECK(rtt.backoff_count() == 0);
}

TEST_CASE("the first sample sets SRTT to R and RTTVAR to R/2 (RFC 6298 2.2)", "[tcp][rto]") {
  RttEstimator rtt{k_open_bounds};
  rtt.on_measurement(100ms);
  CHECK(rtt.has_measurement());
  CHECK(rtt.srtt() == 100ms);
  CHECK(rtt.rttvar() == 50ms);
  // SRTT + max(G, 4 * RTTVAR) = 100 + 200
  CHECK(rtt.rto() == 300ms);
}

TEST_CASE("a second sample updates RTTVAR from the old SRTT before updating SRTT (RFC 6298 2.3)", "[tcp][rto]") {
  RttEstimator rtt{k_open_bounds};
  rtt.on_measurement(100ms);
  rtt.on_measurement(200ms);
  // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms (with the new SRTT it would be 59.375 ms)
  CHECK(rtt.rttvar() == 62500us);
  // SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 ms
  CHECK(rtt.srtt() == 112500us);
  // 112.5 + 4 * 62.5
  CHECK(rtt.rto() == 362500us);
}

TEST_CASE("an RTO below the floor is raised to the 1 s minimum (RFC 6298 2.4)", "[tcp][rto]") {
  RttEstimator rtt;  // RFC bounds
  rtt.on_measurement(100ms);
  CHECK(rtt.srtt() == 100ms);
  CHECK(rtt.rto() == 1s);
}

TEST_CASE("the variance term never falls below the clock granularity G", "[tcp][rto]") {
  RttEstimator rtt{RtoConfig{1s, 1ms, 60s, 10ms}};
  for (int i = 0; i < 60; ++i) rtt.on_measurement(100ms);
  CHECK(rtt.srtt() == 100ms);
  CHECK(rtt.rttvar() * 4 < 10ms);
  CHECK(rtt.rto() == 110ms);
}

TEST_CASE("an RTO above the ceiling is capped at 60 s (RFC 6298 2.5)", "[tcp][rto]") {
  RttEstimator rtt;
  rtt.on_measurement(50s);  // 50 + 4 * 25 = 150 s
  CHECK(rtt.rto() == 60s);
}

TEST_CASE("each expiry doubles the RTO until it reaches the ceiling (RFC 6298 5.5)", "[tcp][rto]") {
  RttEstimator rtt;
  const Duration expected[] = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s};
  for (const Duration e : expected) {
    CHECK(rtt.rto() == e);
    rtt.back_off();
  }
  CHECK(rtt.backoff_count() == 9);
  for (int i = 0; i < 1000; ++i) rtt.back_off();  // no overflow however long the peer stays silent
  CHECK(rtt.rto() == 60s);
}

TEST_CASE("a new sample collapses a backed-off RTO (note after RFC 6298 5.7)", "[tcp][rto]") {
  RttEstimator rtt{k_open_bounds};
  rtt.on_measurement(100ms);
  rtt.back_off();
  rtt.back_off();
  CHECK(rtt.rto() == 1200ms);
  rtt.on_measurement(100ms);
  CHECK(rtt.backoff_count() == 0);
  CHECK(rtt.rto() == rtt.base_rto());
}

TEST_CASE("reset_backoff returns to the base RTO and keeps SRTT and RTTVAR", "[tcp][rto]") {
  RttEstimator rtt{k_open_bounds};
  rtt.on_measurement(100ms);
  rtt.back_off();
  CHECK(rtt.rto() == 600ms);
  rtt.reset_backoff();
  CHECK(rtt.rto() == 300ms);
  CHECK(rtt.srtt() == 100ms);
  CHECK(rtt.rttvar() == 50ms);
}

TEST_CASE("a handshake whose SYN timed out starts data with a 3 s RTO when there is no sample (RFC 6298 5.7)",
          "[tcp][rto]") {
  RttEstimator rtt;
  rtt.back_off();
  rtt.on_handshake_after_syn_timeout();
  CHECK(rtt.backoff_count() == 0);
  CHECK(rtt.rto() == 3s);

  RttEstimator sampled{k_open_bounds};
  sampled.on_measurement(100ms);  // e.g. from timestamps on the SYN,ACK
  sampled.on_handshake_after_syn_timeout();
  CHECK(sampled.rto() == 300ms);
}

TEST_CASE("the Linux preset uses TCP_TIMEOUT_INIT TCP_RTO_MIN and TCP_RTO_MAX", "[tcp][rto]") {
  const RtoConfig linux_rto = RtoConfig::linux_kernel();
  CHECK(linux_rto.initial == 1s);
  CHECK(linux_rto.min == 200ms);
  CHECK(linux_rto.max == 120s);
  CHECK_FALSE(linux_rto.within_rfc6298_bounds());
  CHECK(RtoConfig::rfc6298().within_rfc6298_bounds());

  RttEstimator rtt{linux_rto};
  rtt.on_measurement(100ms);
  CHECK(rtt.rto() == 300ms);  // 100 ms + max(200 ms, 4 * 50 ms)
  for (int i = 0; i < 300; ++i) rtt.on_measurement(10ms);
  CHECK(rtt.rto() == 210ms);  // a steady 10 ms path: SRTT + 200 ms, as Linux's floor on the variance term gives
}

TEST_CASE("an impossible RTO configuration is refused naming the field", "[tcp][rto]") {
  CHECK(validate_message(RtoConfig{0s, 1s, 60s, 1ms}).find("initial") != std::string::npos);
  CHECK(validate_message(RtoConfig{1s, 0s, 60s, 1ms}).find("min") != std::string::npos);
  CHECK(validate_message(RtoConfig{1s, 1s, 60s, 0ms}).find("granularity") != std::string::npos);
  CHECK(validate_message(RtoConfig{1s, 2s, 1s, 1ms}).find("min must not exceed max") != std::string::npos);
  CHECK(validate_message(RtoConfig{500ms, 1s, 60s, 1ms}).find("initial") != std::string::npos);
  CHECK_THROWS_AS(RttEstimator(RtoConfig{1s, 1s, 60s, -1ms}), std::invalid_argument);
  CHECK(validate_message(RtoConfig::linux_kernel()).empty());
}

TEST_CASE("a negative round-trip sample is refused", "[tcp][rto]") {
  RttEstimator rtt;
  CHECK_THROWS_AS(rtt.on_measurement(-1ms), std::invalid_argument);
  CHECK_FALSE(rtt.has_measurement());
}
