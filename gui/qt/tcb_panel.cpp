#include "tcb_panel.hpp"

#include <QHeaderView>
#include <type_traits>

#include "base/time.hpp"
#include "table_rows.hpp"

namespace netstep::gui {

namespace {

// The variables as RFC 9293 and RFC 6298 name them, in the trace's order.
const QStringList variable_names{"SND.UNA", "SND.NXT", "SND.WND", "RCV.NXT", "RCV.WND", "cwnd",
                                 "ssthresh", "SRTT",    "RTTVAR",  "RTO",     "backoff"};

QStringList values(const TcpVariables& v) {
  QStringList out;
  v.fields([&](std::string_view, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, Duration>) out << QString::fromStdString(format_seconds(value));
    else if constexpr (std::is_integral_v<T>) out << QString::number(value);
    // the endpoints name the column, not a row
  });
  return out;
}

}  // namespace

TcbPanel::TcbPanel(QWidget* parent) : QTableWidget{parent} {
  prepare_table(*this, {tr("variable")});
  horizontalHeader()->setStretchLastSection(false);
}

void TcbPanel::show_state(const DebuggerState& state) {
  QStringList headers{tr("variable")};
  std::vector<QStringList> columns;
  for (const auto& [key, connection] : state.views.tcb.connections()) {
    headers << QString::fromStdString(key.text() + " (as of " + format_seconds(connection.updated.time_since_epoch()) +
                                      ")");
    columns.push_back(values(connection.now));
  }
  setColumnCount(static_cast<int>(headers.size()));
  setHorizontalHeaderLabels(headers);
  std::vector<QStringList> rows;
  if (!columns.empty()) {
    for (int r = 0; r < variable_names.size(); ++r) {
      QStringList row{variable_names[r]};
      for (const QStringList& column : columns) row << (r < column.size() ? column[r] : QString{});
      rows.push_back(row);
    }
  }
  fill_table(*this, rows);
}

QStringList TcbPanel::contents() const { return table_contents(*this); }

}  // namespace netstep::gui
