#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "tcp/tcp_state.hpp"

using namespace netstep::tcp;

TEST_CASE("the eleven states print with RFC 9293 spelling and each has an explanation", "[tcp][state]") {
  std::set<std::string> names;
  for (const State s : all_states) {
    names.insert(std::string{to_string(s)});
    CHECK_FALSE(explain(s).empty());
  }
  CHECK(names.size() == 11);
  CHECK(to_string(State::SynSent) == "SYN-SENT");
  CHECK(to_string(State::FinWait1) == "FIN-WAIT-1");
  CHECK(to_string(State::TimeWait) == "TIME-WAIT");
}

TEST_CASE("synchronized states are those after the handshake (RFC 9293 3.3.2)", "[tcp][state]") {
  CHECK_FALSE(is_synchronized(State::Closed));
  CHECK_FALSE(is_synchronized(State::Listen));
  CHECK_FALSE(is_synchronized(State::SynSent));
  CHECK_FALSE(is_synchronized(State::SynReceived));
  CHECK(is_synchronized(State::Established));
  CHECK(is_synchronized(State::TimeWait));
}

TEST_CASE("half-close: CLOSE-WAIT may still send, FIN-WAIT-2 may still receive", "[tcp][state]") {
  CHECK(can_send(State::CloseWait));
  CHECK_FALSE(can_receive(State::CloseWait));
  CHECK(can_receive(State::FinWait2));
  CHECK_FALSE(can_send(State::FinWait2));
}
