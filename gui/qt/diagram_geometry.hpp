#pragma once
// Where the sequence diagram puts things, shared by its header (the host
// names) and its canvas (the rows), so the two line up.
#include <cstddef>

namespace netstep::gui {

struct DiagramGeometry {
  static constexpr int row_height = 26;
  static constexpr int gutter = 130;       // left column: event number and time
  static constexpr int min_spacing = 180;  // between lifelines

  int width = 0;              // the canvas's
  std::size_t lifelines = 0;

  [[nodiscard]] int spacing() const;
  [[nodiscard]] int lifeline_x(std::size_t index) const;
  [[nodiscard]] static int minimum_width(std::size_t lifelines);
};

}  // namespace netstep::gui
