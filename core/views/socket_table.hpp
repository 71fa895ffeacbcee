#pragma once
// The TCP connections as `ss -tan` lists them at this point of the trace:
// state, local and remote address, and the send queue (bytes sent and not
// yet acknowledged, SND.NXT - SND.UNA, from the tcp_tcb events). The trace
// does not say how much received data waits to be read, so Recv-Q is "-".
// A connection leaves the table when it reaches CLOSED, as in ss.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "trace/trace_event.hpp"
#include "views/connection_key.hpp"

namespace netstep::views {

class SocketTable {
 public:
  struct Row {
    std::string state;
    std::optional<std::uint32_t> send_queue;  // unknown until a tcp_tcb event
  };

  void apply(const TraceEvent& event);
  void reset() { rows_.clear(); }
  [[nodiscard]] const std::map<ConnectionKey, Row>& rows() const { return rows_; }
  //   Host    State        Recv-Q Send-Q Local Address:Port   Peer Address:Port
  [[nodiscard]] std::string text() const;

 private:
  std::map<ConnectionKey, Row> rows_;
};

}  // namespace netstep::views
