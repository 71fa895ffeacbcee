#pragma once
// The CLI's side of real wires: the --via family of options, and one host
// built on a real device (TAP or libpcap) in wall-clock mode. Shared by
// connect, ping and listen (docs/real-wires.md).
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "capture/capture_topology.hpp"
#include "host/host.hpp"
#include "live/live_device.hpp"
#include "live/live_loop.hpp"
#include "live/signal_stop.hpp"
#include "run_sinks.hpp"

namespace netstep::cli {

struct ViaOptions {
  std::string via;        // "tap:NAME" or "pcap:IFACE"; empty: the simulated network
  std::string ip;         // netstep's own address on that link, "10.99.0.2/24"
  std::string gateway;    // default route through this router, if any
  std::string kernel_ip;  // TAP only: the kernel side's address (default: the subnet's first other address)
  double timeout_seconds = 0;  // 0: no limit of our own (the protocol's own give-up)
  [[nodiscard]] bool live() const { return !via.empty(); }
};

// Adds --via, --ip, --gw, --kernel-ip and --timeout to `command`.
void add_via_options(CLI::App* command, ViaOptions& options);

// Bad --via/--ip/--gw values: the CLI prints the message and exits 2.
class BadLiveInput : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class LiveWire {
 public:
  // Opens the device and builds the host `host_name` on it. Throws
  // BadLiveInput for bad options and live::LiveError for the environment
  // (both: exit 2). `loop` must not have run yet.
  LiveWire(EventLoop& loop, TraceBus& bus, const ViaOptions& options, std::string host_name, std::uint64_t seed);
  ~LiveWire();

  Host& host() { return *host_; }
  live::LiveLoop& loop() { return *live_; }
  live::LiveDevice& device() { return *device_; }
  // The deadline --timeout asks for, if any.
  [[nodiscard]] std::optional<Instant> deadline() const;
  // What the capture is told: one cable, our interface on it.
  [[nodiscard]] std::vector<capture::CaptureLink> capture_links() const;
  // "client 10.99.0.2/24 (02:..) on TAP nsl-tap0, the kernel's side 10.99.0.1/24"
  [[nodiscard]] std::string describe() const;
  // A line for how the run ended, if it was not the natural end ("interrupted (Ctrl-C)").
  [[nodiscard]] std::string stop_note(live::StopReason reason) const;
  // Frames dropped by the device (and below it), for the summary.
  [[nodiscard]] std::string drop_note() const;

 private:
  std::string host_name_;
  std::string kind_;       // "tap" or "pcap"
  std::string interface_;
  Ipv4Cidr address_;
  std::optional<Ipv4Cidr> kernel_address_;
  double timeout_seconds_;
  live::SignalStop signals_;
  std::unique_ptr<live::LiveLoop> live_;
  std::unique_ptr<live::LiveDevice> device_;
  std::unique_ptr<Host> host_;
};

// What every real-wire command runs on: the loop and its trace bus, the
// run's outputs, and one host on the device. Declared in this order so the
// host goes before the sinks and the bus it reports to.
struct LiveRun {
  EventLoop loop;
  TraceBus bus{loop};
  std::optional<RunSinks> sinks;
  std::optional<LiveWire> wire;
};

// Opens `run`'s outputs (the story shows frames received too: the peer is
// not one of our hosts), then the device and the host `host_name` on it,
// and tells the outputs about it. False, with the reason written to `err`
// as "netstep VERB: ...", when a file or the wire cannot be opened (exit 2).
[[nodiscard]] bool open_live_run(LiveRun& run, RunSinkOptions outputs, const ViaOptions& via,
                                 const std::string& host_name, std::uint64_t seed, std::string_view verb,
                                 std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
