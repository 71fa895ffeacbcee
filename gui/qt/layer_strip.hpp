#pragma once
// driver eth arp ipv4 icmp udp tcp socket app: one label per layer, the
// layer of the last trace event shown (session.current_layer()) lit up,
// so stepping into an event shows where in the stack it happens.
#include <QWidget>
#include <vector>

#include "debug_panel.hpp"

class QLabel;

namespace netstep::gui {

class LayerStrip final : public QWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit LayerStrip(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  // The CLI's spelling: "driver eth arp ipv4 icmp udp [tcp] socket app".
  [[nodiscard]] QStringList contents() const override;

 private:
  std::vector<QLabel*> labels_;
  int current_ = -1;
};

}  // namespace netstep::gui
