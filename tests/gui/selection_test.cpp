// Clicking an arrow of the sequence diagram selects its frame everywhere:
// the frame detail takes that frame apart, the log marks its line, the
// diagram outlines the row; the next step lets them follow the run again.
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"
#include "sequence_diagram_canvas.hpp"
#include "sequence_diagram_panel.hpp"

namespace netstep::gui::test {
namespace {

SequenceDiagramPanel* diagram_panel(MainWindow& window) {
  for (const auto& [title, panel] : window.panels()) {
    if (title == "Sequence diagram") return dynamic_cast<SequenceDiagramPanel*>(panel);
  }
  return nullptr;
}

TEST_CASE("a click on the SYN's arrow selects that frame in the frame detail and the log", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  window.show();
  window.continue_run();
  // The SYN's row in the diagram.
  const QStringList rows = dock(window, "Sequence diagram");
  int syn_row = -1;
  for (int i = 0; i < rows.size(); ++i) {
    if (rows[i].contains("client -> server") && rows[i].contains("SYN seq=0")) {
      syn_row = i;
      break;
    }
  }
  REQUIRE(syn_row >= 0);
  SequenceDiagramPanel* panel = diagram_panel(window);
  REQUIRE(panel != nullptr);
  // The text lists a header line first: row k of the canvas is line k + 1.
  const int data_row = syn_row - 1;
  REQUIRE(data_row >= 0);
  panel->click_at(SequenceDiagramCanvas::row_top(static_cast<std::size_t>(data_row)) + 5);
  REQUIRE(window.selected_event());
  const std::uint64_t event = *window.selected_event();
  CHECK(window.session()->history()[event].sequence == event);

  const QStringList detail = dock(window, "Frame detail");
  CHECK(detail.front().startsWith("#" + QString::number(event)));
  CHECK(has_line(detail, {"Flags: [SYN]"}));
  const QStringList log = dock(window, "Event log");
  CHECK(log[static_cast<int>(event)].startsWith("> #" + QString::number(event)));

  // A step (here: back one event) clears the selection.
  window.step_back_into();
  CHECK_FALSE(window.selected_event());
  CHECK_FALSE(dock(window, "Frame detail").front().startsWith("#" + QString::number(event) + " "));
}

}  // namespace
}  // namespace netstep::gui::test
