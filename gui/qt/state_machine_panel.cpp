#include "state_machine_panel.hpp"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <QtMath>
#include <algorithm>
#include <optional>
#include <utility>

namespace netstep::gui {

namespace {

const QColor box_line{90, 90, 90};
const QColor lit_fill{255, 223, 120};
const QColor visited_fill{225, 236, 250};
const QColor idle_edge{200, 200, 200};
const QColor taken_edge{70, 90, 140};
const QColor last_edge{214, 110, 0};
const QColor off_figure{190, 30, 30};

constexpr int columns = 3;
constexpr int rows = 7;

// Where the figure's grid cells are in a widget of this size.
struct Layout {
  double cell_width;
  double cell_height;
  double box_width;
  double box_height;
  [[nodiscard]] QRectF box(const views::DiagramState& s) const {
    const double cx = (s.column + 0.5) * cell_width;
    const double cy = (s.row + 0.5) * cell_height;
    return {cx - box_width / 2, cy - box_height / 2, box_width, box_height};
  }
};

Layout layout_for(QSize size) {
  Layout l{};
  l.cell_width = size.width() / static_cast<double>(columns);
  l.cell_height = size.height() / static_cast<double>(rows);
  l.box_width = std::min(120.0, l.cell_width * 0.62);
  l.box_height = std::min(30.0, l.cell_height * 0.5);
  return l;
}

// The first box of a state (the top CLOSED for CLOSED).
const views::DiagramState* box_of_state(std::string_view name) {
  for (const views::DiagramState& s : views::rfc9293_states()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// Where the line from the centre of `box` towards `towards` leaves the box.
QPointF border_point(const QRectF& box, QPointF towards) {
  const QPointF c = box.center();
  const double dx = towards.x() - c.x();
  const double dy = towards.y() - c.y();
  if (dx == 0 && dy == 0) return c;
  const double sx = dx != 0 ? (box.width() / 2) / std::abs(dx) : 1e9;
  const double sy = dy != 0 ? (box.height() / 2) / std::abs(dy) : 1e9;
  const double s = std::min(sx, sy);
  return {c.x() + dx * s, c.y() + dy * s};
}

// The arrow between two boxes; arrows both ways between the same boxes
// (CLOSED <-> LISTEN, SYN-SENT <-> SYN-RECEIVED) are drawn side by side.
QLineF arrow_line(const Layout& l, const views::DiagramState& from, const views::DiagramState& to) {
  QRectF a = l.box(from);
  QRectF b = l.box(to);
  const bool both_ways = std::any_of(views::rfc9293_edges().begin(), views::rfc9293_edges().end(),
                                    [&](const views::DiagramEdge& e) { return e.from == to.id && e.to == from.id; });
  if (both_ways) {
    const QLineF centre{a.center(), b.center()};
    const QPointF normal = QPointF{-centre.dy(), centre.dx()} / std::max(1.0, centre.length()) * 6.0;
    a.translate(normal);
    b.translate(normal);
  }
  return {border_point(a, b.center()), border_point(b, a.center())};
}

void draw_arrow(QPainter& painter, const QLineF& line) {
  painter.drawLine(line);
  const double angle = std::atan2(line.dy(), line.dx());
  const QPointF tip = line.p2();
  QPainterPath head;
  head.moveTo(tip);
  head.lineTo(tip - QPointF{std::cos(angle - 0.4), std::sin(angle - 0.4)} * 9.0);
  head.lineTo(tip - QPointF{std::cos(angle + 0.4), std::sin(angle + 0.4)} * 9.0);
  head.closeSubpath();
  painter.fillPath(head, painter.pen().color());
}

// A label centred at `at`, moved inside `area` if it would stick out.
void draw_label(QPainter& painter, QPointF at, const QString& text, const QColor& colour, const QRectF& area) {
  const QFontMetricsF metrics{painter.font()};
  QRectF box = metrics.boundingRect(text).adjusted(-3, -1, 3, 1);
  box.moveCenter(at);
  if (box.right() > area.right()) box.moveRight(area.right());
  if (box.left() < area.left()) box.moveLeft(area.left());
  painter.fillRect(box, QColor{255, 255, 255, 230});
  painter.setPen(colour);
  painter.drawText(box, Qt::AlignCenter, text);
}

}  // namespace

StateMachineCanvas::StateMachineCanvas(QWidget* parent) : QWidget{parent} {
  setAutoFillBackground(true);
  setBackgroundRole(QPalette::Base);
  setMinimumSize(420, 420);
}

void StateMachineCanvas::show_diagram(const views::StateDiagram* diagram) {
  diagram_ = diagram;
  update();
}

void StateMachineCanvas::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter{this};
  painter.setRenderHint(QPainter::Antialiasing);
  const Layout l = layout_for(size());
  const std::string_view lit_box = diagram_ != nullptr ? diagram_->current_box() : std::string_view{"CLOSED"};
  const auto taken = [&](const views::DiagramEdge& e) {
    if (diagram_ == nullptr) return false;
    const auto& path = diagram_->path();
    return std::any_of(path.begin(), path.end(), [&](const auto& step) { return step.edge == &e; });
  };
  const auto visited = [&](std::string_view name) {
    if (diagram_ == nullptr) return false;
    const auto& path = diagram_->path();
    return std::any_of(path.begin(), path.end(), [&](const auto& step) { return step.to == name; });
  };
  const auto* last = diagram_ != nullptr && diagram_->last() ? &*diagram_->last() : nullptr;

  // Every arrow of the figure, faint, then the ones taken, darker.
  for (const views::DiagramEdge& e : views::rfc9293_edges()) {
    const bool was_taken = taken(e);
    painter.setPen(QPen{was_taken ? taken_edge : idle_edge, was_taken ? 2.0 : 1.0});
    draw_arrow(painter, arrow_line(l, *views::find_box(e.from), *views::find_box(e.to)));
  }
  // The last transition, in colour, with the trace's cause (written after
  // the boxes, so none hides it).
  std::optional<std::pair<QLineF, QPen>> cause_label;
  if (last != nullptr) {
    const views::DiagramState* from =
        last->edge != nullptr ? views::find_box(last->edge->from) : box_of_state(last->from);
    const views::DiagramState* to = last->edge != nullptr ? views::find_box(last->edge->to) : box_of_state(last->to);
    if (from != nullptr && to != nullptr && from != to) {
      const QLineF line = arrow_line(l, *from, *to);
      QPen pen{last->edge != nullptr ? last_edge : off_figure, 3.0};
      if (last->edge == nullptr) pen.setStyle(Qt::DashLine);
      painter.setPen(pen);
      draw_arrow(painter, line);
      cause_label = {line, pen};
    }
  }
  // The boxes on top.
  for (const views::DiagramState& s : views::rfc9293_states()) {
    const QRectF box = l.box(s);
    const bool lit = s.id == lit_box;
    painter.setPen(QPen{box_line, lit ? 2.5 : 1.0});
    painter.setBrush(lit ? lit_fill : visited(s.name) ? visited_fill : palette().base().color());
    painter.drawRoundedRect(box, 5, 5);
    QFont font = painter.font();
    font.setBold(lit);
    painter.setFont(font);
    painter.setPen(palette().text().color());
    painter.drawText(box, Qt::AlignCenter, QString::fromUtf8(s.name.data(), static_cast<int>(s.name.size())));
    font.setBold(false);
    painter.setFont(font);
  }
  if (cause_label) {
    const QString text = QString::fromStdString(last->cause) +
                         (last->edge == nullptr ? tr("  (not in the figure)") : QString{});
    draw_label(painter, cause_label->first.center(), text, cause_label->second.color(), QRectF{rect()});
  }
}

StateMachinePanel::StateMachinePanel(QWidget* parent)
    : QWidget{parent}, connections_{new QComboBox}, canvas_{new StateMachineCanvas} {
  auto* layout = new QVBoxLayout{this};
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(connections_);
  layout->addWidget(canvas_, 1);
  connections_->setToolTip(tr("The connection whose state the diagram shows"));
  connect(connections_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
}

void StateMachinePanel::show_state(const DebuggerState& state) {
  timeline_ = state.views.timeline;
  const QString chosen = connections_->currentText();
  const QSignalBlocker quiet{connections_};
  connections_->clear();
  for (const auto& [key, entries] : timeline_.timelines()) connections_->addItem(QString::fromStdString(key.text()));
  // The same connection as before the step, if it is still there.
  if (const int keep = connections_->findText(chosen); keep >= 0) connections_->setCurrentIndex(keep);
  redraw();
}

void StateMachinePanel::select_connection(const QString& key) {
  if (const int index = connections_->findText(key); index >= 0) connections_->setCurrentIndex(index);
}

void StateMachinePanel::redraw() {
  std::optional<views::ConnectionKey> key;
  const int index = connections_->currentIndex();
  if (index >= 0) {
    auto it = timeline_.timelines().begin();
    std::advance(it, index);
    key = it->first;
  }
  diagram_.select(timeline_, key);
  canvas_->show_diagram(&diagram_);
}

QStringList StateMachinePanel::contents() const {
  return QString::fromStdString(diagram_.text()).split('\n', Qt::SkipEmptyParts);
}

}  // namespace netstep::gui
