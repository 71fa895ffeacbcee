// netstep-gui [FILE] [-p PERSONALITY] [--at N]: the Qt debugger on a scenario file
// (default: labs/scenarios/handshake.yaml in the source tree). docs/gui.md
#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

#include "main_window.hpp"

int main(int argc, char** argv) {
  QApplication app{argc, argv};
  QApplication::setApplicationName("netstep-gui");
  QCommandLineParser parser;
  parser.setApplicationDescription("Step through a netstep scenario: sequence diagram, socket calls, TCP states, "
                                   "TCB variables. Keys: F10 step, F11 step into, Shift+F11 step back, Ctrl+F10 back "
                                   "one trace event, F5 continue, Ctrl+R restart.");
  parser.addHelpOption();
  parser.addPositionalArgument("FILE", "The scenario (YAML); default labs/scenarios/handshake.yaml", "[FILE]");
  const QCommandLineOption personality{{"p", "personality"},
                                       "linux, freebsd, winsock, freertos or targettcp (default: the file's first)",
                                       "NAME"};
  parser.addOption(personality);
  const QCommandLineOption at{"at", "Start at trace event #N, as `netstep debug` numbers them", "N"};
  parser.addOption(at);
  parser.process(app);

  const QStringList files = parser.positionalArguments();
  const QString file = files.isEmpty() ? QStringLiteral(NETSTEP_SOURCE_DIR "/labs/scenarios/handshake.yaml") : files.front();
  netstep::gui::MainWindow window;
  if (const QString error = window.open_scenario(file, parser.value(personality)); !error.isEmpty()) {
    std::fprintf(stderr, "netstep-gui: %s\n", qPrintable(error));
    return 2;
  }
  if (parser.isSet(at)) {
    bool ok = false;
    const quint64 event = parser.value(at).toULongLong(&ok);
    if (!ok) {
      std::fprintf(stderr, "netstep-gui: --at %s: expected a trace event number\n", qPrintable(parser.value(at)));
      return 2;
    }
    window.go_to_event(event);
  }
  window.show();
  return QApplication::exec();
}
