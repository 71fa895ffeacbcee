#pragma once
// What every dock of the debugger is: it shows the session's current state
// (redrawn after each move), and can say what it shows as lines of text, so
// a test can compare a dock before and after going back.
#include <QStringList>
#include <cstdint>
#include <optional>

#include "debug/debug_session.hpp"
#include "views/session_views.hpp"

namespace netstep::gui {

struct DebuggerState {
  const debug::DebugSession& session;
  const views::SessionViews& views;
  std::uint64_t session_number;  // changes when the session is built anew (another file or personality)
  // The trace event the student clicked (an arrow in the diagram, a line of
  // the log) since the last move; the panels show it instead of the latest.
  std::optional<std::uint64_t> selected_event;
};

class DebugPanel {
 public:
  virtual ~DebugPanel() = default;
  virtual void show_state(const DebuggerState& state) = 0;
  [[nodiscard]] virtual QStringList contents() const = 0;
};

}  // namespace netstep::gui
