// The debugger's window on the handshake: the docks fill as it steps, hold
// the handshake at the end, and going back returns every dock to exactly
// what it showed on the way forward.
#include <QAction>
#include <QFileInfo>
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"

namespace netstep::gui::test {
namespace {

constexpr int enough_steps = 1000;  // the handshake has about 40 loop events

TEST_CASE("the handshake fills the docks and going back restores each one", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  window.show();

  // Forward one loop event at a time, remembering what every dock showed.
  std::vector<QMap<QString, QStringList>> seen{docks(window)};
  bool shot_syn = false;
  for (int i = 0; i < enough_steps && !window.session()->at_end(); ++i) {
    window.step();
    seen.push_back(docks(window));
    if (!shot_syn && has_line(seen.back()["Sequence diagram"], {"client -> server", "SYN seq=0"})) {
      const QString path = screenshot(window, "handshake-after-syn");
      CHECK(QFileInfo{path}.size() > 0);
      shot_syn = true;
    }
  }
  REQUIRE(window.session()->at_end());
  CHECK(shot_syn);
  CHECK(window.status_text().contains("at the end"));
  CHECK(QFileInfo{screenshot(window, "handshake-end")}.size() > 0);

  const QStringList diagram = dock(window, "Sequence diagram");
  CHECK(has_line(diagram, {"client -> server", "SYN seq=0"}));
  CHECK(has_line(diagram, {"server -> client", "SYN,ACK"}));
  CHECK(has_line(diagram, {"client -> server", "ACK seq=1 ack=1"}));
  CHECK(has_line(dock(window, "Socket calls"), {"client", "connect(fd 3)", "| 0 |", "T01: the handshake completed"}));
  const QStringList states = dock(window, "TCP states");
  CHECK(has_line(states, {"ESTABLISHED", "SYN-SENT"}));
  CHECK(has_line(states, {"ESTABLISHED", "SYN-RECEIVED"}));
  CHECK(has_line(states, {"TIME-WAIT"}));
  CHECK(dock(window, "Event log").size() == static_cast<int>(window.session()->history().size()));
  CHECK(has_line(dock(window, "TCB variables"), {"cwnd"}));
  CHECK(has_line(dock(window, "TCB plot"), {"cwnd: ("}));

  // Back one loop event at a time: each dock as it was.
  for (std::size_t k = seen.size() - 1; k-- > 0;) {
    window.step_back();
    INFO("after going back to loop event " << window.session()->position().text());
    const auto now = docks(window);
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
      INFO("dock " << it.key().toStdString());
      CHECK(it.value() == seen[k][it.key()]);
    }
    if (window.session()->position().loop_events == 0) break;
  }
  CHECK(window.session()->position().loop_events == 0);
  CHECK(docks(window) == seen.front());
}

TEST_CASE("stepping into and back one trace event moves the layer strip and the log", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  for (int i = 0; i < 12; ++i) window.step_into();
  const auto here = docks(window);
  CHECK(here["Layers"].front().contains('['));
  CHECK(here["Event log"].last().startsWith("> "));
  window.step_into();
  CHECK(docks(window) != here);
  window.step_back_into();
  CHECK(docks(window) == here);
  window.restart();
  CHECK(window.session()->position().loop_events == 0);
  CHECK(dock(window, "Socket calls").size() == 1);  // the header only
}

TEST_CASE("the keys are bound to the moves they are documented for", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("handshake.yaml"), "linux").isEmpty());
  QMap<QString, QAction*> by_key;
  for (QAction* action : window.findChildren<QAction*>()) {
    if (!action->shortcut().isEmpty()) by_key[action->shortcut().toString()] = action;
  }
  REQUIRE(by_key.contains("F10"));
  REQUIRE(by_key.contains("F11"));
  REQUIRE(by_key.contains("Shift+F11"));
  REQUIRE(by_key.contains("Ctrl+F10"));
  REQUIRE(by_key.contains("F5"));
  REQUIRE(by_key.contains("Ctrl+R"));
  CHECK(by_key.contains("Ctrl+O"));

  by_key["F10"]->trigger();
  CHECK(window.session()->position().loop_events == 1);
  const std::size_t after_one = window.session()->history().size();
  by_key["F11"]->trigger();
  CHECK(window.session()->position().loop_events == 2);
  CHECK(window.session()->position().revealed == 1);
  CHECK(window.session()->history().size() == after_one + 1);
  by_key["Ctrl+F10"]->trigger();  // one trace event back: the end of the first loop event
  CHECK(window.session()->history().size() == after_one);
  by_key["Shift+F11"]->trigger();
  CHECK(window.session()->position().loop_events == 0);
  by_key["F5"]->trigger();
  CHECK(window.session()->at_end());
  CHECK_FALSE(by_key["F10"]->isEnabled());  // nothing left to run
  by_key["Ctrl+R"]->trigger();
  CHECK(window.session()->position().loop_events == 0);
  CHECK(by_key["F10"]->isEnabled());
  CHECK_FALSE(by_key["Shift+F11"]->isEnabled());  // nothing to go back to
}

TEST_CASE("a file that does not load leaves the window as it was", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("handshake.yaml")).isEmpty());
  window.step();
  const auto before = docks(window);
  CHECK_FALSE(window.open_scenario(lab("no-such-file.yaml")).isEmpty());
  CHECK_FALSE(window.open_scenario(lab("handshake.yaml"), "plan9").isEmpty());
  CHECK(docks(window) == before);
}

TEST_CASE("go_to_event opens at a trace event and one past the end stops at the end", "[gui]") {
  // What `netstep lab open N --at 27` hands to netstep-gui: the same event
  // `netstep debug --at 27` stops at.
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("refused.yaml"), "linux").isEmpty());
  window.go_to_event(27);
  REQUIRE_FALSE(window.session()->history().empty());
  CHECK(window.session()->history().back().sequence == 27);
  window.go_to_event(3);  // back
  CHECK(window.session()->history().back().sequence == 3);
  window.go_to_event(100000);
  CHECK(window.session()->at_end());
  CHECK(window.status_text().contains("past the end"));
}

}  // namespace
}  // namespace netstep::gui::test
