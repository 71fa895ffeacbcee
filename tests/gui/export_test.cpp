// The File menu's exports: the sequence diagram as PNG and SVG for a
// handout, the run as pcapng for Wireshark (read back with tshark when it
// is installed).
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"

namespace netstep::gui::test {
namespace {

TEST_CASE("the refused connect's diagram exports as PNG and SVG with every row", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("refused.yaml"), "linux").isEmpty());
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  CHECK(window.export_diagram(dir.filePath("empty.png")).contains("step first"));
  window.continue_run();
  const QString png = dir.filePath("refused.png");
  REQUIRE(window.export_diagram(png).isEmpty());
  const QImage image{png};
  REQUIRE(!image.isNull());
  // Every row of the run is in the picture, not only those in view.
  CHECK(image.height() > static_cast<int>(dock(window, "Sequence diagram").size()) * 20);
  const QString svg = dir.filePath("refused.svg");
  REQUIRE(window.export_diagram(svg).isEmpty());
  QFile file{svg};
  REQUIRE(file.open(QIODevice::ReadOnly));
  const QByteArray text = file.readAll();
  CHECK(text.startsWith("<?xml"));
  CHECK(text.contains("<svg"));
  CHECK(text.contains("RST,ACK"));
  CHECK(window.export_diagram("/nonexistent-dir/d.png").contains("cannot write"));
}

TEST_CASE("the run exports as a pcapng capture that tshark reads", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("refused.yaml"), "linux").isEmpty());
  QTemporaryDir dir;
  const QString path = dir.filePath("refused.pcapng");
  REQUIRE(window.export_capture(path).isEmpty());
  QFile file{path};
  REQUIRE(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  REQUIRE(bytes.size() > 28);
  CHECK(bytes.left(4) == QByteArray::fromHex("0a0d0d0a"));  // a pcapng section header block
  CHECK(window.export_capture("/nonexistent-dir/r.pcapng").contains("cannot write"));
  const QString tshark = QStandardPaths::findExecutable("tshark");
  if (tshark.isEmpty()) {
    WARN("tshark not installed: the capture was not read back");
    return;
  }
  QProcess run;
  run.start(tshark, {"-r", path});
  REQUIRE(run.waitForFinished(30000));
  const QString listing = QString::fromUtf8(run.readAllStandardOutput());
  CHECK(run.exitCode() == 0);
  CHECK(listing.contains("[RST, ACK]"));
  CHECK_FALSE(listing.contains("Malformed"));
}

}  // namespace
}  // namespace netstep::gui::test
