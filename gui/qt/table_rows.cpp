#include "table_rows.hpp"

#include <QHeaderView>
#include <QTableWidget>

namespace netstep::gui {

void prepare_table(QTableWidget& table, const QStringList& headers) {
  table.setColumnCount(static_cast<int>(headers.size()));
  table.setHorizontalHeaderLabels(headers);
  table.setEditTriggers(QAbstractItemView::NoEditTriggers);
  table.setSelectionBehavior(QAbstractItemView::SelectRows);
  table.verticalHeader()->setVisible(false);
  table.verticalHeader()->setDefaultSectionSize(table.fontMetrics().height() + 6);
  table.horizontalHeader()->setStretchLastSection(true);
  table.setWordWrap(false);
}

void fill_table(QTableWidget& table, const std::vector<QStringList>& rows) {
  table.setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const QStringList& cells = rows[static_cast<std::size_t>(r)];
    for (int c = 0; c < cells.size() && c < table.columnCount(); ++c) {
      QTableWidgetItem* item = table.item(r, c);
      if (item == nullptr) table.setItem(r, c, new QTableWidgetItem{cells[c]});
      else if (item->text() != cells[c]) item->setText(cells[c]);
    }
  }
  table.resizeColumnsToContents();
}

QStringList table_contents(const QTableWidget& table) {
  QStringList lines;
  QStringList header;
  for (int c = 0; c < table.columnCount(); ++c) {
    const QTableWidgetItem* item = table.horizontalHeaderItem(c);
    header << (item != nullptr ? item->text() : QString{});
  }
  lines << header.join(" | ");
  for (int r = 0; r < table.rowCount(); ++r) {
    QStringList cells;
    for (int c = 0; c < table.columnCount(); ++c) {
      const QTableWidgetItem* item = table.item(r, c);
      cells << (item != nullptr ? item->text() : QString{});
    }
    lines << cells.join(" | ");
  }
  return lines;
}

}  // namespace netstep::gui
