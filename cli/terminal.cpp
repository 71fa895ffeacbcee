#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace netstep::cli {

Terminal detect_terminal() {
  Terminal t;
  if (isatty(STDOUT_FILENO) == 0) return t;
  t.colour = std::getenv("NO_COLOR") == nullptr;
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) t.width = size.ws_col;
  return t;
}

}  // namespace netstep::cli
