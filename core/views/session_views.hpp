#pragma once
// Every view model, fed by one debug session: each revealed trace event goes
// to each of them, and a rewind starts them all over. What a front end draws
// from (the Qt debugger's docks, `netstep debug`'s commands).
#include <string>
#include <vector>

#include "debug/debug_session.hpp"
#include "views/sequence_model.hpp"
#include "views/socket_calls.hpp"
#include "views/socket_table.hpp"
#include "views/state_timeline.hpp"
#include "views/tcb_view.hpp"

namespace netstep::views {

class SessionViews final : public debug::RevealListener {
 public:
  // `lifelines`: the sequence diagram's hosts, in order (DebugSession::hosts()).
  explicit SessionViews(std::vector<std::string> lifelines = {}) : diagram{std::move(lifelines)} {}

  void rewound() override;
  void revealed(const TraceEvent& event) override;

  SequenceModel diagram;
  StateTimeline timeline;
  SocketTable table;
  SocketCalls calls;
  TcbView tcb;
};

}  // namespace netstep::views
