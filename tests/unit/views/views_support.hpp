#pragma once
// A debug session on a lab scenario with every view model listening.
#include "debug_support.hpp"
#include "views/sequence_model.hpp"
#include "views/socket_calls.hpp"
#include "views/socket_table.hpp"
#include "views/state_timeline.hpp"
#include "views/tcb_view.hpp"

namespace netstep::views::test {

struct AllViews final : debug::RevealListener {
  SequenceModel diagram;
  StateTimeline timeline;
  SocketTable table;
  SocketCalls calls;
  TcbView tcb;
  void rewound() override {
    diagram.reset();
    timeline.reset();
    table.reset();
    calls.reset();
    tcb.reset();
  }
  void revealed(const TraceEvent& e) override {
    diagram.apply(e);
    timeline.apply(e);
    table.apply(e);
    calls.apply(e);
    tcb.apply(e);
  }
};

template <class Payload>
std::vector<const RecordedEvent*> all_of(std::span<const RecordedEvent> events) {
  std::vector<const RecordedEvent*> out;
  for (const RecordedEvent& e : events) {
    if (e.as<Payload>() != nullptr) out.push_back(&e);
  }
  return out;
}

inline ConnectionKey key_of(std::string_view host, Endpoint local, Endpoint remote) {
  ConnectionKey k;
  k.host = host;
  k.local = local;
  k.remote = remote;
  return k;
}

}  // namespace netstep::views::test
