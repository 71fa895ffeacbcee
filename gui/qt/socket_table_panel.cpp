#include "socket_table_panel.hpp"

#include "table_rows.hpp"

namespace netstep::gui {

SocketTablePanel::SocketTablePanel(QWidget* parent) : QTableWidget{parent} {
  prepare_table(*this, {tr("Host"), tr("State"), tr("Recv-Q"), tr("Send-Q"), tr("Local Address:Port"),
                        tr("Peer Address:Port")});
}

void SocketTablePanel::show_state(const DebuggerState& state) {
  std::vector<QStringList> rows;
  for (const auto& [key, row] : state.views.table.rows()) {
    // The trace does not say how much received data waits: Recv-Q is "-", as in the CLI.
    rows.push_back({QString::fromStdString(key.host), QString::fromStdString(row.state), QStringLiteral("-"),
                    row.send_queue ? QString::number(*row.send_queue) : QStringLiteral("-"),
                    QString::fromStdString(key.local.to_string()), QString::fromStdString(key.remote.to_string())});
  }
  fill_table(*this, rows);
}

QStringList SocketTablePanel::contents() const { return table_contents(*this); }

}  // namespace netstep::gui
