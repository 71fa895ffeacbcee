#include "tcb_chart_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLineSeries>
#include <QSignalBlocker>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

namespace netstep::gui {

namespace {

double seconds(Instant t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// A variable holds its value until the next change: a step line, drawn on to `now`.
void add_steps(QLineSeries& series, const views::TcbView::Series& points, double now, double cap) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double t = seconds(points[i].first);
    if (i > 0) series.append(t, std::min(points[i - 1].second, cap));
    series.append(t, std::min(points[i].second, cap));
  }
  if (!points.empty()) series.append(std::max(now, seconds(points.back().first)), std::min(points.back().second, cap));
}

const views::TcbView::Series* history(const views::TcbView::Connection& c, const std::string& name) {
  const auto it = c.history.find(name);
  return it == c.history.end() ? nullptr : &it->second;
}

}  // namespace

TcbChartPanel::TcbChartPanel(QWidget* parent)
    : QWidget{parent}, connection_{new QComboBox{this}}, view_{new QChartView{this}}, chart_{new QChart} {
  view_->setChart(chart_);
  view_->setRenderHint(QPainter::Antialiasing);
  // Room for the lines: a small title, the legend beside the plot.
  chart_->legend()->setAlignment(Qt::AlignRight);
  chart_->setMargins(QMargins{4, 4, 4, 4});
  QFont title = chart_->titleFont();
  title.setPointSizeF(title.pointSizeF() * 0.9);
  chart_->setTitleFont(title);
  view_->setMinimumHeight(200);
  auto* layout = new QVBoxLayout{this};
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(connection_);
  layout->addWidget(view_, 1);
  connect(connection_, &QComboBox::currentIndexChanged, this, [this] { plot(); });
}

void TcbChartPanel::show_state(const DebuggerState& state) {
  tcb_ = &state.views.tcb;
  now_ = state.session.now();
  QStringList names;
  for (const auto& [key, c] : tcb_->connections()) names << QString::fromStdString(key.text());
  QStringList listed;
  for (int i = 0; i < connection_->count(); ++i) listed << connection_->itemText(i);
  if (names != listed) {
    // Keep the connection the student picked, if it is still there.
    const QString picked = connection_->currentText();
    const QSignalBlocker quiet{connection_};
    connection_->clear();
    connection_->addItems(names);
    connection_->setCurrentIndex(std::max(0, static_cast<int>(names.indexOf(picked))));
  }
  plot();
}

void TcbChartPanel::plot() {
  chart_->removeAllSeries();
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }
  if (tcb_ == nullptr || connection_->currentIndex() < 0) {
    chart_->setTitle(tr("no TCB variables traced yet"));
    return;
  }
  const auto it = std::next(tcb_->connections().begin(), connection_->currentIndex());
  const views::TcbView::Connection& c = it->second;
  chart_->setTitle(QString::fromStdString(it->first.text()));
  // The time axis ends a little after the plotted variables' last change, so they are
  // not squeezed to the left by a long quiet end (TIME-WAIT, ARP timers).
  double last_change = 0;
  for (const char* name : {"cwnd", "ssthresh", "rto"}) {
    const auto* points = history(c, name);
    if (points != nullptr && !points->empty()) last_change = std::max(last_change, seconds(points->back().first));
  }
  const double end = std::max(last_change * 1.1, 1e-6);
  const double now = std::min(seconds(now_), end);

  const auto* cwnd_points = history(c, "cwnd");
  double top = 1;
  if (cwnd_points != nullptr) {
    for (const auto& p : *cwnd_points) top = std::max(top, p.second);
  }
  // ssthresh starts "infinite" (the largest window): it is cut off at twice the largest cwnd.
  const double cap = 2 * top;

  auto* bytes = new QValueAxis;
  bytes->setTitleText(tr("bytes"));
  bytes->setRange(0, cap * 1.05);
  bytes->setLabelFormat("%.0f");
  auto* rto_axis = new QValueAxis;
  rto_axis->setTitleText(tr("RTO (s)"));
  auto* time = new QValueAxis;
  time->setTitleText(tr("virtual time (s)"));
  chart_->addAxis(time, Qt::AlignBottom);
  chart_->addAxis(bytes, Qt::AlignLeft);
  chart_->addAxis(rto_axis, Qt::AlignRight);

  double rto_top = 0.001;
  const auto add = [&](const char* name, const QString& title, QValueAxis* axis, double limit) {
    const auto* points = history(c, name);
    if (points == nullptr) return;
    auto* series = new QLineSeries;
    series->setName(title);
    add_steps(*series, *points, now, limit);
    for (const QPointF& p : series->points()) {
      if (axis == rto_axis) rto_top = std::max(rto_top, p.y());
    }
    chart_->addSeries(series);
    series->attachAxis(time);
    series->attachAxis(axis);
  };
  add("cwnd", tr("cwnd"), bytes, cap);
  add("ssthresh", tr("ssthresh"), bytes, cap);
  add("rto", tr("RTO"), rto_axis, std::numeric_limits<double>::max());
  rto_axis->setRange(0, rto_top * 1.1);
  time->setRange(0, end);

  // Where the session stands now.
  auto* marker = new QLineSeries;
  // Later than the axis shows: the marker stands at its right edge, and says so.
  marker->setName(seconds(now_) > end ? tr("now (%1 s, later)").arg(seconds(now_)) : tr("now"));
  marker->append(now, 0);
  marker->append(now, cap * 1.05);
  marker->setPen(QPen{Qt::red, 1, Qt::DashLine});
  chart_->addSeries(marker);
  marker->attachAxis(time);
  marker->attachAxis(bytes);
}

QStringList TcbChartPanel::contents() const {
  QStringList lines{chart_->title()};
  for (const QAbstractSeries* s : chart_->series()) {
    const auto* line = qobject_cast<const QLineSeries*>(s);
    if (line == nullptr) continue;
    QStringList points;
    for (const QPointF& p : line->points()) points << QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y());
    lines << line->name() + ": " + points.join(' ');
  }
  return lines;
}

}  // namespace netstep::gui
