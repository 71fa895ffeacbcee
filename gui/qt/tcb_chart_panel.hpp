#pragma once
// cwnd and ssthresh (bytes, left axis) and RTO (seconds, right axis) of one
// TCP connection over virtual time, from the TCB view's history, with the
// session's current time marked by a vertical line. A box picks the
// connection.
#include <QWidget>
#include <cstdint>

#include "debug_panel.hpp"

class QChart;
class QChartView;
class QComboBox;

namespace netstep::gui {

class TcbChartPanel final : public QWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit TcbChartPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  // The connection, then each series as "name: (t, v) (t, v) ...".
  [[nodiscard]] QStringList contents() const override;

 private:
  void plot();

  QComboBox* connection_;
  QChartView* view_;
  QChart* chart_;
  const views::TcbView* tcb_ = nullptr;
  Instant now_{};
};

}  // namespace netstep::gui
