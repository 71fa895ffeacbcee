#include "views/state_timeline.hpp"

namespace netstep::views {

void StateTimeline::apply(const TraceEvent& event) {
  const auto* change = std::get_if<TcpStateChanged>(&event.payload);
  if (change == nullptr) return;
  const ConnectionKey key = ConnectionKey::of(event.host, change->local, change->remote);
  Entry entry;
  entry.state = change->to;
  entry.since = event.time;
  entry.from = change->from;
  entry.cause = change->cause;
  entry.rfc = change->rfc;
  entry.event = event.sequence;
  timelines_[key].push_back(std::move(entry));
}

std::string StateTimeline::text() const {
  std::string out;
  for (const auto& [key, entries] : timelines_) {
    out += key.text() + "\n";
    for (const Entry& e : entries) {
      out += "  " + format_seconds(e.since.time_since_epoch()) + "  " + pad(e.state, 13) + " from " + pad(e.from, 12) +
             "(" + e.cause + (e.rfc.empty() ? "" : "; " + e.rfc) + ")  #" + std::to_string(e.event) + "\n";
    }
  }
  return out;
}

}  // namespace netstep::views
