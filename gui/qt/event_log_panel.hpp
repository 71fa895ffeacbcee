#pragma once
// Every trace event revealed so far, one line each as the narrative tells
// it, the current one (or the one the student picked) selected. Going back shortens the list; going on
// appends to it, so a long run is not listed again at every step.
#include <QListWidget>
#include <cstdint>

#include "debug_panel.hpp"

namespace netstep::gui {

class EventLogPanel final : public QListWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit EventLogPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;

 Q_SIGNALS:
  // The student picked a line: select its trace event everywhere.
  void event_selected(quint64 event);

 private:
  std::uint64_t session_number_ = 0;
};

}  // namespace netstep::gui
