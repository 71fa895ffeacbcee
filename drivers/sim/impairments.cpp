#include "sim/impairments.hpp"

#include <stdexcept>

namespace netstep::sim {

namespace {
void check_probability(double p, const char* field) {
  // !(p >= 0 && p <= 1) also rejects NaN.
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument(std::string{"link impairments: "} + field + " = " + std::to_string(p) +
                                " is not a probability in [0, 1]");
  }
}
}  // namespace

void Impairments::validate() const {
  if (delay < Duration::zero()) {
    throw std::invalid_argument("link impairments: delay = " + format_duration(delay) + " is negative");
  }
  if (jitter < Duration::zero()) {
    throw std::invalid_argument("link impairments: jitter = " + format_duration(jitter) + " is negative");
  }
  if (jitter > delay) {
    throw std::invalid_argument("link impairments: jitter (" + format_duration(jitter) +
                                ") exceeds delay (" + format_duration(delay) +
                                "), so a frame could arrive before it was sent");
  }
  if (reorder_delay < Duration::zero()) {
    throw std::invalid_argument("link impairments: reorder_delay = " + format_duration(reorder_delay) +
                                " is negative");
  }
  check_probability(loss, "loss");
  check_probability(duplicate, "duplicate");
  check_probability(reorder, "reorder");
  check_probability(corrupt, "corrupt");
}

}  // namespace netstep::sim
