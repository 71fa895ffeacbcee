#include "views/socket_calls.hpp"

#include <cctype>
#include <string_view>

#include "sinks/narrative_sink.hpp"

namespace netstep::views {

namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool has_letter(std::string_view word) {
  for (const char c : word) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) return true;
  }
  return false;
}

// The kinds of event a socket call names as its cause.
bool may_cause(const TracePayload& p) {
  if (const auto* s = std::get_if<TcpSegment>(&p)) return s->direction == "received";
  return std::holds_alternative<IcmpErrorDelivered>(p) || std::holds_alternative<TimerFired>(p) ||
         std::holds_alternative<Dropped>(p) || std::holds_alternative<IcmpReceived>(p) ||
         std::holds_alternative<TcpStateChanged>(p);
}

}  // namespace

ErrorOf error_of(std::string_view result) {
  ErrorOf e;
  std::string_view words = result;
  const std::size_t open = result.rfind('(');
  const std::size_t close = result.rfind(')');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1) {
    const std::string_view digits = result.substr(open + 1, close - open - 1);
    long n = 0;
    bool all_digits = true;
    for (const char c : digits) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) all_digits = false;
      else n = n * 10 + (c - '0');
    }
    if (all_digits) {
      e.number = n;
      words = result.substr(0, open);
    } else {
      // FreeRTOS+TCP: "-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)": the number first, the name inside.
      words = digits;
      std::size_t i = 0;
      while (i < open && std::isdigit(static_cast<unsigned char>(result[i])) == 0) ++i;
      const bool negative = i > 0 && result[i - 1] == '-';
      long v = 0;
      for (; i < open && std::isdigit(static_cast<unsigned char>(result[i])) != 0; ++i) v = v * 10 + (result[i] - '0');
      e.number = negative ? -v : v;
    }
  }
  // The last word with a letter in it names the error.
  std::size_t end = words.size();
  while (end > 0) {
    while (end > 0 && !name_char(words[end - 1])) --end;
    std::size_t start = end;
    while (start > 0 && name_char(words[start - 1])) --start;
    const std::string_view word = words.substr(start, end - start);
    if (has_letter(word) && word != "errno") {
      e.name = std::string{word};
      break;
    }
    end = start;
  }
  if (e.name.empty()) e.number.reset();
  return e;
}

void SocketCalls::apply(const TraceEvent& event) {
  if (may_cause(event.payload)) {
    causes_[event.sequence] = std::string{event.host} + " " + std::string{to_string(event.layer)} + ": " +
                              narrate(event, NarrativeOptions::Detail::Full);
  }
  const auto* call = std::get_if<SocketCall>(&event.payload);
  if (call == nullptr) return;
  Call c;
  c.event = event.sequence;
  c.time = event.time;
  c.host = event.host;
  c.call = call->call;
  c.fd = call->fd;
  c.result = call->result;
  const ErrorOf error = error_of(call->result);
  c.error = error.name;
  c.error_number = error.number;
  c.rule = call->rule;
  if (call->cause_event >= 0) {
    c.cause_event = static_cast<std::uint64_t>(call->cause_event);
    const auto it = causes_.find(*c.cause_event);
    if (it != causes_.end()) c.cause = it->second;
  }
  calls_.push_back(std::move(c));
}

void SocketCalls::reset() {
  calls_.clear();
  causes_.clear();
}

std::string SocketCalls::text() const {
  std::string out;
  for (const Call& c : calls_) {
    out += "#" + std::to_string(c.event) + " " + format_seconds(c.time.time_since_epoch()) + " " + c.host + " " + c.call +
           "(fd " + std::to_string(c.fd) + ") = " + c.result + "\n";
    if (!c.error.empty()) {
      out += "    error " + c.error + (c.error_number ? " (" + std::to_string(*c.error_number) + ")" : "") + "\n";
    }
    if (!c.rule.empty()) out += "    rule: " + c.rule + "\n";
    if (c.cause_event) {
      out += "    caused by #" + std::to_string(*c.cause_event) + (c.cause.empty() ? "" : ": " + c.cause) + "\n";
    }
  }
  return out;
}

}  // namespace netstep::views
