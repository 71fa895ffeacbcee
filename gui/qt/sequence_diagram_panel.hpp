#pragma once
// The sequence diagram dock: the host names on top, the rows below in a
// scroll area that keeps the current row in view.
#include <QWidget>

#include "debug_panel.hpp"

class QScrollArea;

namespace netstep::gui {

class SequenceDiagramCanvas;
class SequenceDiagramHeader;

class SequenceDiagramPanel final : public QWidget, public DebugPanel {
  Q_OBJECT

 public:
  explicit SequenceDiagramPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  [[nodiscard]] QStringList contents() const override;

 private:
  QScrollArea* scroll_;
  SequenceDiagramCanvas* canvas_;
  SequenceDiagramHeader* header_;
  const views::SequenceModel* model_ = nullptr;
};

}  // namespace netstep::gui
