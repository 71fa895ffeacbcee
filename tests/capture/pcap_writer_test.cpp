// PcapWriter: the same frames as the pcapng writer, as classic pcap with
// nanosecond timestamps, through libpcap.
#include <catch2/catch.hpp>

#include <fstream>
#include <stdexcept>

#include "capture/pcap_writer.hpp"
#include "capture_files.hpp"
#include "capture_scenarios.hpp"
#include "temp_dir.hpp"

using namespace netstep;
using namespace netstep::test;

TEST_CASE("pcap: the frames of the pcapng file, in order, with nanosecond timestamps, written by libpcap",
          "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("lossy.pcap");
  topology::DefaultTopologyOptions lossy;
  lossy.loss = 0.05;
  CaptureNet net{lossy};
  capture::PcapWriter pcap{path, capture_links(net.network.network())};
  const Attachment attached{net.bus, pcap};
  spawn_transfer(net, 32 * 1024);
  const PcapngFile pcapng = parse_pcapng(net.finish());
  pcap.finish();

  const PcapFile file = parse_pcap(read_file(path));
  CHECK(file.nanoseconds);
  CHECK(file.linktype == 1);
  CHECK(file.snap_length == 262144);
  REQUIRE(file.records.size() == pcapng.packets.size());
  CHECK(pcap.frames_written() == file.records.size());
  for (std::size_t i = 0; i < file.records.size(); ++i) {
    INFO("frame " << i + 1);
    const PcapRecord& record = file.records[i];
    const std::uint64_t ns = std::uint64_t{record.seconds} * 1'000'000'000 + record.fraction;
    CHECK(record.fraction < 1'000'000'000);
    CHECK(ns == pcapng.packets[i].timestamp);
    CHECK(record.data == pcapng.packets[i].data);
    CHECK(record.original_length == pcapng.packets[i].original_length);
  }
}

TEST_CASE("pcap: a path that cannot be written is reported with the path and the reason", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("missing/dir/out.pcap");
  try {
    capture::PcapWriter pcap{path, {}};
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string{e.what()} == "cannot write " + path + ": No such file or directory");
  }
}

TEST_CASE("pcap: finish() reports a write that failed (a full disk)", "[capture][pcap]") {
  if (!std::ifstream{"/dev/full"}) {
    WARN("SKIPPED: /dev/full does not exist here");
    return;
  }
  CaptureNet net;
  capture::PcapWriter pcap{"/dev/full", capture_links(net.network.network())};
  const Attachment attached{net.bus, pcap};
  spawn_handshake(net);
  (void)net.finish();
  try {
    pcap.finish();
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string{e.what()} == "cannot write /dev/full: No space left on device");
  }
}
