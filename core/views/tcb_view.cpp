#include "views/tcb_view.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <type_traits>

namespace netstep::views {

namespace {

// A variable as a number for the plot (durations in seconds); the
// endpoints are not variables.
template <class T>
std::optional<double> number(const T& value) {
  if constexpr (std::is_arithmetic_v<T>) {
    return static_cast<double>(value);
  } else if constexpr (std::is_same_v<T, Duration>) {
    return std::chrono::duration<double>(value).count();
  } else {
    return std::nullopt;
  }
}

// The RFC 9293 / RFC 6298 names the textbooks use.
std::string display_name(std::string_view field) {
  static const std::map<std::string_view, std::string_view> names{
      {"snd_una", "SND.UNA"}, {"snd_nxt", "SND.NXT"}, {"snd_wnd", "SND.WND"}, {"rcv_nxt", "RCV.NXT"},
      {"rcv_wnd", "RCV.WND"}, {"cwnd", "cwnd"},       {"ssthresh", "ssthresh"}, {"srtt", "SRTT"},
      {"rttvar", "RTTVAR"},   {"rto", "RTO"},         {"backoff", "backoff"}};
  const auto it = names.find(field);
  return std::string{it == names.end() ? field : it->second};
}

template <class T>
std::string value_text(const T& value) {
  if constexpr (std::is_same_v<T, Duration>) {
    return format_duration(value);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return std::to_string(value);
  } else {
    return {};
  }
}

}  // namespace

void TcbView::apply(const TraceEvent& event) {
  const auto* tcb = std::get_if<TcpVariables>(&event.payload);
  if (tcb == nullptr) return;
  Connection& c = connections_[ConnectionKey::of(event.host, tcb->local, tcb->remote)];
  c.now = *tcb;
  c.updated = event.time;
  tcb->fields([&](std::string_view name, const auto& value) {
    const std::optional<double> n = number(value);
    if (!n) return;
    Series& series = c.history[std::string{name}];
    if (series.empty() || series.back().second != *n) series.emplace_back(event.time, *n);
  });
}

std::string TcbView::text(const ConnectionKey& key) const {
  const auto it = connections_.find(key);
  if (it == connections_.end()) return "no TCB variables traced for " + key.text() + "\n";
  std::string out = key.text() + " (as of " + format_seconds(it->second.updated.time_since_epoch()) + ")\n";
  it->second.now.fields([&](std::string_view name, const auto& value) {
    const std::string text = value_text(value);
    if (text.empty()) return;
    const auto series = it->second.history.find(std::string{name});
    const std::size_t changes = series == it->second.history.end() ? 0 : series->second.size();
    out += "  " + pad(display_name(name), 10) + pad(text, 14) + "(" + std::to_string(changes) + (changes == 1 ? " value" : " values") + " in its history)\n";
  });
  return out;
}

std::string TcbView::text() const {
  std::string out;
  for (const auto& entry : connections_) out += text(entry.first);
  return out;
}

}  // namespace netstep::views
