#include "views/socket_table.hpp"

namespace netstep::views {

namespace {
// ss abbreviates the states that do not fit its column.
std::string ss_name(const std::string& state) {
  if (state == "ESTABLISHED") return "ESTAB";
  if (state == "SYN-RECEIVED") return "SYN-RECV";
  return state;
}
}  // namespace

void SocketTable::apply(const TraceEvent& event) {
  if (const auto* change = std::get_if<TcpStateChanged>(&event.payload)) {
    const ConnectionKey key = ConnectionKey::of(event.host, change->local, change->remote);
    if (change->to == "CLOSED") {
      rows_.erase(key);
    } else {
      rows_[key].state = change->to;
    }
  } else if (const auto* tcb = std::get_if<TcpVariables>(&event.payload)) {
    const auto it = rows_.find(ConnectionKey::of(event.host, tcb->local, tcb->remote));
    if (it != rows_.end()) it->second.send_queue = tcb->snd_nxt - tcb->snd_una;  // modulo 2^32, as sequence numbers are
  }
}

std::string SocketTable::text() const {
  std::string out = pad("Host", 8) + pad("State", 12) + pad("Recv-Q", 7) + pad("Send-Q", 7) + pad("Local Address:Port", 22) +
                    "Peer Address:Port\n";
  for (const auto& [key, row] : rows_) {
    out += pad(key.host, 8) + pad(ss_name(row.state), 12) + pad("-", 7) +
           pad(row.send_queue ? std::to_string(*row.send_queue) : "-", 7) + pad(key.local.to_string(), 22) +
           key.remote.to_string() + "\n";
  }
  return out;
}

}  // namespace netstep::views
