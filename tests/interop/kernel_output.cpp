#include "kernel_output.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace netstep::interop {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

template <class Number>
bool parse_number(std::string_view text, Number& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

// The text after `key` up to the next space ("ret=" in "... ret=-1 errno=...").
std::optional<std::string_view> field(std::string_view line, std::string_view key) {
  std::size_t at = line.find(key);
  while (at != std::string_view::npos && at != 0 && line[at - 1] != ' ') at = line.find(key, at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + key.size());
  return rest.substr(0, rest.find(' '));
}

// "ECONNREFUSED(111)" -> name and number; "0(0)" -> "0", 0.
bool parse_named_number(std::string_view text, std::string& name, int& number) {
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')') return false;
  name = std::string{text.substr(0, open)};
  return parse_number(text.substr(open + 1, text.size() - open - 2), number);
}

[[noreturn]] void malformed(std::string_view line, std::string_view why) {
  throw std::runtime_error("malformed probe line (" + std::string{why} + "): " + std::string{line});
}

// "198.51.100.2.40686" -> address and port.
bool split_address_port(std::string_view text, std::string& address, std::uint16_t& port) {
  const std::size_t dot = text.rfind('.');
  if (dot == std::string_view::npos) return false;
  address = std::string{text.substr(0, dot)};
  return parse_number(text.substr(dot + 1), port);
}

// The non-zero local ports a run's calls reported ("local=0.0.0.0:40686").
std::set<std::uint16_t> local_ports_of(const ProbeRun& run) {
  std::set<std::uint16_t> ports;
  for (const CallRecord& call : run.calls) {
    const auto local = field(call.extra, "local=");
    if (!local) continue;
    const std::size_t colon = local->rfind(':');
    std::uint16_t port = 0;
    if (colon != std::string_view::npos && parse_number(local->substr(colon + 1), port) && port != 0) ports.insert(port);
  }
  return ports;
}

// The capture run-all.sh's cap_start writes while a group's results file
// fills (g_blocking: 01_blocking.txt and pcap/01_blocking_cli0, ...).
// Groups without a capture (05_addrinuse, 06_ephemeral) run on loopback.
std::optional<std::string_view> capture_of(std::string_view results_file) {
  static constexpr std::pair<std::string_view, std::string_view> captures[] = {
      {"01_blocking.txt", "01_blocking_cli0.txt"},
      {"02_nonblocking.txt", "02_nonblocking_cli0.txt"},
      {"03_args_and_state.txt", "03_args_cli0.txt"},
      {"04_udp.txt", "04_udp_cli0.txt"},
      {"07_timeouts_eintr.txt", "07_timeouts_cli0.txt"},
      {"09_icmp_soft_error.txt", "09_icmp_soft_error_cli0.txt"},
  };
  for (const auto& [results, capture] : captures) {
    if (results == results_file) return capture;
  }
  return std::nullopt;
}

}  // namespace

std::string RunKey::describe() const {
  return occurrence == 1 ? label : label + " (run " + std::to_string(occurrence) + ")";
}

CallKind kind_of_call(std::string_view name) {
  if (starts_with(name, "connect")) return CallKind::Connect;
  if (starts_with(name, "bind")) return CallKind::Bind;
  if (starts_with(name, "getsockopt(SO_ERROR)")) return CallKind::SoError;
  if (starts_with(name, "poll")) return CallKind::Poll;
  if (starts_with(name, "recvmsg(MSG_ERRQUEUE)")) return CallKind::Other;  // a diagnostic of the T06 runs
  for (const std::string_view transfer : {"send", "recv", "write"}) {
    if (starts_with(name, transfer)) return CallKind::Transfer;
  }
  if (starts_with(name, "getpeername")) return CallKind::Names;
  return CallKind::Other;
}

std::optional<ResultLine> parse_result_line(std::string_view line) {
  if (!starts_with(line, "RESULT ")) return std::nullopt;
  ResultLine out;
  const std::size_t call_at = line.find(" call=");
  const std::size_t ret_at = line.find(" ret=");
  if (call_at == std::string_view::npos || ret_at == std::string_view::npos || ret_at < call_at) {
    malformed(line, "no call= ... ret=");
  }
  out.label = std::string{line.substr(7, call_at - 7)};
  // A call's name may hold spaces ("connect#3(no SO_ERROR read)"): it runs up to " ret=".
  out.call.name = std::string{line.substr(call_at + 6, ret_at - call_at - 6)};
  const std::string_view rest = line.substr(ret_at + 1);
  const auto ret = field(rest, "ret=");
  const auto error = field(rest, "errno=");
  const auto t = field(rest, "t=");
  if (!ret || !parse_number(*ret, out.call.ret)) malformed(line, "ret");
  if (!error) malformed(line, "errno");
  if (*error != "-" && !parse_named_number(*error, out.call.error, out.call.error_number)) malformed(line, "errno");
  if (!t || !parse_number(*t, out.call.t)) malformed(line, "t");
  const std::size_t extra_at = rest.find(" t=");
  const std::size_t after_t = rest.find(' ', extra_at + 3);
  out.call.extra = after_t == std::string_view::npos ? std::string{} : std::string{rest.substr(after_t + 1)};
  if (const auto so = field(out.call.extra, "so_error=")) {
    std::string name;
    if (!parse_named_number(*so, name, out.call.so_error_number)) malformed(line, "so_error");
    out.call.so_error = name;
  }
  if (const auto revents = field(out.call.extra, "revents=")) {
    int value = 0;
    if (!starts_with(*revents, "0x") || std::from_chars(revents->data() + 2, revents->data() + revents->size(), value, 16).ec != std::errc{}) {
      malformed(line, "revents");
    }
    out.call.revents = value;
  }
  return out;
}

std::vector<ProbeRun> parse_results_file(std::string_view text, std::string_view file_name) {
  std::vector<ProbeRun> runs;
  std::map<std::string, int, std::less<>> seen;                 // label -> runs so far
  std::map<std::string, std::string, std::less<>> announced;    // label -> NOTE text not yet used
  for (const std::string_view line : lines_of(text)) {
    if (starts_with(line, "NOTE ")) {
      // "NOTE <label>: <what the probe does>" opens a run of <label>; other
      // NOTE lines ("NOTE part A: ...", "NOTE cm-cli ...") are commentary.
      const std::string_view body = line.substr(5);
      const std::size_t space = body.find(' ');
      if (space != std::string_view::npos && space > 0 && body[space - 1] == ':') {
        announced[std::string{body.substr(0, space - 1)}] = std::string{body.substr(space + 1)};
      }
      continue;
    }
    auto parsed = parse_result_line(line);
    if (!parsed) continue;
    const auto note = announced.find(parsed->label);
    const bool continues = !runs.empty() && runs.back().label == parsed->label && note == announced.end();
    if (!continues) {
      ProbeRun run;
      run.label = parsed->label;
      run.occurrence = ++seen[parsed->label];
      run.results_file = std::string{file_name};
      if (note != announced.end()) {
        run.description = note->second;
        announced.erase(note);
      }
      runs.push_back(std::move(run));
    }
    runs.back().calls.push_back(std::move(parsed->call));
  }
  return runs;
}

std::map<std::string, std::string, std::less<>> parse_environment(std::string_view text) {
  std::map<std::string, std::string, std::less<>> values;
  for (const std::string_view line : lines_of(text)) {
    std::size_t at = line.find(" = ");
    std::size_t skip = 3;
    if (at == std::string_view::npos) {
      at = line.find(": ");
      skip = 2;
    }
    if (at == std::string_view::npos) continue;
    values[std::string{line.substr(0, at)}] = std::string{line.substr(at + skip)};
  }
  return values;
}

std::vector<CapturedFrame> parse_capture(std::string_view tcpdump_text) {
  std::vector<CapturedFrame> frames;
  for (const std::string_view line : lines_of(tcpdump_text)) {
    std::istringstream words{std::string{line}};
    std::string time, protocol;
    if (!(words >> time >> protocol)) continue;
    CapturedFrame frame;
    if (!parse_number(std::string_view{time}, frame.time)) continue;
    if (protocol == "IP") {
      // "IP 198.51.100.2.40686 > 203.0.113.3.80: Flags [S], seq ..."
      std::string from, arrow, to, flags_word, flags;
      if (!(words >> from >> arrow >> to >> flags_word >> flags) || arrow != ">" || flags_word != "Flags") continue;
      if (!to.empty() && to.back() == ':') to.pop_back();
      if (!split_address_port(from, frame.source, frame.source_port)) continue;
      if (!split_address_port(to, frame.destination, frame.destination_port)) continue;
      frame.tcp_syn = flags.find('S') != std::string::npos && flags.find('.') == std::string::npos;
    } else if (protocol == "ARP,") {
      // "ARP, Request who-has 198.51.100.99 tell 198.51.100.2, length 28"
      std::string request, who_has, asked, tell, asker;
      if (!(words >> request >> who_has >> asked >> tell >> asker) || request != "Request" || tell != "tell") continue;
      if (!asker.empty() && asker.back() == ',') asker.pop_back();
      frame.arp_request = true;
      frame.destination = asked;
      frame.source = asker;
    } else {
      continue;
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

std::optional<std::string> destination_of(std::string_view description) {
  const std::size_t at = description.find("connect to ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = description.substr(at + 11);
  return std::string{rest.substr(0, rest.find(' '))};
}

void attach_wire_events(ProbeRun& run, const std::vector<CapturedFrame>& capture) {
  run.wire.clear();
  run.wire_captured = true;
  const auto destination = destination_of(run.description);
  if (!destination) return;
  const std::size_t colon = destination->rfind(':');
  const std::string address = destination->substr(0, colon);
  std::uint16_t port = 0;
  if (!parse_number(std::string_view{*destination}.substr(colon + 1), port)) return;
  const std::set<std::uint16_t> ports = local_ports_of(run);
  std::optional<double> first;
  for (const CapturedFrame& frame : capture) {
    WireEvent event;
    if (frame.tcp_syn && frame.source == kernel_client_address && ports.contains(frame.source_port) &&
        frame.destination == address && frame.destination_port == port) {
      event.kind = WireEvent::Kind::Syn;
      event.source_port = frame.source_port;
    } else if (frame.arp_request && frame.source == kernel_client_address && frame.destination == address) {
      event.kind = WireEvent::Kind::ArpRequest;
    } else {
      continue;
    }
    if (!first) first = frame.time;
    event.t = frame.time - *first;
    run.wire.push_back(event);
  }
}

const ProbeRun* KernelResults::find(const RunKey& key) const {
  for (const ProbeRun& run : runs) {
    if (run.label == key.label && run.occurrence == key.occurrence) return &run;
  }
  return nullptr;
}

const std::string& KernelResults::setting(std::string_view key) const {
  const auto it = environment.find(key);
  if (it == environment.end()) throw std::runtime_error("00_env.txt has no \"" + std::string{key} + "\"");
  return it->second;
}

KernelResults load_kernel_results(const std::filesystem::path& out_dir) {
  KernelResults results;
  results.environment = parse_environment(read_file(out_dir / "00_env.txt"));
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{out_dir}) {
    const std::string name = entry.path().filename().string();
    const bool numbered = name.size() > 7 && std::isdigit(static_cast<unsigned char>(name[0])) &&
                          std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_';
    if (entry.is_regular_file() && numbered && entry.path().extension() == ".txt" && name != "00_env.txt") {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) throw std::runtime_error("no probe results (NN_*.txt) in " + out_dir.string());
  std::sort(files.begin(), files.end());
  std::map<std::string, int, std::less<>> seen;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    const std::string text = read_file(path);
    for (const std::string_view line : lines_of(text)) {
      if (starts_with(line, "NOTE ")) results.notes.emplace_back(line.substr(5));
    }
    std::vector<ProbeRun> runs = parse_results_file(text, name);
    std::vector<CapturedFrame> capture;
    const auto capture_name = capture_of(name);
    if (capture_name) capture = parse_capture(read_file(out_dir / "pcap" / std::string{*capture_name}));
    for (ProbeRun& run : runs) {
      run.occurrence = ++seen[run.label];
      if (capture_name) attach_wire_events(run, capture);
      results.runs.push_back(std::move(run));
    }
  }
  return results;
}

}  // namespace netstep::interop
