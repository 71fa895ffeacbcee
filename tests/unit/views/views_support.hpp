#pragma once
// A debug session on a lab scenario with every view model listening.
#include "debug_support.hpp"
#include "views/session_views.hpp"

namespace netstep::views::test {

template <class Payload>
std::vector<const RecordedEvent*> all_of(std::span<const RecordedEvent> events) {
  std::vector<const RecordedEvent*> out;
  for (const RecordedEvent& e : events) {
    if (e.as<Payload>() != nullptr) out.push_back(&e);
  }
  return out;
}

}  // namespace netstep::views::test
