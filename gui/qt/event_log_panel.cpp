#include "event_log_panel.hpp"

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
  setUniformItemSizes(true);  // lays out long logs quickly
  setSelectionMode(QAbstractItemView::SingleSelection);
  QFont fixed{"Monospace"};
  fixed.setStyleHint(QFont::TypeWriter);
  setFont(fixed);
}

void EventLogPanel::show_state(const DebuggerState& state) {
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
    setCurrentRow(count() - 1);
    scrollToItem(item(count() - 1));
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
