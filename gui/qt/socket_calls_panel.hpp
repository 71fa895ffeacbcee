#pragma once
// The socket calls dock (the "connect() panel"): every call as it returned,
// the result as the personality spells it, the error's name and number,
// the rule that decided it and the event that caused it (SocketCalls).
#include <QTableWidget>

#include "debug_panel.hpp"

namespace netstep::gui {

class SocketCallsPanel final : public QTableWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit SocketCallsPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;
};

}  // namespace netstep::gui
