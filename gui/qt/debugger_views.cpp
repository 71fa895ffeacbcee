#include "debugger_views.hpp"

namespace netstep::gui {

void DebuggerViews::rewound() {
  diagram.reset();
  timeline.reset();
  table.reset();
  calls.reset();
  tcb.reset();
}

void DebuggerViews::revealed(const TraceEvent& event) {
  diagram.apply(event);
  timeline.apply(event);
  table.apply(event);
  calls.apply(event);
  tcb.apply(event);
}

}  // namespace netstep::gui
