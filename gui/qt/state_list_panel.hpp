#pragma once
// Each TCP connection's states in order (StateTimeline): the state, since
// when, from which state, the cause and the RFC 9293 section.
#include <QTreeWidget>

#include "debug_panel.hpp"

namespace netstep::gui {

class StateListPanel final : public QTreeWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit StateListPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;
};

}  // namespace netstep::gui
