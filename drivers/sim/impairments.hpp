#pragma once
// What a cable does to the frames it carries, per direction. A typed,
// validated configuration: bad values are a scenario author's mistake and
// throw std::invalid_argument at construction, never at run time.
#include <cstdint>
#include <string>

#include "base/time.hpp"

namespace netstep::sim {

struct Impairments {
  Duration delay = 10us;     // propagation delay, >= 0
  Duration jitter = 0ns;     // each frame's delay varies uniformly by +/- jitter; jitter <= delay
  double loss = 0.0;         // probability a frame vanishes
  double duplicate = 0.0;    // probability a frame arrives twice
  double reorder = 0.0;      // probability a frame is held back by reorder_delay, so later ones overtake it
  double corrupt = 0.0;      // probability one random bit of the frame is flipped
  Duration reorder_delay = 1ms;  // >= 0

  // Throws std::invalid_argument naming the field and the rule it breaks.
  void validate() const;
};

struct LinkConfig {
  std::string name;             // trace host name; empty: "link<N>" is chosen
  Impairments a_to_b;           // frames sent by the first endpoint given to connect()
  Impairments b_to_a;
  std::uint64_t bits_per_second = 0;  // 0: infinitely fast (no serialisation delay)

  // The same impairments both ways.
  static LinkConfig symmetric(Impairments both, std::uint64_t bits_per_second = 0) {
    return LinkConfig{{}, both, both, bits_per_second};
  }
  void validate() const {
    a_to_b.validate();
    b_to_a.validate();
  }
};

}  // namespace netstep::sim
