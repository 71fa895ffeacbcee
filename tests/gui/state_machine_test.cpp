// The RFC 9293 state-diagram dock: the selected connection's state lit,
// its last transition with the trace's cause, and the transitions the
// figure does not draw said to be so.
#include <QDockWidget>
#include <QFileInfo>
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"
#include "state_machine_panel.hpp"

namespace netstep::gui::test {
namespace {

const QString machine = "State machine (RFC 9293)";

StateMachinePanel* machine_panel(MainWindow& window) {
  for (const auto& [title, panel] : window.panels()) {
    if (title == machine) return dynamic_cast<StateMachinePanel*>(panel);
  }
  return nullptr;
}

TEST_CASE("the state machine follows the client through the handshake and can show the server", "[gui]") {
  app();
  MainWindow window;
  window.resize(1500, 950);
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  window.show();
  CHECK(dock(window, machine) == QStringList{"no TCP connection yet"});
  // Step until the client is ESTABLISHED.
  for (int i = 0; i < 1000 && !has_line(dock(window, machine), {"client", "now ESTABLISHED"}); ++i) window.step();
  const QStringList established = dock(window, machine);
  REQUIRE(has_line(established, {"client", "now ESTABLISHED"}));
  CHECK(has_line(established, {"last: SYN-SENT -> ESTABLISHED", "figure: rcv SYN,ACK / snd ACK", "RFC 9293 3.10.7.3"}));
  CHECK(QFileInfo{screenshot(window, "state-machine-established")}.size() > 0);

  StateMachinePanel* panel = machine_panel(window);
  REQUIRE(panel != nullptr);
  panel->select_connection("server 10.0.0.2:80 > 10.0.0.1:" +
                           established.front().section(':', 1, 1).section(' ', 0, 0));
  const QStringList server = dock(window, machine);
  INFO(server.join("\n").toStdString());
  CHECK(server.front().startsWith("server"));
  // The listener's new connection: the figure's arrow out of LISTEN.
  CHECK(has_line(server, {"last: CLOSED -> SYN-RECEIVED", "figure: rcv SYN / snd SYN,ACK"}));
  // The selection survives a step.
  window.step();
  CHECK(dock(window, machine).front().startsWith("server"));
}

TEST_CASE("a refused connect ends on a dashed arrow the figure does not draw", "[gui]") {
  app();
  MainWindow window;
  window.resize(1500, 950);
  REQUIRE(window.open_scenario(lab("refused.yaml"), "linux").isEmpty());
  window.show();
  window.continue_run();
  const QStringList lines = dock(window, machine);
  CHECK(has_line(lines, {"now CLOSED"}));
  CHECK(has_line(lines, {"last: SYN-SENT -> CLOSED", "rcv RST,ACK: connection refused", "not drawn in the figure"}));
  CHECK(QFileInfo{screenshot(window, "state-machine-refused")}.size() > 0);
}

}  // namespace
}  // namespace netstep::gui::test
