#pragma once
// The rows the sequence diagram is made of, drawn on the layout: the header,
// a frame's arrow (with its label on it, or on a row of its own above it
// when the arrow is too short), and text beside a lifeline (a state, a
// socket call, a note), wrapped to the width. None of them has its time
// yet: the sink writes it when it prints the row (stamp_time).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sinks/diagram_canvas.hpp"
#include "sinks/diagram_layout.hpp"

namespace netstep::diagram {

// One horizontal arrow. `tail` and `head` are columns; a tail or head on a
// lifeline leaves the lifeline's bar standing and draws next to it.
struct Arrow {
  std::size_t tail = 0;
  std::size_t head = 0;
  bool tail_on_lifeline = true;
  bool head_on_lifeline = true;
  bool from_wire = false;  // the tail is where a frame appeared on the wire, marked
  bool lost = false;       // ends in the lost glyph instead of a head
  std::vector<std::size_t> stops;  // lifelines passed on the way that took the frame too
  Ink ink = Ink::Plain;
};

class DiagramRows {
 public:
  DiagramRows(DiagramLayout layout, GlyphSet glyphs, std::span<const std::string> hosts);

  [[nodiscard]] const DiagramLayout& layout() const { return layout_; }
  [[nodiscard]] const GlyphSet& glyph_set() const { return glyphs_; }

  // The host names over their lifelines, then the lifelines alone.
  [[nodiscard]] std::vector<CanvasRow> header() const;
  [[nodiscard]] CanvasRow lifelines() const;
  // `text` starting at the host's lifeline, wrapped, continuation rows
  // indented by two; near the right edge, left of the lifeline instead.
  [[nodiscard]] std::vector<CanvasRow> beside(std::size_t host, std::span<const Glyph> text) const;
  // The same, from the left edge: for what belongs to no host (the wire).
  [[nodiscard]] std::vector<CanvasRow> aside(std::span<const Glyph> text) const;
  // One or two arrows on one row (a broadcast from the middle goes both
  // ways). The label goes on the longest stretch of arrow if it fits there,
  // else on a row of its own above. `after` follows a lost arrow's end
  // (the drop's reason), or joins the label's row if it does not fit.
  [[nodiscard]] std::vector<CanvasRow> message(std::span<const Arrow> arrows, std::span<const Glyph> label,
                                               std::span<const Glyph> after) const;

  // Writes the time, right-aligned, into the row's time column.
  void stamp_time(CanvasRow& row, const std::string& time) const;

 private:
  std::vector<CanvasRow> text_rows(std::size_t start, std::span<const Glyph> text) const;
  void draw(CanvasRow& row, const Arrow& arrow) const;
  [[nodiscard]] Ink ink_at(std::size_t column) const;  // the ink of the lifeline there, if any

  DiagramLayout layout_;
  GlyphSet glyphs_;
  std::vector<std::string> hosts_;
};

}  // namespace netstep::diagram
