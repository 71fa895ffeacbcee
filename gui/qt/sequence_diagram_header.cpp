#include "sequence_diagram_header.hpp"

#include <QPainter>
#include <QScrollBar>

#include "diagram_geometry.hpp"

namespace netstep::gui {

SequenceDiagramHeader::SequenceDiagramHeader(const QWidget* canvas, const QScrollBar* bar, QWidget* parent)
    : QWidget{parent}, canvas_{canvas}, bar_{bar} {
  setFixedHeight(30);
  setAutoFillBackground(true);
  setBackgroundRole(QPalette::Window);
}

void SequenceDiagramHeader::show_lifelines(std::vector<std::string> names) {
  names_ = std::move(names);
  update();
}

void SequenceDiagramHeader::paintEvent(QPaintEvent*) {
  QPainter painter{this};
  QFont bold = painter.font();
  bold.setBold(true);
  painter.setFont(bold);
  painter.drawText(QRect{6, 0, DiagramGeometry::gutter, height()}, Qt::AlignVCenter | Qt::AlignLeft, tr("event  time"));
  const DiagramGeometry geometry{canvas_->width(), names_.size()};
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const int x = geometry.lifeline_x(i) - bar_->value();
    const QString name = QString::fromStdString(names_[i]);
    const int w = painter.fontMetrics().horizontalAdvance(name) + 16;
    const QRect box{x - w / 2, 4, w, height() - 8};
    painter.setPen(Qt::black);
    painter.setBrush(QColor{235, 235, 235});
    painter.drawRect(box);
    painter.drawText(box, Qt::AlignCenter, name);
  }
}

}  // namespace netstep::gui
