#pragma once
// The view models one debug session feeds: every revealed trace event goes
// to each of them, and a rewind starts them all over. The docks draw from
// these and from the session, nothing else.
#include <string>
#include <vector>

#include "debug/debug_session.hpp"
#include "views/sequence_model.hpp"
#include "views/socket_calls.hpp"
#include "views/socket_table.hpp"
#include "views/state_timeline.hpp"
#include "views/tcb_view.hpp"

namespace netstep::gui {

class DebuggerViews final : public debug::RevealListener {
 public:
  explicit DebuggerViews(std::vector<std::string> lifelines) : diagram{std::move(lifelines)} {}

  void rewound() override;
  void revealed(const TraceEvent& event) override;

  views::SequenceModel diagram;
  views::StateTimeline timeline;
  views::SocketTable table;
  views::SocketCalls calls;
  views::TcbView tcb;
};

}  // namespace netstep::gui
