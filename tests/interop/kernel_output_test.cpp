// Reading run-all.sh's output: lines as the probes print them (common.h's
// cm_report) and as tcpdump -tt prints the captures.
#include <catch2/catch.hpp>

#include "kernel_output.hpp"

using namespace netstep::interop;

TEST_CASE("a RESULT line gives the call, its return, errno, time and extra fields", "[interop]") {
  const auto r = parse_result_line(
      "RESULT nb_refused_after_1s call=connect#3(no SO_ERROR read) ret=-1 errno=ECONNREFUSED(111) t=1.021932 "
      "local=0.0.0.0:36570 peer=ENOTCONN tcp_state=CLOSE");
  REQUIRE(r);
  CHECK(r->label == "nb_refused_after_1s");
  CHECK(r->call.name == "connect#3(no SO_ERROR read)");
  CHECK(r->call.ret == -1);
  CHECK(r->call.error == "ECONNREFUSED");
  CHECK(r->call.error_number == 111);
  CHECK(r->call.t == Approx(1.021932));
  CHECK(r->call.extra == "local=0.0.0.0:36570 peer=ENOTCONN tcp_state=CLOSE");
  CHECK(kind_of_call(r->call.name) == CallKind::Connect);
}

TEST_CASE("SO_ERROR, poll and bind lines give the error read, the revents, bind()'s errno", "[interop]") {
  const auto so = parse_result_line(
      "RESULT nb_silent_timeout call=getsockopt(SO_ERROR)#1 ret=0 errno=- t=7.146060 so_error=ETIMEDOUT(110) tcp_state=CLOSE");
  REQUIRE(so);
  CHECK(so->call.ret == 0);
  CHECK(so->call.error.empty());
  CHECK(so->call.so_error == "ETIMEDOUT");
  CHECK(so->call.so_error_number == 110);
  const auto none = parse_result_line("RESULT tcp_success call=getsockopt(SO_ERROR)after#1 ret=0 errno=- t=0.000872 so_error=0(0)");
  REQUIRE(none);
  CHECK(none->call.so_error == "0");
  const auto poll = parse_result_line(
      "RESULT nb_refused_fast call=poll(POLLOUT) ret=1 errno=- t=0.002292 revents=0x1c POLLOUT POLLERR POLLHUP tcp_state=CLOSE");
  REQUIRE(poll);
  CHECK(poll->call.revents == 0x1c);
  const auto bind = parse_result_line(
      "RESULT no_reuseaddr_second_bind call=bind ret=-1 errno=EADDRINUSE(98) t=0.001115 to=127.0.0.1:45699 SO_REUSEADDR=0");
  REQUIRE(bind);
  CHECK(kind_of_call(bind->call.name) == CallKind::Bind);
  CHECK(kind_of_call("recvfrom") == CallKind::Transfer);
  CHECK(kind_of_call("recvmsg(MSG_ERRQUEUE)") == CallKind::Other);
  CHECK(bind->call.error == "EADDRINUSE");
  CHECK_FALSE(parse_result_line("NOTE tcp_success: TCP connect to 203.0.113.2:8080"));
  CHECK_THROWS(parse_result_line("RESULT broken call=connect#1 ret=x errno=- t=0"));
}

TEST_CASE("a NOTE naming a label starts a new run of it, so a label run twice gives two runs", "[interop]") {
  const auto runs = parse_results_file(
      "NOTE nb_x: nonblocking TCP connect to 203.0.113.2:8081 mode=soerror\n"
      "RESULT nb_x call=connect#1 ret=-1 errno=EINPROGRESS(115) t=0.0004 local=198.51.100.2:59170\n"
      "NOTE connect() still pending (or a new attempt was started); polling again\n"
      "RESULT nb_x call=connect#2(immediate) ret=-1 errno=EALREADY(114) t=0.0005 local=198.51.100.2:59170\n"
      "NOTE nb_x: nonblocking TCP connect to 203.0.113.2:8081 mode=reconnect\n"
      "RESULT nb_x call=connect#1 ret=-1 errno=EINPROGRESS(115) t=0.0003 local=198.51.100.2:59174\n"
      "RESULT other call=connect ret=0 errno=- t=0.1\n"
      "RESULT other call=connect ret=0 errno=- t=0.2\n",
      "02_nonblocking.txt");
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].calls.size() == 2);
  CHECK(runs[0].description == "nonblocking TCP connect to 203.0.113.2:8081 mode=soerror");
  CHECK(runs[1].occurrence == 2);
  CHECK(runs[1].description.find("mode=reconnect") != std::string::npos);
  CHECK(runs[2].label == "other");
  CHECK(runs[2].calls.size() == 2);
  CHECK(destination_of(runs[0].description) == "203.0.113.2:8081");
}

TEST_CASE("the capture gives each run its SYNs (by local port and destination) and ARP requests", "[interop]") {
  const auto capture = parse_capture(
      "1795279023.245319 ARP, Request who-has 198.51.100.1 tell 198.51.100.2, length 28\n"
      "1795279023.268676 IP 198.51.100.2.40686 > 203.0.113.3.80: Flags [S], seq 3710098401, win 64240, length 0\n"
      "1795279023.300000 IP 198.51.100.2.50000 > 203.0.113.3.80: Flags [S], seq 1, win 64240, length 0\n"
      "1795279024.285133 IP 198.51.100.2.40686 > 203.0.113.3.80: Flags [S], seq 3710098401, win 64240, length 0\n"
      "1795279024.300000 IP 203.0.113.3.80 > 198.51.100.2.40686: Flags [S.], seq 1, ack 2, length 0\n"
      "1795279044.709593 ARP, Request who-has 203.0.113.3 tell 198.51.100.2, length 28\n");
  REQUIRE(capture.size() == 6);
  CHECK(capture[1].tcp_syn);
  CHECK_FALSE(capture[4].tcp_syn);  // SYN,ACK
  ProbeRun run;
  run.description = "TCP connect to 203.0.113.3:80 nonblock=0";
  CallRecord c;
  c.extra = "local=0.0.0.0:40686 peer=ENOTCONN";
  run.calls.push_back(c);
  attach_wire_events(run, capture);
  REQUIRE(run.wire.size() == 3);  // two SYNs from 40686 (not 50000's), one ARP request for 203.0.113.3
  CHECK(run.wire[0].t == 0);
  CHECK(run.wire[1].t == Approx(1.016457));
  CHECK(run.wire[2].kind == WireEvent::Kind::ArpRequest);
}

TEST_CASE("00_env.txt's settings are read by their keys", "[interop]") {
  const auto env = parse_environment("kernel: Linux 6.18.44 #1 SMP x86_64\ncm-cli net.ipv4.tcp_syn_retries = 2\n");
  CHECK(env.at("kernel") == "Linux 6.18.44 #1 SMP x86_64");
  CHECK(env.at("cm-cli net.ipv4.tcp_syn_retries") == "2");
}
