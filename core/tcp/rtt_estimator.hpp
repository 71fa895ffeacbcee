#pragma once
// The retransmission timer's arithmetic: RFC 6298 (SRTT, RTTVAR, RTO,
// exponential backoff). It owns no timer and reads no clock: the sender
// feeds it round-trip samples and timer expiries and asks for the RTO.
//
// Karn's rule (RFC 6298 section 3) is the caller's duty, because only the
// caller knows how a sample was taken: never pass on_measurement() the time
// to the ACK of a segment that was retransmitted (the ACK may belong to
// either copy), unless the sample comes from the timestamp option, whose echo
// says which copy is acknowledged (RFC 7323 section 4.1). There is
// deliberately no "segment acked, was it retransmitted?" entry point here
// that could guess on the caller's behalf.
#include <cstdint>
#include <stdexcept>

#include "base/time.hpp"

namespace netstep::tcp {

// Bounds of the RTO. Defaults are RFC 6298's own numbers; presets give what
// real stacks ship. Constraints: every field positive, min <= initial <= max.
struct RtoConfig {
  Duration initial = 1s;       // RTO before any sample (section 2.1)
  Duration min = 1s;           // lower clamp (section 2.4: "SHOULD be 1 s")
  Duration max = 60s;          // upper clamp, also caps the backoff (2.5, 5.5)
  Duration granularity = 1ms;  // G, the clock granularity (section 2)

  // Throws std::invalid_argument naming the first impossible field.
  void validate() const {
    if (initial <= Duration::zero()) throw std::invalid_argument("rto: initial must be positive");
    if (min <= Duration::zero()) throw std::invalid_argument("rto: min must be positive");
    if (max <= Duration::zero()) throw std::invalid_argument("rto: max must be positive");
    if (granularity <= Duration::zero()) throw std::invalid_argument("rto: granularity must be positive");
    if (min > max) throw std::invalid_argument("rto: min must not exceed max");
    if (initial < min || initial > max) throw std::invalid_argument("rto: initial must lie between min and max");
  }

  // RFC 6298 as written: 1 s initial, 1 s floor, 60 s ceiling.
  [[nodiscard]] static constexpr RtoConfig rfc6298() { return {}; }

  // Linux's constants, quoted from our knowledge of include/net/tcp.h (not
  // from a measurement in this project): TCP_TIMEOUT_INIT = 1 s,
  // TCP_RTO_MIN = 200 ms, TCP_RTO_MAX = 120 s. Linux does not clamp
  // SRTT + 4*RTTVAR to TCP_RTO_MIN afterwards; it floors the variance term
  // at TCP_RTO_MIN (tcp_input.c, tcp_rtt_estimator / __tcp_set_rto), so its
  // RTO is at least SRTT + 200 ms. RFC 6298's G plays exactly that role, so
  // the preset sets G = 200 ms as well. Linux's per-window tracking of the
  // largest deviation (mdev_max) is not modelled.
  [[nodiscard]] static constexpr RtoConfig linux_kernel() { return {1s, 200ms, 120s, 200ms}; }

  // True when the bounds are the ones RFC 6298 requires or recommends
  // (initial and floor at least 1 s, ceiling at least 60 s). The Linux
  // preset is not: its 200 ms floor is a documented deviation.
  [[nodiscard]] constexpr bool within_rfc6298_bounds() const { return initial >= 1s && min >= 1s && max >= 60s; }
};

class RttEstimator {
 public:
  // Validates the configuration (std::invalid_argument on failure).
  explicit RttEstimator(RtoConfig config = {});

  // One round-trip sample R (>= 0; a negative one throws). The first sets
  // SRTT = R, RTTVAR = R/2 (section 2.2); later ones update RTTVAR from the
  // old SRTT first, then SRTT (section 2.3, alpha 1/8, beta 1/4). The RTO is
  // then recomputed from scratch, which also drops any backoff: the
  // "collapse" the note after section 5.7 describes.
  void on_measurement(Duration r);

  // The retransmission timer expired: double the RTO, up to max (5.5).
  void back_off();

  // Forget the backoff without a new sample (for the caller that decides, as
  // the note after RFC 6298 5.7 allows, that the path is working again).
  void reset_backoff() { backoff_ = 0; }

  // RFC 6298 5.7: call once when the handshake completes if a SYN timed out
  // on the way. With no sample yet, an RTO below 3 s is raised to 3 s (and
  // the backoff cleared) before data flows. With a sample (timestamps on the
  // SYN,ACK) the measured RTO stands, as Linux does (tcp_init_metrics).
  void on_handshake_after_syn_timeout();

  // clamp(SRTT + max(G, 4*RTTVAR), min, max), or the initial RTO before any
  // sample; then doubled once per backoff, never above max.
  [[nodiscard]] Duration rto() const;
  // Without backoff: what the timer is after a fresh sample.
  [[nodiscard]] Duration base_rto() const;

  [[nodiscard]] bool has_measurement() const { return has_measurement_; }
  [[nodiscard]] Duration srtt() const { return srtt_; }      // zero before the first sample
  [[nodiscard]] Duration rttvar() const { return rttvar_; }  // zero before the first sample
  [[nodiscard]] std::uint32_t backoff_count() const { return backoff_; }
  [[nodiscard]] const RtoConfig& config() const { return config_; }

 private:
  RtoConfig config_;
  Duration initial_;  // config_.initial, or 3 s after on_handshake_after_syn_timeout()
  Duration srtt_{};
  Duration rttvar_{};
  bool has_measurement_ = false;
  std::uint32_t backoff_ = 0;
};

}  // namespace netstep::tcp
