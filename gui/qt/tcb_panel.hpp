#pragma once
// The TCB variables of every TCP connection as of its last tcp_tcb event
// (TcbView): one row per variable, one column per connection.
#include <QTableWidget>

#include "debug_panel.hpp"

namespace netstep::gui {

class TcbPanel final : public QTableWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit TcbPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;
};

}  // namespace netstep::gui
