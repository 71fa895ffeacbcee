#include "state_list_panel.hpp"

#include <QHeaderView>

#include "base/time.hpp"

namespace netstep::gui {

StateListPanel::StateListPanel(QWidget* parent) : QTreeWidget{parent} {
  setHeaderLabels({tr("connection / state"), tr("since"), tr("from"), tr("cause"), tr("RFC"), tr("#")});
  setRootIsDecorated(true);
  setUniformRowHeights(true);
  header()->setStretchLastSection(false);
}

void StateListPanel::show_state(const DebuggerState& state) {
  // Rebuilt each time: a handful of connections with a few states each.
  clear();
  for (const auto& [key, entries] : state.views.timeline.timelines()) {
    auto* connection = new QTreeWidgetItem{this, {QString::fromStdString(key.text())}};
    QFont bold = connection->font(0);
    bold.setBold(true);
    connection->setFont(0, bold);
    for (const views::StateTimeline::Entry& entry : entries) {
      new QTreeWidgetItem{connection,
                          {QString::fromStdString(entry.state),
                           QString::fromStdString(format_seconds(entry.since.time_since_epoch())),
                           QString::fromStdString(entry.from), QString::fromStdString(entry.cause),
                           QString::fromStdString(entry.rfc), QString::number(entry.event)}};
    }
  }
  expandAll();
  for (int c = 0; c < columnCount(); ++c) resizeColumnToContents(c);
}

QStringList StateListPanel::contents() const {
  QStringList lines;
  for (int i = 0; i < topLevelItemCount(); ++i) {
    const QTreeWidgetItem* connection = topLevelItem(i);
    lines << connection->text(0);
    for (int k = 0; k < connection->childCount(); ++k) {
      QStringList cells;
      for (int c = 0; c < columnCount(); ++c) cells << connection->child(k)->text(c);
      lines << "  " + cells.join(" | ");
    }
  }
  return lines;
}

}  // namespace netstep::gui
