#pragma once
// Filling a read-only table from rows of text, and reading it back as
// lines (for the docks' contents()): the tables' shared chores.
#include <QStringList>
#include <vector>

class QTableWidget;

namespace netstep::gui {

// Sets up `table` as the docks want it: read-only, whole rows selected, no row numbers.
void prepare_table(QTableWidget& table, const QStringList& headers);
void fill_table(QTableWidget& table, const std::vector<QStringList>& rows);
// The header, then each row, cells joined by " | ".
[[nodiscard]] QStringList table_contents(const QTableWidget& table);

}  // namespace netstep::gui
