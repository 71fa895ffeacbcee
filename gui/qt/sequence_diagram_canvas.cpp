#include "sequence_diagram_canvas.hpp"

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "base/time.hpp"
#include "diagram_geometry.hpp"

namespace netstep::gui {

namespace {

constexpr int top_margin = 6;

const QColor frame_colour{30, 60, 140};
const QColor drop_colour{190, 30, 30};
const QColor state_fill{220, 235, 250};
const QColor call_colour{20, 110, 50};
const QColor current_fill{255, 243, 176};
const QColor selected_line{40, 120, 220};

void arrow_head(QPainter& painter, QPointF tip, bool pointing_right) {
  const double d = pointing_right ? -8.0 : 8.0;
  QPainterPath head;
  head.moveTo(tip);
  head.lineTo(tip.x() + d, tip.y() - 4.0);
  head.lineTo(tip.x() + d, tip.y() + 4.0);
  head.closeSubpath();
  painter.fillPath(head, painter.pen().color());
}

}  // namespace

SequenceDiagramCanvas::SequenceDiagramCanvas(QWidget* parent) : QWidget{parent} {
  setAutoFillBackground(true);
  setBackgroundRole(QPalette::Base);
}

void SequenceDiagramCanvas::show_model(const views::SequenceModel* model) {
  model_ = model;
  const std::size_t lifelines = model_ != nullptr ? model_->lifelines().size() : 0;
  const std::size_t rows = model_ != nullptr ? model_->rows().size() : 0;
  setMinimumSize(DiagramGeometry::minimum_width(lifelines), row_top(rows) + top_margin);
  update();
}

int SequenceDiagramCanvas::row_top(std::size_t index) {
  return top_margin + static_cast<int>(index) * DiagramGeometry::row_height;
}

void SequenceDiagramCanvas::select_event(std::optional<std::uint64_t> event) {
  selected_ = event;
  update();
}

std::optional<std::uint64_t> SequenceDiagramCanvas::event_at(int y) const {
  if (model_ == nullptr || y < top_margin) return std::nullopt;
  const auto index = static_cast<std::size_t>((y - top_margin) / DiagramGeometry::row_height);
  if (index >= model_->rows().size()) return std::nullopt;
  return model_->rows()[index].event;
}

void SequenceDiagramCanvas::mousePressEvent(QMouseEvent* event) {
  if (const auto clicked = event_at(static_cast<int>(event->position().y()))) Q_EMIT event_clicked(*clicked);
  QWidget::mousePressEvent(event);
}

std::optional<std::size_t> SequenceDiagramCanvas::lifeline_of(const std::string& host) const {
  const auto& names = model_->lifelines();
  const auto it = std::find(names.begin(), names.end(), host);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

void SequenceDiagramCanvas::paintEvent(QPaintEvent* event) {
  QPainter painter{this};
  painter.setRenderHint(QPainter::Antialiasing);
  if (model_ == nullptr) return;
  const DiagramGeometry geometry{width(), model_->lifelines().size()};
  const QRect area = event->rect();
  const auto& rows = model_->rows();

  // The rows in view only.
  const int h = DiagramGeometry::row_height;
  const std::size_t first = static_cast<std::size_t>(std::max(0, (area.top() - top_margin) / h));
  const std::size_t last = std::min(rows.size(), static_cast<std::size_t>(std::max(0, (area.bottom() - top_margin) / h + 1)));

  if (const auto current = model_->current_row(); current && *current >= first && *current < last) {
    painter.fillRect(QRect{0, row_top(*current), width(), h}, current_fill);
  }
  painter.setPen(QPen{Qt::gray, 1, Qt::DashLine});
  for (std::size_t i = 0; i < geometry.lifelines; ++i) {
    const int x = geometry.lifeline_x(i);
    painter.drawLine(x, area.top(), x, area.bottom());
  }
  for (std::size_t i = first; i < last; ++i) {
    const views::DiagramRow& row = rows[i];
    const int top = row_top(i);
    if (selected_ && row.event == *selected_) {
      painter.setPen(QPen{selected_line, 2});
      painter.drawRect(QRect{1, top + 1, width() - 3, h - 2});
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect{6, top, DiagramGeometry::gutter - 10, h}, Qt::AlignVCenter | Qt::AlignLeft,
                     QString::fromStdString("#" + std::to_string(row.event) + "  " +
                                            format_seconds(row.time.time_since_epoch())));
    switch (row.kind) {
      case views::DiagramRow::Kind::Frame: paint_frame(painter, row, top); break;
      case views::DiagramRow::Kind::State: paint_state(painter, row, top); break;
      case views::DiagramRow::Kind::Call: paint_call(painter, row, top); break;
    }
  }
}

void SequenceDiagramCanvas::paint_frame(QPainter& painter, const views::DiagramRow& row, int top) const {
  if (!row.arrow || *row.arrow >= model_->arrows().size()) return;
  const views::Arrow& arrow = model_->arrows()[*row.arrow];
  const DiagramGeometry geometry{width(), model_->lifelines().size()};
  const double y = top + DiagramGeometry::row_height * 0.72;
  const auto from = lifeline_of(arrow.from);
  // A frame nobody sent (a rule's answer on the wire) starts at the gutter.
  const int from_x = from ? geometry.lifeline_x(*from) : DiagramGeometry::gutter;

  int span_left = from_x;
  int span_right = from_x;
  painter.setPen(QPen{frame_colour, 1.5});
  for (const std::string& host : arrow.to) {
    const auto to = lifeline_of(host);
    if (!to) continue;
    const int to_x = geometry.lifeline_x(*to);
    painter.drawLine(QPointF(from_x, y), QPointF(to_x, y));
    arrow_head(painter, QPointF(to_x, y), to_x > from_x);
    span_left = std::min(span_left, to_x);
    span_right = std::max(span_right, to_x);
  }
  QString label = QString::fromStdString(arrow.label);
  if (arrow.dropped) {
    // Lost on the way: half an arrow towards the neighbour, ending in a cross.
    const bool rightwards = !from || *from + 1 < geometry.lifelines;
    const int end_x = from_x + (rightwards ? 1 : -1) * geometry.spacing() / 2;
    if (!arrow.delivered()) {
      painter.setPen(QPen{drop_colour, 1.5});
      painter.drawLine(QPointF(from_x, y), QPointF(end_x, y));
      span_left = std::min(span_left, end_x);
      span_right = std::max(span_right, end_x);
    }
    painter.setPen(QPen{drop_colour, 2.5});
    painter.drawLine(QPointF(end_x - 5, y - 5), QPointF(end_x + 5, y + 5));
    painter.drawLine(QPointF(end_x - 5, y + 5), QPointF(end_x + 5, y - 5));
    label += QString::fromStdString("  \u2717 dropped by " + arrow.dropped_by +
                                    (arrow.drop_reason.empty() ? "" : ": " + arrow.drop_reason));
  }
  if (!arrow.delivered() && !arrow.dropped) {
    // Sent, not yet taken by anyone: where it goes shows when it arrives.
    painter.setPen(QPen{frame_colour, 1.5, Qt::DotLine});
    painter.drawLine(QPointF(from_x - 12, y), QPointF(from_x + 12, y));
    label += tr("  (on the wire)");
  }
  // The label above the arrow, centred on it; nothing else is on the row, so
  // it may reach past the arrow's ends, between the gutter and the right edge.
  const int room = width() - DiagramGeometry::gutter - 8;
  const int label_width = std::min(room, std::max(span_right - span_left, painter.fontMetrics().horizontalAdvance(label) + 8));
  const int label_left = std::clamp((span_left + span_right) / 2 - label_width / 2, DiagramGeometry::gutter,
                                    width() - 4 - label_width);
  const QRect box{label_left, top, label_width, static_cast<int>(y) - top - 1};
  painter.setPen(arrow.dropped && !arrow.delivered() ? drop_colour : palette().color(QPalette::Text));
  painter.drawText(box, Qt::AlignHCenter | Qt::AlignBottom,
                   painter.fontMetrics().elidedText(label, Qt::ElideRight, label_width));
}

void SequenceDiagramCanvas::paint_state(QPainter& painter, const views::DiagramRow& row, int top) const {
  const auto lifeline = lifeline_of(row.host);
  if (!lifeline) return;
  const DiagramGeometry geometry{width(), model_->lifelines().size()};
  const QString text = QString::fromStdString(row.text);
  const int w = painter.fontMetrics().horizontalAdvance(text) + 14;
  const QRect box{geometry.lifeline_x(*lifeline) - w / 2, top + 3, w, DiagramGeometry::row_height - 6};
  painter.setPen(QPen{frame_colour, 1});
  painter.setBrush(state_fill);
  painter.drawRoundedRect(box, 5, 5);
  painter.setBrush(Qt::NoBrush);
  painter.setPen(Qt::black);
  painter.drawText(box, Qt::AlignCenter, text);
}

void SequenceDiagramCanvas::paint_call(QPainter& painter, const views::DiagramRow& row, int top) const {
  const auto lifeline = lifeline_of(row.host);
  if (!lifeline) return;
  const DiagramGeometry geometry{width(), model_->lifelines().size()};
  const int x = geometry.lifeline_x(*lifeline);
  painter.setPen(QPen{call_colour, 2});
  painter.drawLine(x - 4, top + DiagramGeometry::row_height / 2, x + 4, top + DiagramGeometry::row_height / 2);
  QFont italic = painter.font();
  italic.setItalic(true);
  painter.save();
  painter.setFont(italic);
  // Alone on its row: the call may run on past the next lifeline.
  const int room = std::max(2 * geometry.spacing(), width() - x) - 16;
  painter.drawText(QRect{x + 8, top, room, DiagramGeometry::row_height}, Qt::AlignVCenter | Qt::AlignLeft,
                   painter.fontMetrics().elidedText(QString::fromStdString(row.text), Qt::ElideRight, room));
  painter.restore();
}

}  // namespace netstep::gui
