#include "scenario/segment_script.hpp"

#include "wire/tcp.hpp"

namespace netstep::scenario {

namespace {

std::string flag_names(std::uint8_t flags) { return wire::to_string(wire::TcpFlags{flags}); }

}  // namespace

std::string SeenSegment::describe() const {
  std::string out = flag_names(flags) + " seq=" + std::to_string(seq);
  if ((flags & wire::TcpFlags::ack) != 0) out += " ack=" + std::to_string(ack);
  if (length > 0) out += " len=" + std::to_string(length);
  out += " win=" + std::to_string(window);
  if (mss) out += " mss=" + std::to_string(*mss);
  if (sack_permitted) out += " sackOK";
  if (timestamps) out += " TS";
  if (wscale) out += " wscale=" + std::to_string(*wscale);
  return out;
}

std::string SegmentPattern::describe() const {
  std::string out = flag_names(flags);
  if (seq) out += " seq=" + std::to_string(*seq);
  if (ack) out += " ack=" + std::to_string(*ack);
  if (length) out += " len=" + std::to_string(*length);
  if (window) out += " win=" + std::to_string(*window);
  if (mss) out += " mss=" + std::to_string(*mss);
  if (sack_permitted) out += *sack_permitted ? " sackOK" : " no sackOK";
  if (wscale) out += " wscale=" + std::to_string(*wscale);
  return out;
}

std::string SegmentToInject::describe() const {
  std::string out = flag_names(flags);
  if (seq) out += " seq=" + std::to_string(*seq);
  if (ack) out += " ack=" + std::to_string(*ack);
  if (data > 0) out += " len=" + std::to_string(data);
  out += " win=" + std::to_string(window);
  if (mss) out += " mss=" + std::to_string(*mss);
  if (sack_permitted) out += " sackOK";
  if (ts_value) out += " TS val=" + std::to_string(*ts_value) + " ecr=" + std::to_string(ts_echo);
  if (wscale) out += " wscale=" + std::to_string(*wscale);
  if (to) out += " to " + to->to_string();
  return out;
}

bool SegmentPattern::matches(const SeenSegment& s) const {
  if (s.flags != flags) return false;
  if (seq && s.seq != *seq) return false;
  if (ack && ((s.flags & wire::TcpFlags::ack) == 0 || s.ack != *ack)) return false;
  if (length && s.length != *length) return false;
  if (window && s.window != *window) return false;
  if (mss && s.mss != mss) return false;
  if (wscale && s.wscale != wscale) return false;
  if (sack_permitted && s.sack_permitted != *sack_permitted) return false;
  return true;
}

}  // namespace netstep::scenario
