#pragma once
// The TCP connections as `ss -tan` lists them at this point (SocketTable).
#include <QTableWidget>

#include "debug_panel.hpp"

namespace netstep::gui {

class SocketTablePanel final : public QTableWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit SocketTablePanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;
};

}  // namespace netstep::gui
