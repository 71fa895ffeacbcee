#include "scenario/scenario.hpp"

#include <algorithm>

#include "socket/errc.hpp"

namespace netstep::scenario {

std::string SourceMark::where() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const HostSpec* TopologySpec::find_host(std::string_view name) const {
  const auto it = std::find_if(hosts.begin(), hosts.end(), [&](const HostSpec& h) { return h.name == name; });
  return it == hosts.end() ? nullptr : &*it;
}

std::string ResultExpectation::describe() const {
  switch (kind) {
    case Kind::Success: return "success";
    case Kind::Value: return std::to_string(value);
    case Kind::Failure: return "an error";
    case Kind::Error: return std::string{socket::posix_name(error)};
  }
  return "?";
}

const CallExpectation* PerPersonality::for_personality(socket::PersonalityId id) const {
  if (all) return &*all;
  for (const auto& [personality, expectation] : each) {
    if (personality == id) return &expectation;
  }
  return other ? &*other : nullptr;
}

std::string_view to_string(Call c) {
  switch (c) {
    case Call::Socket: return "socket";
    case Call::Bind: return "bind";
    case Call::Listen: return "listen";
    case Call::Accept: return "accept";
    case Call::Connect: return "connect";
    case Call::Send: return "send";
    case Call::Recv: return "recv";
    case Call::SendTo: return "sendto";
    case Call::RecvFrom: return "recvfrom";
    case Call::Shutdown: return "shutdown";
    case Call::Close: return "close";
    case Call::SetSockOpt: return "setsockopt";
    case Call::GetSockOpt: return "getsockopt";
    case Call::SoError: return "so_error";
    case Call::Nonblocking: return "nonblocking";
    case Call::Wait: return "wait";
    case Call::State: return "state";
    case Call::ExpectSegment: return "expect_segment";
    case Call::ExpectNoSegment: return "expect_no_segment";
    case Call::Inject: return "inject";
  }
  return "?";
}

std::string seconds_text(Duration d) {
  std::string text = std::to_string(std::chrono::duration<double>(d).count());
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

std::string Step::describe() const {
  std::string out{to_string(call)};
  out += '(';
  switch (call) {
    case Call::Socket: out += type == socket::sock_dgram ? "dgram" : "stream"; break;
    case Call::Wait:
    case Call::ExpectNoSegment: out += seconds_text(duration); break;
    case Call::ExpectSegment: out += segment.describe(); break;
    case Call::Inject: out += injected.describe(); break;
    case Call::Connect:
      out += socket_name + ", " + (unspecified_family ? std::string{"AF_UNSPEC"} : address->to_string());
      break;
    case Call::Bind:
    case Call::SendTo:
      out += socket_name + ", " + address->to_string();
      if (call == Call::SendTo) out += ", " + std::to_string(bytes) + " bytes";
      break;
    case Call::Send:
    case Call::Recv:
    case Call::RecvFrom:
      out += socket_name + ", " + std::to_string(bytes) + " bytes";
      if (until_end) out += ", until end of stream";
      break;
    case Call::SetSockOpt: out += socket_name + ", " + std::string{socket::to_string(option)} + ", " + std::to_string(option_value); break;
    case Call::GetSockOpt: out += socket_name + ", " + std::string{socket::to_string(option)}; break;
    default: out += socket_name; break;
  }
  out += ')';
  if (!as.empty()) out += " as " + as;
  return out;
}

std::string SegmentExpectation::describe() const {
  std::string out = "segments from " + from;
  if (to) out += " to " + to->to_string();
  static constexpr std::pair<std::uint8_t, const char*> names[] = {{0x02, "SYN"}, {0x10, "ACK"}, {0x01, "FIN"},
                                                                   {0x04, "RST"}, {0x08, "PSH"}};
  for (const auto& [bit, name] : names) {
    if ((flags_set & bit) != 0) out += std::string{" +"} + name;
    if ((flags_clear & bit) != 0) out += std::string{" -"} + name;
  }
  out += count ? ": exactly " + std::to_string(*count) : std::string{": at least one"};
  return out;
}

}  // namespace netstep::scenario
