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
  // The whole diagram (every row, the host names on top) as PNG or SVG.
  [[nodiscard]] QString export_to(const QString& path) const;
  // As a click on the row at `y` (canvas coordinates) would.
  void click_at(int y);

 Q_SIGNALS:
  // The student clicked a row: select its trace event everywhere.
  void event_selected(quint64 event);

 private:
  QScrollArea* scroll_;
  SequenceDiagramCanvas* canvas_;
  SequenceDiagramHeader* header_;
  const views::SequenceModel* model_ = nullptr;
};

}  // namespace netstep::gui
