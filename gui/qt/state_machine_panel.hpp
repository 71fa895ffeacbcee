#pragma once
// RFC 9293's state diagram (figure 5) with one connection on it
// (views::StateDiagram): its current state lit, the arrows it has taken
// drawn darker, the last one in colour with the cause the trace gave, and a
// dashed arrow when the figure draws none for it (a reset, a timeout).
// A selector above picks the connection; the client's first by default.
#include <QComboBox>
#include <QWidget>

#include "debug_panel.hpp"
#include "views/state_diagram.hpp"

namespace netstep::gui {

class StateMachineCanvas final : public QWidget {
  Q_OBJECT

 public:
  explicit StateMachineCanvas(QWidget* parent = nullptr);
  void show_diagram(const views::StateDiagram* diagram);

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  const views::StateDiagram* diagram_ = nullptr;
};

class StateMachinePanel final : public QWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit StateMachinePanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;
  // The connection shown, by its key's text ("client 10.0.0.1:42251 > 10.0.0.2:80").
  void select_connection(const QString& key);

 private:
  void redraw();

  QComboBox* connections_;
  StateMachineCanvas* canvas_;
  views::StateTimeline timeline_;  // a copy of the session's, as of the last step
  views::StateDiagram diagram_;
};

}  // namespace netstep::gui
