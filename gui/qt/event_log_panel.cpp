#include "event_log_panel.hpp"

#include <QSignalBlocker>

#include "base/time.hpp"
#include "sinks/narrative_sink.hpp"

namespace netstep::gui {

namespace {

QString event_line(const RecordedEvent& e) {
  return QString::fromStdString("#" + std::to_string(e.sequence) + "  " + format_seconds(e.time.time_since_epoch()) +
                                "  " + std::string{e.host} + "  " + std::string{to_string(e.layer)} + "  " +
                                narrate(debug::as_trace_event(e), NarrativeOptions::Detail::Full));
}

}  // namespace

EventLogPanel::EventLogPanel(QWidget* parent) : QListWidget{parent} {
  // A line clicked selects its event everywhere (its row is its number).
  connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) Q_EMIT event_selected(static_cast<quint64>(row));
  });
  setUniformItemSizes(true);  // lays out long logs quickly
  setSelectionMode(QAbstractItemView::SingleSelection);
  QFont fixed{"Monospace"};
  fixed.setStyleHint(QFont::TypeWriter);
  setFont(fixed);
}

void EventLogPanel::show_state(const DebuggerState& state) {
  // Rows come and go here: only the student's own pick is a selection.
  const QSignalBlocker quiet{this};
  if (state.session_number != session_number_) {
    clear();
    session_number_ = state.session_number;
  }
  // A re-run reveals the same events again: what is listed is a prefix of the history.
  const auto history = state.session.history();
  const int shown = static_cast<int>(history.size());
  while (count() > shown) delete takeItem(count() - 1);
  for (std::size_t i = static_cast<std::size_t>(count()); i < history.size(); ++i) addItem(event_line(history[i]));
  if (count() > 0) {
    // The event the student clicked, else the latest.
    const int row = state.selected_event && *state.selected_event < static_cast<std::uint64_t>(count())
                        ? static_cast<int>(*state.selected_event)
                        : count() - 1;
    setCurrentRow(row);
    scrollToItem(item(row));
  } else {
    setCurrentRow(-1);
  }
}

QStringList EventLogPanel::contents() const {
  QStringList lines;
  for (int i = 0; i < count(); ++i) lines << (item(i)->isSelected() ? "> " : "  ") + item(i)->text();
  return lines;
}

}  // namespace netstep::gui
