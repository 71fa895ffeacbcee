// The TCB plot: cwnd, ssthresh and RTO over virtual time, with the current
// time marked; on a lossy link cwnd moves as segments are lost and acked,
// and the diagram ends a lost frame's arrow in a cross.
#include <QDockWidget>
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"

namespace netstep::gui::test {
namespace {

TEST_CASE("the TCB plot draws cwnd ssthresh and RTO up to now on a lossy transfer", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("lossy-transfer.yaml"), "linux").isEmpty());
  window.show();
  CHECK(dock(window, "TCB plot").value(0) == "no TCB variables traced yet");
  // On to the first frame the link throws away: its arrow ends in a cross.
  for (int i = 0; i < 1000 && !has_line(dock(window, "Sequence diagram"), {"dropped"}); ++i) window.step();
  CHECK(has_line(dock(window, "Sequence diagram"), {"dropped"}));
  screenshot(window, "lossy-transfer-first-drop");
  window.continue_run();
  REQUIRE(window.session()->at_end());
  const QStringList plot = dock(window, "TCB plot");
  CHECK(plot.value(0).startsWith("client "));
  CHECK(has_line(plot, {"ssthresh: ("}));
  CHECK(has_line(plot, {"RTO: ("}));
  // The run ends long after the last change (TIME-WAIT, ARP timers): the
  // axis stops soon after the change, and the marker says the time is later.
  CHECK(has_line(plot, {"now (", " s, later): ("}));
  // cwnd changed many times: a step line of many points.
  for (const QString& line : plot) {
    if (line.startsWith("cwnd: ")) CHECK(line.count('(') > 10);
  }
  for (QDockWidget* d : window.findChildren<QDockWidget*>()) {
    if (d->windowTitle() == "TCB plot") d->raise();
  }
  screenshot(window, "lossy-transfer-tcb-plot");
}

}  // namespace
}  // namespace netstep::gui::test
