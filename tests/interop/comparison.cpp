#include "comparison.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace netstep::interop {

namespace {

constexpr int pollout = 0x004;

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

constexpr std::size_t outcome_width = 38;
std::string name_column(const std::string& name) { return padded("  " + name, 34); }

std::string seconds_text(const char* format, double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, seconds);
  return buffer;
}

// An ephemeral port is picked at random on both sides: compared as "*".
// Ports below 1024 (0, 9, 80) are the probe's own and compared as they are.
std::string port_as_compared(std::string_view port) {
  int value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value < 1024) return std::string{port};
  return "*";
}

}  // namespace

std::string names_as_compared(std::string_view extra) {
  std::string out;
  std::size_t at = 0;
  while (at < extra.size()) {
    std::size_t end = extra.find(' ', at);
    if (end == std::string_view::npos) end = extra.size();
    const std::string_view token = extra.substr(at, end - at);
    at = end + 1;
    const bool wanted = token.starts_with("local=") || token.starts_with("peer=") || token.starts_with("data=") ||
                        token.starts_with("from=");
    if (!wanted) continue;
    std::string kept{token};
    const std::size_t colon = token.rfind(':');
    if (!token.starts_with("data=") && colon != std::string_view::npos) {
      kept = std::string{token.substr(0, colon + 1)} + port_as_compared(token.substr(colon + 1));
    }
    out += (out.empty() ? "" : " ") + kept;
  }
  return out;
}

namespace {

bool same_outcome(const CallRecord& kernel, const CallRecord& netstep) {
  if (netstep.names_compared && names_as_compared(kernel.extra) != names_as_compared(netstep.extra)) return false;
  switch (kind_of_call(kernel.name)) {
    case CallKind::Connect:
    case CallKind::Bind:
    case CallKind::Transfer:
      return kernel.ret == netstep.ret && kernel.error == netstep.error && kernel.error_number == netstep.error_number;
    case CallKind::SoError:
      return kernel.so_error == netstep.so_error && kernel.so_error_number == netstep.so_error_number;
    case CallKind::Poll:
    case CallKind::Names:
    case CallKind::Other: return true;
  }
  return true;
}

// "SYN 2 of attempt 1" (attempts in the order their local ports first appear), "ARP request 3".
std::vector<std::pair<std::string, double>> identify_frames(const std::vector<WireEvent>& wire) {
  std::vector<std::uint16_t> attempts;
  std::map<std::size_t, int> syns_per_attempt;
  int arp_requests = 0;
  std::vector<std::pair<std::string, double>> frames;
  for (const WireEvent& e : wire) {
    if (e.kind == WireEvent::Kind::ArpRequest) {
      frames.emplace_back("ARP request " + std::to_string(++arp_requests), e.t);
      continue;
    }
    auto at = std::find(attempts.begin(), attempts.end(), e.source_port);
    if (at == attempts.end()) at = attempts.insert(attempts.end(), e.source_port);
    const auto attempt = static_cast<std::size_t>(at - attempts.begin());
    frames.emplace_back("SYN " + std::to_string(++syns_per_attempt[attempt]) + " of attempt " + std::to_string(attempt + 1),
                        e.t);
  }
  return frames;
}

// "attempt 1: 6 SYNs, attempt 2: 6 SYNs, 3 ARP requests", or "nothing".
std::string count_frames(const std::vector<WireEvent>& wire) {
  std::vector<std::uint16_t> attempts;
  std::map<std::size_t, int> syns;
  int arp = 0;
  for (const WireEvent& e : wire) {
    if (e.kind == WireEvent::Kind::ArpRequest) {
      ++arp;
      continue;
    }
    auto at = std::find(attempts.begin(), attempts.end(), e.source_port);
    if (at == attempts.end()) at = attempts.insert(attempts.end(), e.source_port);
    ++syns[static_cast<std::size_t>(at - attempts.begin())];
  }
  std::string text;
  for (const auto& [attempt, n] : syns) {
    text += (text.empty() ? "" : ", ") + std::string{"attempt "} + std::to_string(attempt + 1) + ": " +
            std::to_string(n) + (n == 1 ? " SYN" : " SYNs");
  }
  if (arp > 0) text += (text.empty() ? "" : ", ") + std::to_string(arp) + (arp == 1 ? " ARP request" : " ARP requests");
  return text.empty() ? "nothing" : text;
}

// "0.000 1.017 2.041": when each frame left, since the run's first.
std::string frame_times(const std::vector<std::pair<std::string, double>>& frames) {
  std::string text;
  for (const auto& frame : frames) text += (text.empty() ? "" : " ") + seconds_text("%.3f", frame.second - frames.front().second);
  return text;
}

struct TimedEvent {
  std::string what;
  double kernel_t = 0;
  double netstep_t = 0;
  bool frame = false;  // else a call's return
};

}  // namespace

std::string describe_outcome(const CallRecord& call) {
  switch (kind_of_call(call.name)) {
    case CallKind::SoError:
      return "SO_ERROR " + call.so_error.value_or("?") +
             (call.so_error_number != 0 ? " (" + std::to_string(call.so_error_number) + ")" : "");
    case CallKind::Poll:
      if (call.revents) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "revents 0x%x", static_cast<unsigned>(*call.revents));
        return buffer;
      }
      break;
    case CallKind::Connect:
    case CallKind::Bind:
    case CallKind::Transfer:
    case CallKind::Names:
    case CallKind::Other: break;
  }
  if (call.ret < 0) return std::to_string(call.ret) + " " + call.error + " (" + std::to_string(call.error_number) + ")";
  return std::to_string(call.ret);
}

namespace {

// A race the nominal schedule always ties: netstep sent one SYN more than
// the kernel, the last one, within 50 ms of the moment a blocking call
// of its own returned with the attempt's end (T08 at the router: the
// router gives up ARP after 3 s, exactly when the 4th SYN is due; the
// kernel's SYN timer, a little late on every interval, loses that race
// most of the time).
bool ends_in_a_tie(const std::vector<std::pair<std::string, double>>& theirs,
                   const std::vector<std::pair<std::string, double>>& mine, const ProbeRun& netstep) {
  if (mine.size() != theirs.size() + 1 || !mine.back().first.starts_with("SYN")) return false;
  for (std::size_t i = 0; i < theirs.size(); ++i) {
    if (theirs[i].first != mine[i].first) return false;
  }
  const double extra = mine.back().second;
  return std::any_of(netstep.calls.begin(), netstep.calls.end(), [&](const CallRecord& c) {
    return c.blocking && kind_of_call(c.name) == CallKind::Connect && c.t >= extra &&
           c.t - extra <= interval_tolerance_seconds;
  });
}

// The kernel's race of connect-matrix.md T06: an ICMP error that arrives
// while connect() still holds the socket lock is kept only as a soft error,
// and the SYN is sent again after the initial RTO; the ICMP for that SYN
// ends the attempt. netstep models the usual path (the ICMP arrives after
// connect() went to sleep), so the kernel shows one SYN more: the second
// of an attempt in which netstep sent one, about 1 s after the first, in a
// run that ended with an ICMP error. Returns the extra SYN's index.
std::optional<std::size_t> kernel_lost_the_lock_race(const std::vector<std::pair<std::string, double>>& theirs,
                                                     const std::vector<std::pair<std::string, double>>& mine,
                                                     const ProbeRun& kernel) {
  if (theirs.size() != mine.size() + 1) return std::nullopt;
  std::size_t extra = 0;
  while (extra < mine.size() && theirs[extra].first == mine[extra].first) ++extra;
  for (std::size_t i = extra; i < mine.size(); ++i) {
    if (theirs[i + 1].first != mine[i].first) return std::nullopt;
  }
  const std::string& name = theirs[extra].first;
  if (!name.starts_with("SYN 2 of attempt ") || extra == 0) return std::nullopt;
  const std::string first = "SYN 1" + name.substr(5);
  if (theirs[extra - 1].first != first) return std::nullopt;
  constexpr double initial_rto = 1.0;
  if (std::fabs(theirs[extra].second - theirs[extra - 1].second - initial_rto) > interval_tolerance_seconds) {
    return std::nullopt;
  }
  const auto icmp_error = [](const std::string& error) { return error == "EHOSTUNREACH" || error == "ENETUNREACH"; };
  const bool ended_by_icmp = std::any_of(kernel.calls.begin(), kernel.calls.end(), [&](const CallRecord& c) {
    return icmp_error(c.error) || icmp_error(c.so_error.value_or(""));
  });
  if (!ended_by_icmp) return std::nullopt;
  return extra;
}

}  // namespace

Comparison compare_runs(const ProbeRun& kernel, const ProbeRun& netstep) {
  Comparison out;
  const auto fail = [&](std::string line) {
    out.passed = false;
    out.lines.push_back(std::move(line));
  };

  // --- calls, side by side ---
  std::vector<const CallRecord*> ours;
  for (const CallRecord& c : netstep.calls) ours.push_back(&c);
  std::vector<std::pair<const CallRecord*, const CallRecord*>> pairs;  // kernel, netstep: same name
  std::size_t next = 0;
  bool parted = false;
  for (const CallRecord& theirs : kernel.calls) {
    const CallKind kind = kind_of_call(theirs.name);
    if (kind == CallKind::Other) {
      out.lines.push_back(name_column(theirs.name) + padded("kernel " + describe_outcome(theirs), outcome_width) +
                          "(a diagnostic only the kernel probe makes: not compared)");
      continue;
    }
    if (parted) continue;
    if (next == ours.size()) {
      fail(name_column(theirs.name) + padded("kernel " + describe_outcome(theirs), outcome_width) +
           "netstep made no such call: DIFFERENT");
      parted = true;
      continue;
    }
    const CallRecord& mine = *ours[next++];
    if (mine.name != theirs.name) {
      fail("  the sequences part here: the kernel probe called " + theirs.name + ", netstep's " + mine.name +
           " (after different answers above)");
      parted = true;
      continue;
    }
    pairs.emplace_back(&theirs, &mine);
    std::string line = name_column(theirs.name) + padded("kernel " + describe_outcome(theirs), outcome_width) +
                       padded("netstep " + describe_outcome(mine), outcome_width);
    if (kind == CallKind::Poll) {
      out.lines.push_back(line + "(shown, not compared)");
    } else if (same_outcome(theirs, mine)) {
      ++out.calls_compared;
      out.lines.push_back(line + "same");
      const std::string names = mine.names_compared ? names_as_compared(theirs.extra) : std::string{};
      if (!names.empty()) out.lines.push_back("      both: " + names);
    } else {
      ++out.calls_compared;
      fail(line + "DIFFERENT");
      if (mine.names_compared) {
        out.lines.push_back("      kernel:  " + names_as_compared(theirs.extra));
        out.lines.push_back("      netstep: " + names_as_compared(mine.extra));
      }
      if (!mine.rule.empty()) out.lines.push_back("      netstep's rule: " + mine.rule);
    }
    if (!mine.note.empty()) out.lines.push_back("      netstep: " + mine.note);
  }
  if (!parted) {
    for (; next < ours.size(); ++next) {
      fail(name_column(ours[next]->name) + padded("kernel made no such call", outcome_width) +
           padded("netstep " + describe_outcome(*ours[next]), outcome_width) + "DIFFERENT");
    }
  }

  // --- the wire and its timing ---
  if (!kernel.wire_captured || !netstep.wire_captured) return out;
  auto theirs = identify_frames(kernel.wire);
  auto mine = identify_frames(netstep.wire);
  const std::string kernel_count = count_frames(kernel.wire);
  const std::string netstep_count = count_frames(netstep.wire);
  if (ends_in_a_tie(theirs, mine, netstep)) {
    out.lines.push_back("  on the wire: netstep's last SYN (at " + frame_times({mine.back()}) +
                        " s) and the end of its attempt fall at the same instant of the nominal schedule; the "
                        "kernel's timers run late, so its attempt ended first: the extra SYN is not counted");
    mine.pop_back();
  }
  bool timing_compared = true;
  if (const auto extra = kernel_lost_the_lock_race(theirs, mine, kernel)) {
    out.lines.push_back("  on the wire: the kernel's " + theirs[*extra].first + " (" +
                        seconds_text("%.3f", theirs[*extra].second - theirs[*extra - 1].second) +
                        " s after the first) is its race of connect-matrix.md T06: the ICMP error for the first SYN "
                        "came while connect() held the socket lock, so it was kept as a soft error and the SYN sent "
                        "again. netstep models the ICMP arriving after connect() went to sleep: the extra SYN is not "
                        "counted, and this run's timing is not compared");
    theirs.erase(theirs.begin() + static_cast<std::ptrdiff_t>(*extra));
    timing_compared = false;
  }
  bool same_frames = theirs.size() == mine.size();
  for (std::size_t i = 0; same_frames && i < theirs.size(); ++i) same_frames = theirs[i].first == mine[i].first;
  if (!same_frames) {
    fail("  on the wire: kernel sent " + kernel_count + "; netstep " + netstep_count + ": DIFFERENT");
    out.lines.push_back("    kernel's frames at  " + frame_times(theirs) + " s");
    out.lines.push_back("    netstep's frames at " + frame_times(mine) + " s");
    return out;
  }
  if (theirs.empty()) {
    out.lines.push_back("  on the wire: nothing on the client's interface towards the destination, as the kernel");
    return out;
  }
  if (!timing_compared) {
    out.lines.push_back("  on the wire: " + netstep_count + ", as the kernel apart from that SYN");
    return out;
  }
  out.lines.push_back("  on the wire: " + kernel_count + ", as the kernel");

  // The kernel's frames are timed from the first one; place that one on
  // the probe's clock (see comparison.hpp). Whether connect#1 could block is
  // netstep's record of the same call: a blocking one may return
  // EINPROGRESS too, a second later (SO_SNDTIMEO, T28).
  double anchor = 0;
  if (!kernel.calls.empty() && kind_of_call(kernel.calls.front().name) == CallKind::Connect &&
      kernel.calls.front().error == "EINPROGRESS" && !netstep.calls.empty() && !netstep.calls.front().blocking) {
    anchor = kernel.calls.front().t;
  }
  std::vector<TimedEvent> events;
  for (std::size_t i = 0; i < theirs.size(); ++i) {
    events.push_back({theirs[i].first, theirs[i].second + anchor, mine[i].second, true});
  }
  std::map<std::string, int> returns_seen;
  for (const auto& [k, n] : pairs) {
    const CallKind kind = kind_of_call(k->name);
    const bool timed = n->blocking && (kind == CallKind::Connect ||
                                       (kind == CallKind::Poll && k->revents && (*k->revents & pollout) != 0));
    if (!timed) continue;
    const int nth = ++returns_seen[k->name];
    events.push_back({k->name + (nth > 1 ? " #" + std::to_string(nth) : "") + " returned", k->t, n->t, false});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const TimedEvent& a, const TimedEvent& b) { return a.kernel_t < b.kernel_t; });
  out.lines.push_back(
      "  timing: interval since the frame before (a frame) or the event before (a return), kernel vs netstep "
      "(the kernel's at most 50 ms shorter or 100 ms longer)");
  out.lines.push_back("    " + events.front().what);
  // A frame is timed from the frame before it: the retransmission timer's
  // own interval. Timed from a call's return instead, an interval would
  // carry the kernel timer's lateness of every interval since the last
  // frame (a SYN 0.54 s after a signal at 1.5 s, where 0.50 s is nominal).
  std::optional<std::size_t> last_frame;
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (events[i - 1].frame) last_frame = i - 1;
    const std::size_t since = events[i].frame && last_frame ? *last_frame : i - 1;
    const double theirs_interval = events[i].kernel_t - events[since].kernel_t;
    const double mine_interval = events[i].netstep_t - events[since].netstep_t;
    const bool close = intervals_agree(theirs_interval, mine_interval);
    ++out.intervals_compared;
    std::string line = name_column("  " + events[i].what) +
                       padded(seconds_text("kernel %+.3f s", theirs_interval), outcome_width) +
                       padded(seconds_text("netstep %+.3f s", mine_interval), outcome_width);
    // A return at a deadline counted from the start (TCP_USER_TIMEOUT,
    // SO_SNDTIMEO) comes sooner after the last SYN when the kernel's SYN
    // timers ran late: on the probe's clock it is still on time.
    const bool on_time_since_start =
        !events[i].frame && intervals_agree(events[i].kernel_t, events[i].netstep_t);
    if (close) {
      out.lines.push_back(line + "agrees");
    } else if (on_time_since_start) {
      out.lines.push_back(line + "agrees since the start (kernel " + seconds_text("%.3f", events[i].kernel_t) +
                          " s, netstep " + seconds_text("%.3f", events[i].netstep_t) +
                          " s): a deadline from the start");
    } else {
      fail(line + "DIFFERENT");
    }
  }
  return out;
}

}  // namespace netstep::interop
