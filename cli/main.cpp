// netstep: the command line front end. Each verb lives in its own file;
// this one only assembles them.
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "connect_command.hpp"
#include "debug_command.hpp"
#include "lab_command.hpp"
#include "listen_command.hpp"
#include "ping_command.hpp"
#include "run_command.hpp"
#include "walkthrough_command.hpp"

int main(int argc, char** argv) {
  using namespace netstep::cli;
  CLI::App app{"netstep: a teaching TCP/IP stack you can step through"};
  app.set_version_flag("--version", std::string{"netstep "} + NETSTEP_VERSION);
  app.require_subcommand(1);

  int exit_code = exit_ok;
  PingOptions ping;
  add_ping_command(app, ping, exit_code);
  ConnectOptions connect;
  add_connect_command(app, connect, exit_code);
  ListenOptions listen;
  add_listen_command(app, listen, exit_code);
  std::string walkthrough_captures;
  add_walkthrough_command(app, walkthrough_captures, exit_code);
  RunOptions run;
  add_run_command(app, run, exit_code);
  DebugOptions debug;
  add_debug_command(app, debug, exit_code);
  LabOptions lab;
  add_lab_command(app, lab, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;  // DESIGN.md: 2 for bad input, whatever CLI11's own code
  } catch (const std::exception& e) {
    std::cerr << "netstep: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_code;
}
