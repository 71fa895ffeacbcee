#include "sinks/diagram_canvas.hpp"

#include <algorithm>
#include <array>

namespace netstep::diagram {

namespace {

// The narrative sink's palette: its layer colours become host colours.
constexpr std::array<std::string_view, 6> host_escapes{"\x1b[36m", "\x1b[33m", "\x1b[35m",
                                                      "\x1b[34m", "\x1b[1;36m", "\x1b[1;34m"};
constexpr std::string_view reset = "\x1b[0m";

std::string_view escape_of(Ink ink) {
  switch (ink) {
    case Ink::Plain: return reset;
    case Ink::Lost: return "\x1b[31m";        // red, as a drop
    case Ink::Success: return "\x1b[1;32m";   // bold green, as the narrative's application results
    case Ink::Failure: return "\x1b[1;31m";   // bold red
    default: break;
  }
  const auto index = static_cast<std::size_t>(ink) - static_cast<std::size_t>(Ink::FirstHost);
  return host_escapes[index % host_escapes.size()];
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

}  // namespace

Ink host_ink(std::size_t host) {
  return static_cast<Ink>(static_cast<std::size_t>(Ink::FirstHost) + host % host_escapes.size());
}

std::vector<Glyph> glyphs(std::string_view text, Ink ink) {
  std::vector<Glyph> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    bool valid = length > 0 && i + length <= text.size();
    char32_t code = length == 1 ? lead : length == 2 ? lead & 0x1fu : length == 3 ? lead & 0x0fu : lead & 0x07u;
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xc0) == 0x80;
      code = (code << 6) | (next & 0x3fu);
    }
    out.push_back(Glyph{valid ? code : U'?', ink});
    i += valid ? length : 1;
  }
  return out;
}

void CanvasRow::put(std::size_t column, Glyph glyph) {
  if (column < cells_.size()) cells_[column] = glyph;
}

std::size_t CanvasRow::write(std::size_t column, std::span<const Glyph> text) {
  for (const Glyph& g : text) put(column++, g);
  return column;
}

std::size_t CanvasRow::write(std::size_t column, std::string_view text, Ink ink) {
  return write(column, glyphs(text, ink));
}

std::string CanvasRow::render(bool colour) const {
  const auto last = std::find_if(cells_.rbegin(), cells_.rend(), [](const Glyph& g) { return g.code != U' '; });
  const auto end = last.base();
  std::string out;
  Ink current = Ink::Plain;
  for (auto it = cells_.begin(); it != end; ++it) {
    // A blank takes whatever ink is current: fewer escapes, same look.
    if (colour && it->code != U' ' && it->ink != current) {
      out += escape_of(it->ink);
      current = it->ink;
    }
    append_utf8(out, it->code);
  }
  if (colour && current != Ink::Plain) out += reset;
  return out;
}

std::vector<Glyph> fit(std::vector<Glyph> text, std::size_t room, std::string_view ellipsis) {
  if (text.size() <= room) return text;
  // Too narrow for the ellipsis and a letter: cut without it.
  const std::vector<Glyph> dots = glyphs(ellipsis, text.empty() ? Ink::Plain : text.back().ink);
  if (room <= dots.size()) {
    text.resize(room);
    return text;
  }
  text.resize(room - dots.size());
  while (!text.empty() && text.back().code == U' ') text.pop_back();  // "seq=1..." rather than "seq=1 ..."
  text.insert(text.end(), dots.begin(), dots.end());
  return text;
}

std::vector<std::vector<Glyph>> wrap(std::span<const Glyph> text, std::size_t first, std::size_t next) {
  std::vector<std::vector<Glyph>> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t room = std::max<std::size_t>(1, lines.empty() ? first : next);
    if (text.size() - start <= room) {
      lines.emplace_back(text.begin() + static_cast<std::ptrdiff_t>(start), text.end());
      break;
    }
    // The last space that lets the line fit; none: cut the word.
    std::size_t cut = start + room;
    while (cut > start && text[cut].code != U' ') --cut;
    if (cut == start) cut = start + room;
    std::size_t end = cut;
    while (end > start && text[end - 1].code == U' ') --end;
    lines.emplace_back(text.begin() + static_cast<std::ptrdiff_t>(start), text.begin() + static_cast<std::ptrdiff_t>(end));
    start = cut;
    while (start < text.size() && text[start].code == U' ') ++start;
  }
  return lines;
}

}  // namespace netstep::diagram
