#pragma once
// Each TCP connection's states in order: which state, since when, what
// caused the change and the RFC section that says so (tcp_state events).
#include <map>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "trace/trace_event.hpp"
#include "views/connection_key.hpp"

namespace netstep::views {

class StateTimeline {
 public:
  struct Entry {
    std::string state;
    Instant since;
    std::string from;
    std::string cause;
    std::string rfc;  // empty when the event names none
    std::uint64_t event = 0;
  };

  void apply(const TraceEvent& event);
  void reset() { timelines_.clear(); }
  [[nodiscard]] const std::map<ConnectionKey, std::vector<Entry>>& timelines() const { return timelines_; }
  //   client 10.0.0.1:42251 > 10.0.0.2:80
  //     0.000000  SYN-SENT      from CLOSED  (connect / snd SYN; RFC 9293 3.10.4)  #3
  [[nodiscard]] std::string text() const;

 private:
  std::map<ConnectionKey, std::vector<Entry>> timelines_;
};

}  // namespace netstep::views
