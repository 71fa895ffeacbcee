// The frame-detail dock: the current step's frame as a layer tree and a hex
// dump, a picked field's bytes lit.
#include <QDockWidget>
#include <QFileInfo>
#include <catch2/catch.hpp>

#include "frame_detail_panel.hpp"
#include "gui_test_app.hpp"

namespace netstep::gui::test {
namespace {

const QString detail = "Frame detail";

FrameDetailPanel* detail_panel(MainWindow& window) {
  for (const auto& [title, panel] : window.panels()) {
    if (title == detail) return dynamic_cast<FrameDetailPanel*>(panel);
  }
  return nullptr;
}

TEST_CASE("the frame detail takes the client's SYN apart and lights the bytes of the field picked", "[gui]") {
  app();
  MainWindow window;
  window.resize(1500, 950);
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  window.show();
  CHECK(dock(window, detail).front().startsWith("No frame yet"));
  for (int i = 0; i < 1000 && !has_line(dock(window, detail), {"Flags: [SYN]"}); ++i) window.step_into();
  const QStringList lines = dock(window, detail);
  REQUIRE(has_line(lines, {"Flags: [SYN]"}));
  CHECK(lines.front().contains("client"));
  CHECK(lines.front().contains("[SYN]"));
  CHECK(has_line(lines, {"Ethernet II"}));
  CHECK(has_line(lines, {"Internet Protocol version 4"}));
  CHECK(has_line(lines, {"    Maximum segment size: 1460"}));
  CHECK(has_line(lines, {"0000 "}));

  FrameDetailPanel* panel = detail_panel(window);
  REQUIRE(panel != nullptr);
  REQUIRE(panel->select_field("Sequence number"));
  CHECK(panel->lit_bytes() == std::pair<std::size_t, std::size_t>{38, 4});
  REQUIRE(panel->select_field("Maximum segment size"));
  CHECK(panel->lit_bytes() == std::pair<std::size_t, std::size_t>{54, 4});
  CHECK_FALSE(panel->select_field("No such field"));
  // Shown in its tab for the screenshot.
  for (QDockWidget* d : window.findChildren<QDockWidget*>()) {
    if (d->windowTitle() == detail) d->raise();
  }
  CHECK(QFileInfo{screenshot(window, "frame-detail-syn")}.size() > 0);
}

}  // namespace
}  // namespace netstep::gui::test
