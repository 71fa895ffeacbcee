#pragma once
// Whether what a student wrote is the right answer, by the question's kind
// (docs/labs.md): numbers within a tolerance, durations with their units,
// any spelling of an error, states and flags however they are written.
#include <string>

#include "lab.hpp"
#include "socket/personality.hpp"
#include "trace_query.hpp"

namespace netstep::lab {

// `right` is what the trace query computed, or the question's written key.
// `personality` decides what an error number means (111 is ECONNREFUSED under linux).
[[nodiscard]] bool answer_matches(const Question& question, const std::string& given, const QueryValue& right,
                                  socket::PersonalityId personality);

}  // namespace netstep::lab
