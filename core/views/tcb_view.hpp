#pragma once
// The TCB variables of each TCP connection (tcp_tcb events): their values
// at this point of the trace, and each one's history as (time, value)
// points, one point per change, for a plot.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/time.hpp"
#include "trace/trace_event.hpp"
#include "views/connection_key.hpp"

namespace netstep::views {

class TcbView {
 public:
  using Series = std::vector<std::pair<Instant, double>>;  // durations in seconds
  struct Connection {
    TcpVariables now;
    Instant updated;
    std::map<std::string, Series> history;  // by variable: "snd_una", "cwnd", "srtt", ...
  };

  void apply(const TraceEvent& event);
  void reset() { connections_.clear(); }
  [[nodiscard]] const std::map<ConnectionKey, Connection>& connections() const { return connections_; }
  // One connection's variables, one per line:
  //   SND.UNA  1411452507 ...
  [[nodiscard]] std::string text(const ConnectionKey& key) const;
  // Every connection's, each under its name.
  [[nodiscard]] std::string text() const;

 private:
  std::map<ConnectionKey, Connection> connections_;
};

}  // namespace netstep::views
