#include "tcp/rtt_estimator.hpp"

#include <algorithm>

namespace netstep::tcp {

namespace {

// RFC 6298 section 2: K = 4, alpha = 1/8, beta = 1/4. Integer nanoseconds;
// the sub-nanosecond remainders dropped by the divisions are far below any
// clock a TCP has.
constexpr std::int64_t k_variance_factor = 4;

Duration abs(Duration d) { return d < Duration::zero() ? -d : d; }

}  // namespace

RttEstimator::RttEstimator(RtoConfig config) : config_(config), initial_(config.initial) { config_.validate(); }

void RttEstimator::on_measurement(Duration r) {
  if (r < Duration::zero()) throw std::invalid_argument("rtt: a round-trip sample cannot be negative");
  if (!has_measurement_) {
    // 2.2: the first sample.
    srtt_ = r;
    rttvar_ = r / 2;
    has_measurement_ = true;
  } else {
    // 2.3: RTTVAR uses the SRTT from before this sample, so it goes first.
    rttvar_ = (rttvar_ * 3) / 4 + abs(srtt_ - r) / 4;
    srtt_ = (srtt_ * 7) / 8 + r / 8;
  }
  backoff_ = 0;
}

void RttEstimator::back_off() {
  // Keep counting (the trace shows how many), but rto() saturates at max.
  if (backoff_ < UINT32_MAX) ++backoff_;
}

void RttEstimator::on_handshake_after_syn_timeout() {
  if (!has_measurement_) initial_ = std::clamp(std::max(initial_, Duration{3s}), config_.min, config_.max);
  backoff_ = 0;
}

Duration RttEstimator::base_rto() const {
  if (!has_measurement_) return initial_;
  const Duration rto = srtt_ + std::max(config_.granularity, rttvar_ * k_variance_factor);
  return std::clamp(rto, config_.min, config_.max);
}

Duration RttEstimator::rto() const {
  Duration rto = base_rto();
  // 5.5: double per expiry; stop as soon as the ceiling is reached so the
  // doubling can never overflow.
  for (std::uint32_t i = 0; i < backoff_ && rto < config_.max; ++i) rto = rto > config_.max / 2 ? config_.max : rto * 2;
  return rto;
}

}  // namespace netstep::tcp
