#pragma once
// What the GUI tests share: one QApplication on the offscreen platform (no
// display needed), the docks' contents by title, screenshots.
#include <QApplication>
#include <QMap>
#include <QString>
#include <QStringList>

#include "main_window.hpp"

namespace netstep::gui::test {

QApplication& app();
// A scenario in labs/scenarios.
[[nodiscard]] QString lab(const QString& name);
// Each dock's title and what it shows.
[[nodiscard]] QMap<QString, QStringList> docks(const MainWindow& window);
[[nodiscard]] QStringList dock(const MainWindow& window, const QString& title);
// Whether some line of `lines` contains every one of `parts`.
[[nodiscard]] bool has_line(const QStringList& lines, const QStringList& parts);
// Saves the window as screenshots/NAME.png in the build tree; returns the path.
QString screenshot(MainWindow& window, const QString& name);

}  // namespace netstep::gui::test
