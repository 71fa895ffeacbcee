// Answers compared by kind: every spelling of the same thing is right.
#include <catch2/catch.hpp>

#include "answer_compare.hpp"
#include "yaml_reader.hpp"

using namespace netstep;
using namespace netstep::lab;

namespace {

Question of(AnswerKind kind) {
  Question q;
  q.id = "q";
  q.kind = kind;
  return q;
}

QueryValue text(std::string t) {
  QueryValue v;
  v.text = std::move(t);
  return v;
}

QueryValue number(double n) {
  QueryValue v;
  v.number = n;
  v.text = std::to_string(n);
  return v;
}

QueryValue duration(Duration d) {
  QueryValue v;
  v.duration = d;
  v.text = duration_text(d);
  return v;
}

constexpr auto linux_ = socket::PersonalityId::Linux;
constexpr auto winsock = socket::PersonalityId::Winsock;

}  // namespace

TEST_CASE("errors: any spelling, or the personality's number", "[lab]") {
  const Question q = of(AnswerKind::Error);
  const QueryValue refused = text("ECONNREFUSED");
  CHECK(answer_matches(q, "ECONNREFUSED", refused, linux_));
  CHECK(answer_matches(q, "econnrefused", refused, linux_));
  CHECK(answer_matches(q, "WSAECONNREFUSED", refused, winsock));
  CHECK(answer_matches(q, "111", refused, linux_));
  CHECK(answer_matches(q, "10061", refused, winsock));
  CHECK_FALSE(answer_matches(q, "111", refused, winsock));
  CHECK_FALSE(answer_matches(q, "ETIMEDOUT", refused, linux_));
  CHECK_FALSE(answer_matches(q, "", refused, linux_));
  CHECK(answer_matches(q, "-pdFREERTOS_ERRNO_ETIMEDOUT", text("ETIMEDOUT"), socket::PersonalityId::FreeRtos));
}

TEST_CASE("durations: a unit is required, 1% or 1 ms either way", "[lab]") {
  const Question q = of(AnswerKind::Duration);
  const QueryValue giveup = duration(std::chrono::seconds{127});
  CHECK(answer_matches(q, "127s", giveup, linux_));
  CHECK(answer_matches(q, "127 s", giveup, linux_));
  CHECK(answer_matches(q, "127000ms", giveup, linux_));
  CHECK(answer_matches(q, "2.12min", giveup, linux_));  // 127.2 s: within 1%
  CHECK(answer_matches(q, "128s", giveup, linux_));
  CHECK_FALSE(answer_matches(q, "129s", giveup, linux_));
  CHECK_FALSE(answer_matches(q, "127", giveup, linux_));  // no unit
  const QueryValue fast = duration(std::chrono::microseconds{400});
  CHECK(answer_matches(q, "0.4ms", fast, linux_));
  CHECK(answer_matches(q, "1ms", fast, linux_));  // 1 ms is the least tolerance
  CHECK_FALSE(answer_matches(q, "2ms", fast, linux_));
  Question strict = of(AnswerKind::Duration);
  strict.duration_tolerance = std::chrono::microseconds{10};
  CHECK(answer_matches(strict, "405us", fast, linux_));
  CHECK_FALSE(answer_matches(strict, "420us", fast, linux_));
}

TEST_CASE("numbers: exact unless a tolerance is given", "[lab]") {
  Question q = of(AnswerKind::Number);
  CHECK(answer_matches(q, "4143831355", number(4143831355.0), linux_));
  CHECK_FALSE(answer_matches(q, "4143831356", number(4143831355.0), linux_));
  CHECK_FALSE(answer_matches(q, "eleven", number(11), linux_));
  q.tolerance = 2;
  CHECK(answer_matches(q, "13", number(11), linux_));
  CHECK_FALSE(answer_matches(q, "14", number(11), linux_));
}

TEST_CASE("flags are a set, states ignore case and - vs _", "[lab]") {
  const Question flags = of(AnswerKind::Flags);
  CHECK(answer_matches(flags, "SYN,ACK", text("SYN,ACK"), linux_));
  CHECK(answer_matches(flags, "ack, syn", text("SYN,ACK"), linux_));
  CHECK(answer_matches(flags, "[ACK, SYN]", text("SYN,ACK"), linux_));
  CHECK_FALSE(answer_matches(flags, "SYN", text("SYN,ACK"), linux_));
  CHECK_FALSE(answer_matches(flags, "SYN,ACK,PSH", text("SYN,ACK"), linux_));
  const Question state = of(AnswerKind::State);
  CHECK(answer_matches(state, "syn_sent", text("SYN-SENT"), linux_));
  CHECK(answer_matches(state, "Time-Wait", text("TIME-WAIT"), linux_));
  CHECK_FALSE(answer_matches(state, "ESTABLISHED", text("SYN-SENT"), linux_));
}

TEST_CASE("choices and text ignore case and surrounding space", "[lab]") {
  CHECK(answer_matches(of(AnswerKind::Choice), " B ", text("b"), linux_));
  CHECK_FALSE(answer_matches(of(AnswerKind::Choice), "a", text("b"), linux_));
  CHECK(answer_matches(of(AnswerKind::Text), "  Nagle  ", text("nagle"), linux_));
}
