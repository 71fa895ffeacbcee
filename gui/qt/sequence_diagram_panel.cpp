#include "sequence_diagram_panel.hpp"

#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include "diagram_export.hpp"
#include "diagram_geometry.hpp"
#include "sequence_diagram_canvas.hpp"
#include "sequence_diagram_header.hpp"

namespace netstep::gui {

SequenceDiagramPanel::SequenceDiagramPanel(QWidget* parent)
    : QWidget{parent},
      scroll_{new QScrollArea{this}},
      canvas_{new SequenceDiagramCanvas} {
  header_ = new SequenceDiagramHeader{canvas_, scroll_->horizontalScrollBar(), this};
  scroll_->setWidget(canvas_);
  scroll_->setWidgetResizable(true);
  auto* layout = new QVBoxLayout{this};
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(header_);
  layout->addWidget(scroll_);
  // The header follows the rows sideways, and their width when the dock is resized.
  connect(scroll_->horizontalScrollBar(), &QScrollBar::valueChanged, header_, qOverload<>(&QWidget::update));
  connect(scroll_->horizontalScrollBar(), &QScrollBar::rangeChanged, header_, qOverload<>(&QWidget::update));
  connect(canvas_, &SequenceDiagramCanvas::event_clicked, this, &SequenceDiagramPanel::event_selected);
}

void SequenceDiagramPanel::click_at(int y) {
  if (const auto event = canvas_->event_at(y)) Q_EMIT event_selected(*event);
}

void SequenceDiagramPanel::show_state(const DebuggerState& state) {
  model_ = &state.views.diagram;
  canvas_->show_model(model_);
  canvas_->select_event(state.selected_event);
  header_->show_lifelines(model_->lifelines());
  if (const auto current = model_->current_row()) {
    const int y = SequenceDiagramCanvas::row_top(*current) + DiagramGeometry::row_height / 2;
    scroll_->ensureVisible(scroll_->horizontalScrollBar()->value(), y, 0, DiagramGeometry::row_height * 2);
  }
}

QString SequenceDiagramPanel::export_to(const QString& path) const {
  if (model_ == nullptr || model_->rows().empty()) return tr("nothing to export yet: step first");
  return export_diagram(*header_, *canvas_, path);
}

QStringList SequenceDiagramPanel::contents() const {
  if (model_ == nullptr) return {};
  return QString::fromStdString(model_->text()).split('\n', Qt::SkipEmptyParts);
}

}  // namespace netstep::gui
