#include "socket_calls_panel.hpp"

#include "base/time.hpp"
#include "table_rows.hpp"

namespace netstep::gui {

SocketCallsPanel::SocketCallsPanel(QWidget* parent) : QTableWidget{parent} {
  prepare_table(*this, {tr("#"), tr("time"), tr("host"), tr("call"), tr("result"), tr("error"), tr("number"),
                        tr("rule"), tr("caused by")});
}

void SocketCallsPanel::show_state(const DebuggerState& state) {
  std::vector<QStringList> rows;
  for (const views::SocketCalls::Call& call : state.views.calls.calls()) {
    const std::string cause =
        call.cause_event ? "#" + std::to_string(*call.cause_event) + (call.cause.empty() ? "" : ": " + call.cause) : "";
    rows.push_back({QString::number(call.event), QString::fromStdString(format_seconds(call.time.time_since_epoch())),
                    QString::fromStdString(call.host),
                    QString::fromStdString(call.call + "(fd " + std::to_string(call.fd) + ")"),
                    QString::fromStdString(call.result), QString::fromStdString(call.error),
                    call.error_number ? QString::number(*call.error_number) : QString{},
                    QString::fromStdString(call.rule), QString::fromStdString(cause)});
  }
  fill_table(*this, rows);
  if (!rows.empty()) scrollToBottom();
}

QStringList SocketCallsPanel::contents() const { return table_contents(*this); }

}  // namespace netstep::gui
