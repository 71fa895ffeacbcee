#include "sinks/diagram_layout.hpp"

#include <algorithm>
#include <stdexcept>

namespace netstep::diagram {

namespace {
// A host name is centred over its lifeline; a long one is cut rather than
// pushing the lifelines in.
constexpr std::size_t max_name_overhang = 8;
// On a wide terminal, lifelines further apart than this only stretch the
// arrows; the space is left for the text beside them.
constexpr std::size_t max_gap = 50;
}  // namespace

GlyphSet ascii_glyphs() { return GlyphSet{U'|', U'-', U'>', U'<', U'x', U'*', "..."}; }

GlyphSet unicode_glyphs() { return GlyphSet{U'│', U'─', U'▶', U'◀', U'✕', U'●', "…"}; }

DiagramLayout::DiagramLayout(std::size_t width, std::span<const std::string> hosts)
    : width_{std::max(width, min_width)} {
  if (hosts.empty()) throw std::invalid_argument("sequence diagram: no hosts to draw");
  const std::size_t left_margin = std::min((hosts.front().size() + 1) / 2, max_name_overhang);
  const std::size_t right_margin = std::min(hosts.back().size() / 2 + 1, max_name_overhang);
  const std::size_t first = left_edge() + left_margin;
  const std::size_t last = right_edge() - right_margin;
  if (hosts.size() == 1) {
    gap_ = width_ - first;
    columns_.push_back(first);
    return;
  }
  gap_ = std::min((last - first) / (hosts.size() - 1), max_gap);
  if (gap_ < min_gap) {
    throw std::invalid_argument("sequence diagram: " + std::to_string(hosts.size()) + " hosts do not fit in " +
                                std::to_string(width_) + " columns");
  }
  for (std::size_t i = 0; i < hosts.size(); ++i) columns_.push_back(first + i * gap_);
}

}  // namespace netstep::diagram
