#pragma once
// The sequence diagram's drawing surface: a row of cells, each one glyph in
// one ink, written out as plain text or with ANSI colours. Counting glyphs,
// not bytes, is what keeps a row within the terminal's width when the UTF-8
// box-drawing characters are on.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::diagram {

// What colour a cell is drawn in. Plain is the terminal's own colour; the
// host inks follow one another, one per lifeline, and repeat after six.
enum class Ink : std::uint8_t { Plain, Lost, Success, Failure, FirstHost };
[[nodiscard]] Ink host_ink(std::size_t host);

struct Glyph {
  char32_t code = U' ';
  Ink ink = Ink::Plain;
};

// UTF-8 text as glyphs, all in one ink (a byte that is not UTF-8 becomes '?').
[[nodiscard]] std::vector<Glyph> glyphs(std::string_view text, Ink ink = Ink::Plain);

class CanvasRow {
 public:
  explicit CanvasRow(std::size_t width) : cells_(width) {}
  [[nodiscard]] std::size_t width() const { return cells_.size(); }
  [[nodiscard]] const Glyph& at(std::size_t column) const { return cells_.at(column); }

  // Anything past the width is left out: a row never grows.
  void put(std::size_t column, Glyph glyph);
  void put(std::size_t column, char32_t code, Ink ink) { put(column, Glyph{code, ink}); }
  // Returns the column after the last glyph written.
  std::size_t write(std::size_t column, std::span<const Glyph> text);
  std::size_t write(std::size_t column, std::string_view text, Ink ink);

  // Trailing blanks are dropped; colours are ANSI escapes, reset at the end.
  [[nodiscard]] std::string render(bool colour) const;

 private:
  std::vector<Glyph> cells_;
};

// `text` in at most `room` columns: cut and ended with `ellipsis` if longer.
[[nodiscard]] std::vector<Glyph> fit(std::vector<Glyph> text, std::size_t room, std::string_view ellipsis);

// Lines of at most `first` columns, then `next`, broken at spaces (a word
// longer than a line is cut where the line ends).
[[nodiscard]] std::vector<std::vector<Glyph>> wrap(std::span<const Glyph> text, std::size_t first, std::size_t next);

}  // namespace netstep::diagram
