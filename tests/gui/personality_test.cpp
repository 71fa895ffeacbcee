// The socket calls dock spells a refusal as the personality does, and the
// personality selector rebuilds the run in place.
#include <catch2/catch.hpp>

#include "gui_test_app.hpp"

namespace netstep::gui::test {
namespace {

TEST_CASE("a refused connect reads ECONNREFUSED on linux and WSAECONNREFUSED on winsock", "[gui]") {
  app();
  MainWindow window;
  REQUIRE(window.open_scenario(lab("refused.yaml"), "linux").isEmpty());
  window.continue_run();
  REQUIRE(window.session()->at_end());
  CHECK(has_line(dock(window, "Socket calls"), {"connect(fd 3)", "| ECONNREFUSED | 111 |"}));
  CHECK(has_line(dock(window, "Sequence diagram"), {"server -> client", "RST,ACK"}));

  REQUIRE(window.set_personality("winsock").isEmpty());
  CHECK(window.personality() == "winsock");
  window.continue_run();
  REQUIRE(window.session()->at_end());
  const QStringList calls = dock(window, "Socket calls");
  CHECK(has_line(calls, {"connect(fd 3)", "| WSAECONNREFUSED | 10061 |"}));
  CHECK_FALSE(has_line(calls, {"| ECONNREFUSED | 111 |"}));
  screenshot(window, "refused-winsock-end");
}

}  // namespace
}  // namespace netstep::gui::test
