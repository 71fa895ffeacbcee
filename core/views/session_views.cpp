#include "views/session_views.hpp"

namespace netstep::views {

void SessionViews::rewound() {
  diagram.reset();
  timeline.reset();
  table.reset();
  calls.reset();
  tcb.reset();
}

void SessionViews::revealed(const TraceEvent& event) {
  diagram.apply(event);
  timeline.apply(event);
  table.apply(event);
  calls.apply(event);
  tcb.apply(event);
}

}  // namespace netstep::views
