#include "gui_test_app.hpp"

#include <QDir>

namespace netstep::gui::test {

QApplication& app() {
  static int argc = 1;
  static char name[] = "netstep-gui-tests";
  static char* argv[] = {name, nullptr};
  // Set before the application starts: tests run without a display.
  static const bool offscreen = [] {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    return true;
  }();
  (void)offscreen;
  // Never destroyed: a QApplication torn down among the static destructors
  // at exit crashes in Qt's input devices. The process ends right after.
  static auto* application = new QApplication{argc, argv};
  return *application;
}

QString lab(const QString& name) { return QStringLiteral(NETSTEP_SOURCE_DIR "/labs/scenarios/") + name; }

QMap<QString, QStringList> docks(const MainWindow& window) {
  QMap<QString, QStringList> out;
  for (const auto& [title, panel] : window.panels()) out[title] = panel->contents();
  return out;
}

QStringList dock(const MainWindow& window, const QString& title) { return docks(window).value(title); }

bool has_line(const QStringList& lines, const QStringList& parts) {
  for (const QString& line : lines) {
    bool all = true;
    for (const QString& part : parts) all = all && line.contains(part);
    if (all) return true;
  }
  return false;
}

QString screenshot(MainWindow& window, const QString& name) {
  QDir{}.mkpath(QStringLiteral(NETSTEP_SCREENSHOT_DIR));
  const QString path = QStringLiteral(NETSTEP_SCREENSHOT_DIR "/") + name + ".png";
  QApplication::processEvents();  // lay out and paint what the last move changed
  window.grab().save(path);
  return path;
}

}  // namespace netstep::gui::test
