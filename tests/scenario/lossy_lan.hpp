#pragma once
// The impairments the lossy scenario runs put on a LAN cable: 50 us each
// way, 5% loss, 5% reordered by 200 us, 5% duplicated.
#include <chrono>

#include "sim/impairments.hpp"

namespace netstep::test {

inline sim::Impairments lossy_lan() {
  using namespace std::chrono_literals;
  sim::Impairments lossy;
  lossy.delay = 50us;
  lossy.loss = 0.05;
  lossy.reorder = 0.05;
  lossy.reorder_delay = 200us;
  lossy.duplicate = 0.05;
  return lossy;
}

}  // namespace netstep::test
