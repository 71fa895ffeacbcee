#pragma once
// Where the sequence diagram puts things: the time column on the left, then
// one lifeline per host, spread evenly over the rest of the width, and the
// glyphs it draws them with (ASCII, or UTF-8 box drawing).
//
//     time (s)   client                    server                    router
//                  |                         |                         |
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::diagram {

struct GlyphSet {
  char32_t lifeline;
  char32_t line;
  char32_t head_right;
  char32_t head_left;
  char32_t lost;        // where a dropped frame ends
  char32_t from_wire;   // where a frame that no host sent starts (a rule's answer)
  std::string_view ellipsis;
};
[[nodiscard]] GlyphSet ascii_glyphs();
[[nodiscard]] GlyphSet unicode_glyphs();

class DiagramLayout {
 public:
  static constexpr std::size_t min_width = 60;   // narrower requests are drawn this wide
  static constexpr std::size_t time_width = 10;  // "131.000000"
  static constexpr std::size_t min_gap = 4;      // columns from one lifeline to the next

  // Throws std::invalid_argument for no hosts, or more than fit in `width`
  // at min_gap apart.
  DiagramLayout(std::size_t width, std::span<const std::string> hosts);

  [[nodiscard]] std::size_t width() const { return width_; }
  [[nodiscard]] std::size_t hosts() const { return columns_.size(); }
  [[nodiscard]] std::size_t column(std::size_t host) const { return columns_.at(host); }
  [[nodiscard]] std::size_t gap() const { return gap_; }
  // The first column after the time and its two spaces, and the last column.
  [[nodiscard]] std::size_t left_edge() const { return time_width + 2; }
  [[nodiscard]] std::size_t right_edge() const { return width_ - 1; }

 private:
  std::size_t width_;
  std::size_t gap_ = 0;
  std::vector<std::size_t> columns_;
};

}  // namespace netstep::diagram
