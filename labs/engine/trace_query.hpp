#pragma once
// The trace query of a lab question (docs/labs.md, the `find` table): the
// matches of `find` + `where` among one run's trace events, the nth of
// them, and one field of it. Computed from a RunTrace (run_trace.hpp), so
// the event numbers are the ones `netstep debug` shows.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/time.hpp"
#include "lab.hpp"
#include "run_trace.hpp"

namespace netstep::lab {

// The `where` keys and fields each `find` kind takes (the loader checks them).
[[nodiscard]] std::span<const std::string_view> where_keys(FindKind kind);
[[nodiscard]] std::span<const std::string_view> field_names(FindKind kind);
// Fields whose value is a duration (time, interval, duration, since_start).
[[nodiscard]] bool is_duration_field(std::string_view field);

// One field's value: a number, a duration, or text (an error name, a state, flags).
struct QueryValue {
  std::optional<double> number;
  std::optional<Duration> duration;
  std::string text;  // always set: how the value reads
};

struct QueryResult {
  bool found = false;
  std::size_t matches = 0;
  std::uint64_t event = 0;        // the trace event of the chosen match
  std::optional<QueryValue> value;  // when a field was asked and exists (interval of the last match: none)
};

// Throws LabInputError for a where value that cannot be understood (an
// unknown flag name ...), at the query's place.
[[nodiscard]] QueryResult run_query(const RunTrace& trace, const TraceQuery& query);

}  // namespace netstep::lab
