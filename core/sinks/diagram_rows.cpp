#include "sinks/diagram_rows.hpp"

#include <algorithm>

namespace netstep::diagram {

namespace {

// Text beside a lifeline near the right edge moves left rather than being
// squeezed into fewer columns than this.
constexpr std::size_t min_text_room = 24;

// Columns from `a` (exclusive) towards `b` that a label may use: not the end
// glyph next to `b`, and never `b` itself.
struct Stretch {
  std::size_t first = 0;  // lowest column
  std::size_t length = 0;
};

Stretch usable(std::size_t a, std::size_t b, bool b_on_lifeline) {
  const std::size_t low = std::min(a, b) + 1;
  const std::size_t high = std::max(a, b);  // exclusive
  std::size_t length = high > low ? high - low : 0;
  const std::size_t end_glyph = b_on_lifeline ? 1 : 0;  // the head stands next to a lifeline's bar
  length = length > end_glyph ? length - end_glyph : 0;
  // Towards the left, the head is at the low end.
  const std::size_t first = b < a ? low + end_glyph : low;
  return Stretch{first, length};
}

}  // namespace

DiagramRows::DiagramRows(DiagramLayout layout, GlyphSet glyphs, std::span<const std::string> hosts)
    : layout_{std::move(layout)}, glyphs_{glyphs}, hosts_{hosts.begin(), hosts.end()} {}

Ink DiagramRows::ink_at(std::size_t column) const {
  for (std::size_t h = 0; h < layout_.hosts(); ++h) {
    if (layout_.column(h) == column) return host_ink(h);
  }
  return Ink::Plain;
}

CanvasRow DiagramRows::lifelines() const {
  CanvasRow row{layout_.width()};
  for (std::size_t h = 0; h < layout_.hosts(); ++h) row.put(layout_.column(h), glyphs_.lifeline, host_ink(h));
  return row;
}

std::vector<CanvasRow> DiagramRows::header() const {
  CanvasRow names{layout_.width()};
  stamp_time(names, "time (s)");
  const std::size_t room = layout_.hosts() > 1 ? layout_.gap() - 1 : layout_.width() - layout_.column(0);
  for (std::size_t h = 0; h < layout_.hosts(); ++h) {
    const std::vector<Glyph> name = fit(glyphs(hosts_[h], host_ink(h)), room, glyphs_.ellipsis);
    // Centred over the lifeline, kept inside the diagram.
    const std::size_t column = layout_.column(h);
    const std::size_t half = name.empty() ? 0 : (name.size() - 1) / 2;
    const std::size_t start = std::min(std::max(column - std::min(column, half), layout_.left_edge()), layout_.width() - name.size());
    names.write(start, name);
  }
  return {names, lifelines()};
}

std::vector<CanvasRow> DiagramRows::text_rows(std::size_t start, std::span<const Glyph> text) const {
  std::vector<CanvasRow> rows;
  const std::size_t room = layout_.width() - start;
  const auto lines = wrap(text, room, room > 2 ? room - 2 : room);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CanvasRow row = lifelines();
    row.write(i == 0 || room <= 2 ? start : start + 2, lines[i]);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<CanvasRow> DiagramRows::beside(std::size_t host, std::span<const Glyph> text) const {
  const std::size_t column = layout_.column(host);
  const std::size_t right = layout_.width() - column;
  if (text.size() <= right || right >= min_text_room) return text_rows(column, text);
  // Near the right edge: the text stands left of the lifeline, whose bar
  // stays, as a block of lines ending just before it.
  const std::size_t left = column - 1 - layout_.left_edge();
  if (left <= right) return text_rows(column, text);
  const auto lines = wrap(text, left, left);
  std::size_t longest = 0;
  for (const auto& line : lines) longest = std::max(longest, line.size());
  std::vector<CanvasRow> rows;
  for (const auto& line : lines) {
    CanvasRow row = lifelines();
    row.write(column - 1 - longest, line);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<CanvasRow> DiagramRows::aside(std::span<const Glyph> text) const {
  return text_rows(layout_.left_edge(), text);
}

void DiagramRows::draw(CanvasRow& row, const Arrow& arrow) const {
  if (arrow.head == arrow.tail) return;
  const bool rightwards = arrow.head > arrow.tail;
  const auto step = [rightwards](std::size_t c, std::size_t n = 1) { return rightwards ? c + n : c - n; };
  for (std::size_t c = step(arrow.tail); c != arrow.head; c = step(c)) row.put(c, glyphs_.line, arrow.ink);
  if (!arrow.tail_on_lifeline) {
    row.put(arrow.tail, arrow.from_wire ? glyphs_.from_wire : glyphs_.line, arrow.ink);
  }
  const char32_t head = rightwards ? glyphs_.head_right : glyphs_.head_left;
  for (const std::size_t stop : arrow.stops) {
    row.put(rightwards ? stop - 1 : stop + 1, head, arrow.ink);
    row.put(stop, glyphs_.lifeline, ink_at(stop));
  }
  const std::size_t end = arrow.head_on_lifeline ? (rightwards ? arrow.head - 1 : arrow.head + 1) : arrow.head;
  if (arrow.lost) {
    row.put(end, glyphs_.lost, Ink::Lost);
  } else {
    row.put(end, head, arrow.ink);
  }
}

std::vector<CanvasRow> DiagramRows::message(std::span<const Arrow> arrows, std::span<const Glyph> label,
                                            std::span<const Glyph> after) const {
  CanvasRow row = lifelines();
  for (const Arrow& arrow : arrows) draw(row, arrow);

  // The longest stretch between a tail, the stops and the head.
  Stretch best;
  for (const Arrow& arrow : arrows) {
    std::vector<std::size_t> points{arrow.tail};
    std::vector<std::size_t> stops = arrow.stops;
    std::sort(stops.begin(), stops.end());
    if (arrow.head < arrow.tail) std::reverse(stops.begin(), stops.end());
    points.insert(points.end(), stops.begin(), stops.end());
    points.push_back(arrow.head);
    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
      const bool on_lifeline = i + 2 < points.size() || arrow.head_on_lifeline;
      const Stretch s = usable(points[i], points[i + 1], on_lifeline);
      if (s.length > best.length) best = s;
    }
  }
  // Two dashes at least on either side, so the arrow still reads as one.
  const bool label_inline = label.empty() || label.size() + 6 <= best.length;
  if (!label.empty() && label_inline) {
    const std::size_t start = best.first + (best.length - label.size()) / 2;
    row.put(start - 1, U' ', Ink::Plain);
    row.write(start, label);
    row.put(start + label.size(), U' ', Ink::Plain);
  }

  // A lost frame's reason goes after its end, towards the open side.
  bool after_placed = after.empty();
  for (const Arrow& arrow : arrows) {
    if (after_placed || !arrow.lost) continue;
    const bool rightwards = arrow.head > arrow.tail;
    const std::size_t end = arrow.head_on_lifeline ? (rightwards ? arrow.head - 1 : arrow.head + 1) : arrow.head;
    if (rightwards && end + 2 + after.size() <= layout_.width()) {
      row.put(end + 1, U' ', Ink::Plain);
      row.write(end + 2, after);
      after_placed = true;
    } else if (!rightwards && end >= layout_.left_edge() + 2 + after.size()) {
      row.put(end - 1, U' ', Ink::Plain);
      row.write(end - 1 - after.size(), after);
      after_placed = true;
    }
  }

  // What did not fit goes on rows of its own above the arrow, from just
  // right of its left end, or further left if that keeps it whole.
  std::size_t leftmost = layout_.right_edge();
  for (const Arrow& arrow : arrows) leftmost = std::min({leftmost, arrow.tail, arrow.head});
  std::vector<CanvasRow> rows;
  const auto above = [&](std::span<const Glyph> text) {
    const std::size_t start = std::max(layout_.left_edge(), std::min(leftmost + 2, layout_.width() - std::min(text.size(), layout_.width())));
    CanvasRow label_row = lifelines();
    label_row.write(start, fit({text.begin(), text.end()}, layout_.width() - start, glyphs_.ellipsis));
    rows.push_back(std::move(label_row));
  };
  if (!label_inline) above(label);
  if (!after_placed) above(after);
  rows.push_back(std::move(row));
  return rows;
}

void DiagramRows::stamp_time(CanvasRow& row, const std::string& time) const {
  // Past 9999 s the microseconds give way, never the width.
  std::string shown = time.substr(0, DiagramLayout::time_width);
  if (shown.ends_with('.')) shown.pop_back();
  row.write(DiagramLayout::time_width - shown.size(), shown, Ink::Plain);
}

}  // namespace netstep::diagram
