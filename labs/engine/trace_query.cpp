#include "trace_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "call_result.hpp"
#include "lab_report.hpp"
#include "yaml_reader.hpp"

namespace netstep::lab {

namespace {

using namespace std::string_view_literals;

constexpr std::array segment_where{"from"sv, "to"sv, "flags"sv, "not_flags"sv, "src_port"sv, "dst_port"sv, "has_data"sv};
constexpr std::array segment_fields{"seq"sv,    "ack"sv, "rel_seq"sv, "rel_ack"sv, "window"sv,   "length"sv,     "mss"sv,
                                    "wscale"sv, "flags"sv, "time"sv,  "count"sv,   "interval"sv, "since_start"sv};
constexpr std::array call_where{"host"sv, "call"sv, "error"sv, "result"sv};
constexpr std::array call_fields{"result"sv, "value"sv, "errno"sv, "duration"sv, "time"sv, "count"sv};
constexpr std::array state_where{"host"sv, "from"sv, "to"sv};
constexpr std::array state_fields{"time"sv, "from"sv, "to"sv, "cause"sv, "rfc"sv, "count"sv};
constexpr std::array frame_where{"from"sv, "arp"sv, "icmp"sv, "protocol"sv};
constexpr std::array frame_fields{"time"sv, "count"sv, "interval"sv, "length"sv, "ttl"sv};
constexpr std::array timer_where{"host"sv, "name"sv};
constexpr std::array timer_fields{"time"sv, "count"sv, "interval"sv};
constexpr std::array report_where{"key"sv};
constexpr std::array report_fields{"value"sv};

constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10, urg = 0x20;

[[noreturn]] void bad(const TraceQuery& q, const std::string& problem) {
  throw LabInputError{q.place.where() + ": " + problem};
}

std::uint8_t flag_bits(const TraceQuery& q, const std::vector<std::string>& names) {
  std::uint8_t bits = 0;
  for (const std::string& list : names) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(',', start), list.size());
      const std::string name = uppercase(trimmed(std::string_view{list}.substr(start, end - start)));
      start = end + 1;
      if (name.empty()) continue;
      if (name == "FIN") bits |= fin;
      else if (name == "SYN") bits |= syn;
      else if (name == "RST") bits |= rst;
      else if (name == "PSH") bits |= psh;
      else if (name == "ACK") bits |= ack;
      else if (name == "URG") bits |= urg;
      else bad(q, "found flag '" + name + "', expected SYN, ACK, FIN, RST, PSH or URG");
    }
  }
  return bits;
}

std::string normal_state(std::string_view s) {
  std::string out = uppercase(trimmed(s));
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::optional<std::int64_t> to_integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (error != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Endpoint endpoint_of(const std::string& text) {
  Endpoint e;
  const std::size_t colon = text.rfind(':');
  if (const auto a = Ipv4Address::parse(text.substr(0, colon))) e.address = *a;
  if (colon != std::string::npos) {
    if (const auto p = to_integer(std::string_view{text}.substr(colon + 1))) e.port = Port{static_cast<std::uint16_t>(*p)};
  }
  return e;
}

// The Ethernet frame's IPv4 header (after 14 bytes), if it carries one.
struct Ipv4View {
  std::size_t header = 0;  // where the IPv4 header starts
  std::size_t payload = 0; // where its payload starts
  std::uint8_t protocol = 0;
  std::uint8_t ttl = 0;
};

std::optional<Ipv4View> ipv4_of(const std::vector<std::byte>& f) {
  if (f.size() < 34 || f[12] != std::byte{0x08} || f[13] != std::byte{0x00}) return std::nullopt;
  Ipv4View v;
  v.header = 14;
  v.payload = 14 + (std::to_integer<std::size_t>(f[14]) & 0x0f) * 4;
  v.ttl = std::to_integer<std::uint8_t>(f[22]);
  v.protocol = std::to_integer<std::uint8_t>(f[23]);
  if (v.payload > f.size()) return std::nullopt;
  return v;
}

std::uint32_t be32(const std::vector<std::byte>& f, std::size_t at) {
  return (std::to_integer<std::uint32_t>(f[at]) << 24) | (std::to_integer<std::uint32_t>(f[at + 1]) << 16) |
         (std::to_integer<std::uint32_t>(f[at + 2]) << 8) | std::to_integer<std::uint32_t>(f[at + 3]);
}

// MSS (kind 2) or window scale (kind 3) from the frame that carried the
// segment at `index`: the host's next frame sent with the same sequence number.
std::optional<std::uint32_t> tcp_option(const RunTrace& trace, std::size_t index, std::uint8_t option) {
  const TracedEvent& segment = trace.events[index];
  const auto seq = static_cast<std::uint32_t>(segment.integer("seq"));
  for (std::size_t i = index + 1; i < trace.events.size(); ++i) {
    const TracedEvent& e = trace.events[i];
    if (e.kind != "frame_sent" || e.host != segment.host) continue;
    const auto ip = ipv4_of(e.frame);
    if (!ip || ip->protocol != 6 || ip->payload + 20 > e.frame.size()) continue;
    const std::size_t tcp = ip->payload;
    if (be32(e.frame, tcp + 4) != seq) continue;
    const std::size_t end = std::min(e.frame.size(), tcp + (std::to_integer<std::size_t>(e.frame[tcp + 12]) >> 4) * 4);
    for (std::size_t at = tcp + 20; at < end;) {
      const auto kind = std::to_integer<std::uint8_t>(e.frame[at]);
      if (kind == 0) break;
      if (kind == 1) {
        ++at;
        continue;
      }
      if (at + 1 >= end) break;
      const auto length = std::to_integer<std::size_t>(e.frame[at + 1]);
      if (length < 2 || at + length > end) break;
      if (kind == option && option == 2 && length == 4) {
        return (std::to_integer<std::uint32_t>(e.frame[at + 2]) << 8) | std::to_integer<std::uint32_t>(e.frame[at + 3]);
      }
      if (kind == option && option == 3 && length == 3) return std::to_integer<std::uint32_t>(e.frame[at + 2]);
      at += length;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::string flag_names(std::uint8_t bits) {
  std::string out;
  const auto add = [&out](std::string_view n) { out += (out.empty() ? "" : ",") + std::string{n}; };
  if (bits & syn) add("SYN");
  if (bits & fin) add("FIN");
  if (bits & rst) add("RST");
  if (bits & psh) add("PSH");
  if (bits & ack) add("ACK");
  if (bits & urg) add("URG");
  return out;
}

int icmp_type(const TraceQuery& q, const std::string& name) {
  static const std::array<std::pair<std::string_view, int>, 7> types{{{"echo-reply", 0},
                                                                      {"dest-unreachable", 3},
                                                                      {"source-quench", 4},
                                                                      {"redirect", 5},
                                                                      {"echo-request", 8},
                                                                      {"time-exceeded", 11},
                                                                      {"parameter-problem", 12}}};
  for (const auto& [n, t] : types) {
    if (n == lowercase(name)) return t;
  }
  if (const auto v = to_integer(name)) return static_cast<int>(*v);
  bad(q, "found icmp '" + name + "', expected echo-request, echo-reply, dest-unreachable, time-exceeded, redirect, "
         "source-quench, parameter-problem or a type number");
}

class Matcher {
 public:
  Matcher(const RunTrace& trace, const TraceQuery& q) : trace_{trace}, q_{q} {
    for (const auto& [key, values] : q.where) {
      if (key == "flags") flags_ = flag_bits(q, values);
      if (key == "not_flags") not_flags_ = flag_bits(q, values);
    }
  }

  [[nodiscard]] bool matches(const TracedEvent& e) const {
    switch (q_.find) {
      case FindKind::Segment: return segment(e);
      case FindKind::Call: return call(e);
      case FindKind::State: return state(e);
      case FindKind::Frame: return frame(e);
      case FindKind::Timer: return timer(e);
      case FindKind::Report: bad(q_, "find: report is for program runs (program.yaml), not lab.yaml questions");
    }
    return false;
  }

 private:
  [[nodiscard]] const std::string* one(const std::string& key) const {
    const auto it = q_.where.find(key);
    if (it == q_.where.end() || it->second.empty()) return nullptr;
    return &it->second.front();
  }
  [[nodiscard]] bool is_to(const std::string& want, const Endpoint& remote) const {
    if (const auto it = trace_.host_addresses.find(want); it != trace_.host_addresses.end()) {
      return std::find(it->second.begin(), it->second.end(), remote.address) != it->second.end();
    }
    if (want.find(':') != std::string::npos) return remote.to_string() == want;
    return remote.address.to_string() == want;
  }
  [[nodiscard]] bool segment(const TracedEvent& e) const {
    if (e.kind != "tcp_segment" || e.field("direction") != "sent") return false;
    const auto bits = static_cast<std::uint8_t>(e.integer("flags"));
    if ((bits & flags_) != flags_ || (bits & not_flags_) != 0) return false;
    const Endpoint local = endpoint_of(e.field("local"));
    const Endpoint remote = endpoint_of(e.field("remote"));
    if (const auto* v = one("from"); v && e.host != *v) return false;
    if (const auto* v = one("to"); v && !is_to(*v, remote)) return false;
    if (const auto* v = one("src_port"); v && std::to_string(local.port.value()) != *v) return false;
    if (const auto* v = one("dst_port"); v && std::to_string(remote.port.value()) != *v) return false;
    if (const auto* v = one("has_data"); v && ((e.integer("length") > 0) != (lowercase(*v) == "true"))) return false;
    return true;
  }
  [[nodiscard]] bool call(const TracedEvent& e) const {
    if (e.kind != "socket_call") return false;
    if (const auto* v = one("host"); v && e.host != *v) return false;
    if (const auto* v = one("call"); v && e.field("call") != *v) return false;
    const CallReturn r = parse_call_result(e.field("result"));
    if (const auto* v = one("error")) {
      socket::Errc want{};
      if (!parse_error_name(*v, want)) bad(q_, "found error '" + *v + "', expected a POSIX error name such as ECONNREFUSED");
      if (!r.error || *r.error != want) return false;
    }
    if (const auto* v = one("result")) {
      if (*v == "ok") return !r.error;
      if (*v == "error") return r.error.has_value();
      const auto n = to_integer(*v);
      if (!n) bad(q_, "found result '" + *v + "', expected 0, ok, error or a number");
      return !r.error && r.value == *n;
    }
    return true;
  }
  [[nodiscard]] bool state(const TracedEvent& e) const {
    if (e.kind != "tcp_state") return false;
    if (const auto* v = one("host"); v && e.host != *v) return false;
    if (const auto* v = one("from"); v && normal_state(e.field("from")) != normal_state(*v)) return false;
    if (const auto* v = one("to"); v && normal_state(e.field("to")) != normal_state(*v)) return false;
    return true;
  }
  [[nodiscard]] bool frame(const TracedEvent& e) const {
    if (e.kind != "frame_sent") return false;
    if (const auto* v = one("from"); v && e.host != *v) return false;
    const auto& f = e.frame;
    const bool is_arp = f.size() >= 22 && f[12] == std::byte{0x08} && f[13] == std::byte{0x06};
    const auto ip = ipv4_of(f);
    if (const auto* v = one("protocol")) {
      const std::string p = lowercase(*v);
      if (p == "arp") {
        if (!is_arp) return false;
      } else {
        const int number = p == "tcp" ? 6 : p == "udp" ? 17 : p == "icmp" ? 1 : -1;
        if (number < 0) bad(q_, "found protocol '" + *v + "', expected tcp, udp, icmp or arp");
        if (!ip || ip->protocol != number) return false;
      }
    }
    if (const auto* v = one("arp")) {
      const std::string op = lowercase(*v);
      if (op != "request" && op != "reply") bad(q_, "found arp '" + *v + "', expected request or reply");
      if (!is_arp) return false;
      if (std::to_integer<int>(f[21]) != (op == "request" ? 1 : 2)) return false;
    }
    if (const auto* v = one("icmp")) {
      const int type = icmp_type(q_, *v);
      if (!ip || ip->protocol != 1 || ip->payload >= f.size()) return false;
      if (std::to_integer<int>(f[ip->payload]) != type) return false;
    }
    return true;
  }
  [[nodiscard]] bool timer(const TracedEvent& e) const {
    if (e.kind != "timer_fired") return false;
    if (const auto* v = one("host"); v && e.host != *v) return false;
    if (const auto* v = one("name"); v && lowercase(e.field("name")).find(lowercase(*v)) == std::string::npos) return false;
    return true;
  }

  const RunTrace& trace_;
  const TraceQuery& q_;
  std::uint8_t flags_ = 0;
  std::uint8_t not_flags_ = 0;
};

QueryValue number_value(double n) {
  QueryValue v;
  v.number = n;
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, n);
  v.text = error == std::errc{} ? std::string{buffer, end} : std::to_string(n);
  return v;
}

QueryValue duration_value(Duration d) {
  QueryValue v;
  v.duration = d;
  v.text = duration_text(d);
  return v;
}

QueryValue text_value(std::string text) {
  QueryValue v;
  v.text = std::move(text);
  return v;
}

std::optional<QueryValue> field_value(const RunTrace& trace, const TraceQuery& q, const std::vector<std::size_t>& found,
                                      std::size_t chosen) {
  const std::size_t index = found[chosen];
  const TracedEvent& e = trace.events[index];
  const std::string& f = q.field;
  if (f == "count") return number_value(static_cast<double>(found.size()));
  if (f == "time") return duration_value(e.time.time_since_epoch());
  if (f == "since_start") return duration_value(e.time - trace.events[found.front()].time);
  if (f == "interval") {
    if (chosen + 1 >= found.size()) return std::nullopt;
    return duration_value(trace.events[found[chosen + 1]].time - e.time);
  }
  switch (q.find) {
    case FindKind::Segment:
      if (f == "seq" || f == "ack" || f == "window" || f == "length") return number_value(static_cast<double>(e.integer(f)));
      if (f == "rel_seq") return number_value(static_cast<double>(e.integer("relative_seq")));
      if (f == "rel_ack") return number_value(static_cast<double>(e.integer("relative_ack")));
      if (f == "flags") return text_value(flag_names(static_cast<std::uint8_t>(e.integer("flags"))));
      if (f == "mss" || f == "wscale") {
        const auto option = tcp_option(trace, index, f == "mss" ? 2 : 3);
        if (!option) return std::nullopt;
        return number_value(*option);
      }
      break;
    case FindKind::Call: {
      const CallReturn r = parse_call_result(e.field("result"));
      if (f == "value") return number_value(static_cast<double>(r.value));
      if (f == "result") return r.error ? text_value(std::string{socket::posix_name(*r.error)}) : number_value(static_cast<double>(r.value));
      if (f == "errno") {
        if (!r.error) return std::nullopt;
        const auto code = socket::Personality::get(trace.personality).code(*r.error);
        if (!code || !code->number) return std::nullopt;
        return number_value(*code->number);
      }
      if (f == "duration") {
        if (!e.call_duration) return std::nullopt;
        return duration_value(*e.call_duration);
      }
      break;
    }
    case FindKind::State:
      if (f == "from" || f == "to" || f == "cause" || f == "rfc") return text_value(e.field(f));
      break;
    case FindKind::Frame:
      if (f == "length") return number_value(static_cast<double>(e.integer("length")));
      if (f == "ttl") {
        const auto ip = ipv4_of(e.frame);
        if (!ip) return std::nullopt;
        return number_value(ip->ttl);
      }
      break;
    case FindKind::Timer:
    case FindKind::Report: break;
  }
  bad(q, "found field '" + f + "', which find: " + std::string{to_string(q.find)} + " does not have");
}

}  // namespace

std::span<const std::string_view> where_keys(FindKind kind) {
  switch (kind) {
    case FindKind::Segment: return segment_where;
    case FindKind::Call: return call_where;
    case FindKind::State: return state_where;
    case FindKind::Frame: return frame_where;
    case FindKind::Timer: return timer_where;
    case FindKind::Report: return report_where;
  }
  return {};
}

std::span<const std::string_view> field_names(FindKind kind) {
  switch (kind) {
    case FindKind::Segment: return segment_fields;
    case FindKind::Call: return call_fields;
    case FindKind::State: return state_fields;
    case FindKind::Frame: return frame_fields;
    case FindKind::Timer: return timer_fields;
    case FindKind::Report: return report_fields;
  }
  return {};
}

bool is_duration_field(std::string_view field) {
  return field == "time" || field == "interval" || field == "duration" || field == "since_start";
}

QueryResult run_query(const RunTrace& trace, const TraceQuery& query) {
  const Matcher matcher{trace, query};
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    if (matcher.matches(trace.events[i])) found.push_back(i);
  }
  QueryResult result;
  result.matches = found.size();
  const std::size_t wanted = query.nth == 0 ? found.size() : static_cast<std::size_t>(query.nth);
  if (found.empty() || wanted == 0 || wanted > found.size()) {
    // `count` is zero when nothing matches: a right answer, with no event to show.
    if (query.field == "count") result.value = number_value(0);
    return result;
  }
  result.found = true;
  result.event = trace.events[found[wanted - 1]].sequence;
  if (!query.field.empty()) result.value = field_value(trace, query, found, wanted - 1);
  return result;
}

}  // namespace netstep::lab
