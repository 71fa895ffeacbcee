#pragma once
// What the CLI knows about where its output goes: a terminal (colour, its
// width) or a file or pipe (plain text, no width limit).
#include <cstddef>

namespace netstep::cli {

struct Terminal {
  bool colour = false;
  std::size_t width = 0;  // 0: unlimited
};

// Looks at standard output; NO_COLOR (https://no-color.org) turns colour off.
[[nodiscard]] Terminal detect_terminal();

}  // namespace netstep::cli
