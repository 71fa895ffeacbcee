#pragma once
// One frame's comment as it grows, note by note, in groups, cut at a byte
// limit:
//
//   client: connect(3) -> -1, errno EINPROGRESS (115) | server on receipt: 10.0.0.2:80 > ...: CLOSED -> SYN-RECEIVED (...)
//
// Consecutive notes with the same group label share it ("label: a; b");
// a note without a label (what the wire did) is a group of its own. Groups
// are joined with " | ". Past the limit the text ends with "..." (cut
// between UTF-8 characters, never inside one) and further notes are
// ignored. The text keeps its capacity when cleared, so a builder reused
// frame after frame stops allocating once it has grown (most frames have
// no comment, so nothing is reserved up front).
#include <cstddef>
#include <string>
#include <string_view>

namespace netstep::capture {

class CommentBuilder {
 public:
  // limit: the most bytes text() will hold, "..." included (at least 3).
  explicit CommentBuilder(std::size_t limit);

  void add(std::string_view group, std::string_view note);
  // Appends `other`'s notes (its text without its first label) as a group
  // labelled `group`: notes a host gathered, told on another frame.
  void add_notes_of(std::string_view group, const CommentBuilder& other);
  void clear();

  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] bool empty() const { return text_.empty(); }
  [[nodiscard]] bool cut() const { return cut_; }

 private:
  // Appends as much of `piece` as fits; on overflow ends the text with "...".
  void append(std::string_view piece);

  std::size_t limit_;
  std::string text_;
  std::string group_;           // the label of the last group ("": none)
  std::size_t notes_start_ = 0;  // where the first group's notes begin
  bool cut_ = false;
};

}  // namespace netstep::capture
