#include "sinks/jsonl_sink.hpp"

#include <cstdio>
#include <type_traits>

namespace netstep {

namespace {

void append_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_hex(std::string& out, Bytes bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  out += '"';
  for (const std::byte b : bytes) {
    out += digits[static_cast<unsigned>(b) >> 4];
    out += digits[static_cast<unsigned>(b) & 0xf];
  }
  out += '"';
}

// One writer per field type; times and durations are integer nanoseconds.
struct FieldWriter {
  std::string& out;
  bool first = true;

  void key(std::string_view name) {
    if (!first) out += ',';
    first = false;
    append_string(out, name);
    out += ':';
  }
  template <class T>
  void operator()(std::string_view name, const T& value) {
    key(name);
    if constexpr (std::is_same_v<T, std::string_view>) {
      append_string(out, value);
    } else if constexpr (std::is_same_v<T, bool>) {
      out += value ? "true" : "false";
    } else if constexpr (std::is_integral_v<T>) {
      out += std::to_string(value);
    } else if constexpr (std::is_same_v<T, Instant>) {
      out += std::to_string(to_ns(value));
    } else if constexpr (std::is_same_v<T, Duration>) {
      out += std::to_string(value.count());
    } else {
      append_string(out, value.to_string());  // addresses and prefixes
    }
  }
};

}  // namespace

void append_json(std::string& out, const TraceEvent& event) {
  out += "{\"v\":";
  out += std::to_string(JsonlSink::format_version);
  out += ",\"seq\":";
  out += std::to_string(event.sequence);
  out += ",\"t_ns\":";
  out += std::to_string(to_ns(event.time));
  out += ",\"host\":";
  append_string(out, event.host);
  out += ",\"layer\":";
  append_string(out, to_string(event.layer));
  out += ",\"kind\":";
  append_string(out, kind_of(event.payload));
  out += ",\"data\":{";
  std::visit([&out](const auto& payload) { payload.fields(FieldWriter{out}); }, event.payload);
  out += '}';
  if (!event.frame.empty()) {
    out += ",\"frame\":";
    append_hex(out, event.frame);
  }
  out += '}';
}

void JsonlSink::receive(const TraceEvent& event) {
  line_.clear();
  append_json(line_, event);
  line_ += '\n';
  out_ << line_;
}

}  // namespace netstep
