// libFuzzer entry point for every wire parser. The first byte picks the
// parser, so one corpus explores them all; the rest is the input.
//
// Build and run (clang only):
//   cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DNETSTEP_BUILD_FUZZERS=ON
//   cmake --build build/fuzz --target netstep-fuzz-wire
//   mkdir -p build/fuzz/corpus && ./build/fuzz/tests/fuzz/netstep-fuzz-wire build/fuzz/corpus -max_len=1600
// A crash leaves crash-<hash> in the current directory; replay it with
//   ./build/fuzz/tests/fuzz/netstep-fuzz-wire crash-<hash>
#include <cstddef>
#include <cstdint>

#include "parse_everything.hpp"

using namespace netstep;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Bytes input = std::as_bytes(std::span{data + 1, size - 1});
  const Ipv4Address a{10, 0, 0, 1}, b{10, 0, 0, 2};
  volatile std::size_t sink = 0;
  switch (data[0] % 8) {
    case 0: sink = wire::describe_frame(input).size(); break;
    case 1: sink = wire::EthernetRepr::parse(input).ok(); break;
    case 2: sink = wire::ArpRepr::parse(input).ok(); break;
    case 3: sink = fuzz::parse_ipv4(input); break;
    case 4: sink = fuzz::parse_transport(wire::ip_protocol::icmp, input, a, b); break;
    case 5: sink = fuzz::parse_transport(wire::ip_protocol::udp, input, a, b); break;
    case 6: sink = fuzz::parse_transport(wire::ip_protocol::tcp, input, a, b); break;
    default: sink = fuzz::parse_everything(input); break;
  }
  (void)sink;
  return 0;
}
