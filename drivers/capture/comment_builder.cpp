#include "capture/comment_builder.hpp"

#include <stdexcept>

namespace netstep::capture {

namespace {
constexpr std::string_view ellipsis = "...";
constexpr std::string_view group_separator = " | ";
constexpr std::string_view note_separator = "; ";
constexpr std::string_view label_end = ": ";

bool continues_character(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }
}  // namespace

CommentBuilder::CommentBuilder(std::size_t limit) : limit_{limit} {
  if (limit_ < ellipsis.size()) throw std::invalid_argument("comment limit must be at least 3 bytes");
}

void CommentBuilder::clear() {
  text_.clear();
  group_.clear();
  notes_start_ = 0;
  cut_ = false;
}

void CommentBuilder::add(std::string_view group, std::string_view note) {
  if (cut_) return;
  if (!text_.empty() && !group.empty() && group == group_) {
    append(note_separator);
  } else {
    const bool first = text_.empty();
    if (!first) append(group_separator);
    if (!group.empty()) {
      append(group);
      append(label_end);
    }
    if (first) notes_start_ = text_.size();
    group_.assign(group);
  }
  append(note);
}

void CommentBuilder::add_notes_of(std::string_view group, const CommentBuilder& other) {
  if (other.empty()) return;
  add(group, std::string_view{other.text_}.substr(other.notes_start_));
  group_.clear();  // the next note starts a group of its own
}

void CommentBuilder::append(std::string_view piece) {
  if (cut_) return;
  if (text_.size() + piece.size() <= limit_) {
    text_.append(piece);
    return;
  }
  // Keep the first `keep` bytes of text + piece, backing off to the start of
  // a UTF-8 character, and end with "...".
  std::size_t keep = limit_ - ellipsis.size();
  const auto byte_at = [&](std::size_t i) { return i < text_.size() ? text_[i] : piece[i - text_.size()]; };
  while (keep > 0 && continues_character(byte_at(keep))) --keep;
  if (keep <= text_.size()) {
    text_.resize(keep);
  } else {
    text_.append(piece.substr(0, keep - text_.size()));
  }
  text_.append(ellipsis);
  cut_ = true;
}

}  // namespace netstep::capture
