#include "debug/breakpoint.hpp"

#include <algorithm>
#include <cctype>

namespace netstep::debug {

namespace {

std::string lower(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether `word` occurs in `text` with no letter, digit or underscore on
// either side: "111" in "errno ECONNREFUSED (111)", but not "11" in it.
bool has_word(std::string_view text, std::string_view word) {
  if (word.empty()) return false;
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !word_char(text[at - 1]);
    const std::size_t end = at + word.size();
    const bool ends = end == text.size() || !word_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

bool TcpStateBreakpoint::matches(const TraceEvent& event) const {
  const auto* change = std::get_if<TcpStateChanged>(&event.payload);
  if (change == nullptr) return false;
  if (host_ && event.host != *host_) return false;
  return !state_ || change->to == *state_;
}

std::string TcpStateBreakpoint::describe() const {
  std::string text = state_ ? "state " + *state_ : std::string{"any TCP state change"};
  if (host_) text += " on " + *host_;
  return text;
}

bool SocketReturnBreakpoint::matches(const TraceEvent& event) const {
  const auto* call = std::get_if<SocketCall>(&event.payload);
  if (call == nullptr) return false;
  if (has_word(call->result, error_)) return true;
  // A POSIX name stops on every personality's spelling of it: Winsock's
  // WSAECONNREFUSED, FreeRTOS+TCP's -pdFREERTOS_ERRNO_ECONNREFUSED.
  const bool posix_name = error_.size() > 1 && error_[0] == 'E' && std::isupper(static_cast<unsigned char>(error_[1]));
  return posix_name &&
         (has_word(call->result, "WSA" + error_) || has_word(call->result, "pdFREERTOS_ERRNO_" + error_));
}

std::string SocketReturnBreakpoint::describe() const { return "a socket call returning " + error_; }

bool TimerBreakpoint::matches(const TraceEvent& event) const {
  const auto* fired = std::get_if<TimerFired>(&event.payload);
  return fired != nullptr && lower(fired->name).find(lower(name_)) != std::string::npos;
}

std::string TimerBreakpoint::describe() const {
  return name_.empty() ? std::string{"any timer firing"} : "a timer firing (" + name_ + ")";
}

bool FrameBreakpoint::matches(const TraceEvent& event) const {
  return std::holds_alternative<FrameSent>(event.payload) && !event.frame.empty() && predicate_->matches(event.frame);
}

std::string FrameBreakpoint::describe() const { return "a frame sent that matches " + predicate_->describe(); }

}  // namespace netstep::debug
