#include "diagram_geometry.hpp"

#include <algorithm>

namespace netstep::gui {

int DiagramGeometry::spacing() const {
  if (lifelines == 0) return min_spacing;
  return std::max(min_spacing, (width - gutter) / static_cast<int>(lifelines));
}

int DiagramGeometry::lifeline_x(std::size_t index) const {
  return gutter + spacing() * static_cast<int>(index) + spacing() / 2;
}

int DiagramGeometry::minimum_width(std::size_t lifelines) {
  return gutter + min_spacing * static_cast<int>(std::max<std::size_t>(lifelines, 1));
}

}  // namespace netstep::gui
