#include "live_wire.hpp"

#include "live/live_error.hpp"
#include "live/local_mac.hpp"
#include "tap/kernel_interface.hpp"
#include "tap/tap_device.hpp"
#ifdef NETSTEP_HAS_PCAP_DEVICE
#include "pcap/pcap_device.hpp"
#endif

namespace netstep::cli {

namespace {

Ipv4Cidr parse_own_address(const std::string& text) {
  if (text.empty()) {
    throw BadLiveInput("--via needs --ip A.B.C.D/NN: netstep's own address on that link, one the host kernel "
                       "does not use (see docs/real-wires.md)");
  }
  const auto cidr = Ipv4Cidr::parse(text);
  if (!cidr || text.find('/') == std::string::npos) {
    throw BadLiveInput("--ip '" + text + "' is not an address with a prefix length (expected e.g. 10.99.0.2/24)");
  }
  if (cidr->length() < 1 || cidr->length() > 30 || cidr->address() == cidr->network() ||
      cidr->address() == cidr->broadcast()) {
    throw BadLiveInput("--ip '" + text + "' is not a host address of its subnet (prefix /1 to /30, not the network "
                       "or broadcast address)");
  }
  return *cidr;
}

// The subnet's first host address that is not ours: 10.99.0.1 for 10.99.0.2/24.
Ipv4Cidr default_kernel_address(Ipv4Cidr ours) {
  Ipv4Address candidate{ours.network().to_u32() + 1};
  if (candidate == ours.address()) candidate = Ipv4Address{candidate.to_u32() + 1};
  return Ipv4Cidr{candidate, ours.length()};
}

}  // namespace

void add_via_options(CLI::App* command, ViaOptions& options) {
  command->add_option("--via", options.via,
                      "Run on a real wire instead of the simulated network: tap:NAME (a TAP device to this "
                      "machine's kernel) or pcap:IFACE (an existing interface through libpcap). Needs root or "
                      "CAP_NET_ADMIN/CAP_NET_RAW; see docs/real-wires.md");
  command->add_option("--ip", options.ip,
                      "With --via: netstep's own address and prefix on that link (e.g. 10.99.0.2/24), one the "
                      "host kernel does not use");
  command->add_option("--gw", options.gateway, "With --via: a default route through this router");
  command->add_option("--kernel-ip", options.kernel_ip,
                      "With --via tap: the address the kernel's side of the TAP gets (default: the first other "
                      "address of the --ip subnet, e.g. 10.99.0.1/24)");
  command->add_option("--timeout", options.timeout_seconds,
                      "With --via: end the run after this many seconds (default: when the protocol gives up)")
      ->check(CLI::Range(0.001, 86400.0));
}

LiveWire::LiveWire(EventLoop& loop, TraceBus& bus, const ViaOptions& options, std::string host_name,
                   std::uint64_t seed)
    : host_name_{std::move(host_name)}, timeout_seconds_{options.timeout_seconds} {
  const auto colon = options.via.find(':');
  kind_ = options.via.substr(0, colon);
  interface_ = colon == std::string::npos ? std::string{} : options.via.substr(colon + 1);
  if ((kind_ != "tap" && kind_ != "pcap") || interface_.empty()) {
    throw BadLiveInput("--via '" + options.via + "' is not tap:NAME or pcap:IFACE (e.g. tap:nsl-tap0, pcap:eth0)");
  }
  address_ = parse_own_address(options.ip);
  std::optional<Ipv4Address> gateway;
  if (!options.gateway.empty()) {
    gateway = Ipv4Address::parse(options.gateway);
    if (!gateway || !address_.contains(*gateway)) {
      throw BadLiveInput("--gw '" + options.gateway + "' is not an address on " + address_.network().to_string() +
                         "/" + std::to_string(address_.length()) + " (the router must be on the --ip subnet)");
    }
  }
  if (kind_ == "tap") {
    if (!options.kernel_ip.empty()) {
      const auto kernel = Ipv4Cidr::parse(options.kernel_ip.find('/') == std::string::npos
                                              ? options.kernel_ip + "/" + std::to_string(address_.length())
                                              : options.kernel_ip);
      if (!kernel || kernel->address() == address_.address()) {
        throw BadLiveInput("--kernel-ip '" + options.kernel_ip + "' is not an address other than --ip's");
      }
      kernel_address_ = *kernel;
    } else {
      kernel_address_ = default_kernel_address(address_);
    }
  } else if (!options.kernel_ip.empty()) {
    throw BadLiveInput("--kernel-ip is for --via tap: netstep does not configure an existing interface");
  }

  live_ = std::make_unique<live::LiveLoop>(loop, &signals_);
  const MacAddress mac = live::local_mac_from_seed(seed);
  if (kind_ == "tap") {
    live::TapConfig config;
    config.interface = interface_;
    config.kernel_address = kernel_address_;
    config.mac = mac;
    config.host = host_name_;
    device_ = std::make_unique<live::TapDevice>(bus, config);
  } else {
#ifdef NETSTEP_HAS_PCAP_DEVICE
    live::PcapConfig config;
    config.interface = interface_;
    config.mac = mac;
    config.host = host_name_;
    device_ = std::make_unique<live::PcapDevice>(bus, config);
#else
    throw live::LiveError("this netstep was built without libpcap (Debian: libpcap-dev); use --via tap:NAME");
#endif
  }
  live_->add_device(*device_);
  HostConfig config;
  config.name = host_name_;
  config.seed = seed;
  host_ = std::make_unique<Host>(loop, bus, config);
  host_->add_interface(*device_, address_);
  if (gateway) host_->add_default_route(*gateway);
}

LiveWire::~LiveWire() = default;

std::optional<Instant> LiveWire::deadline() const {
  if (timeout_seconds_ <= 0) return std::nullopt;
  return Instant{std::chrono::duration_cast<Duration>(std::chrono::duration<double>(timeout_seconds_))};
}

std::vector<capture::CaptureLink> LiveWire::capture_links() const {
  capture::CaptureLink link;
  link.name = kind_ + ":" + interface_;
  link.ends.push_back(capture::CaptureEnd{host_name_, "eth0"});
  return {link};
}

std::string LiveWire::describe() const {
  std::string text = host_name_ + " " + address_.address().to_string() + "/" + std::to_string(address_.length()) +
                     " (MAC " + device_->mac().to_string() + ") on ";
  if (kind_ == "tap") {
    text += "TAP " + interface_ + "; the kernel's side has " + kernel_address_->address().to_string() + "/" +
            std::to_string(kernel_address_->length());
  } else {
    text += interface_ + " through libpcap";
  }
  return text + ", wall-clock time";
}

std::string LiveWire::stop_note(live::StopReason reason) const {
  switch (reason) {
    case live::StopReason::Signal: return "interrupted (signal " + std::to_string(signals_.signal_number()) + ")";
    case live::StopReason::Deadline: return "stopped: --timeout reached";
    case live::StopReason::DeviceFailed:
      return "stopped: " + (live_->failed_device() ? live_->failed_device()->failure() : std::string{"device failed"});
    case live::StopReason::Done: return {};
  }
  return {};
}

std::string LiveWire::drop_note() const {
  const auto dropped = device_->frames_dropped();
  const auto below = device_->frames_dropped_below();
  std::string text = std::to_string(device_->frames_transmitted()) + " frames sent, " +
                     std::to_string(device_->frames_received()) + " received";
  if (dropped > 0) text += ", " + std::to_string(dropped) + " dropped by the device";
  if (below > 0) text += ", " + std::to_string(below) + " dropped by the kernel before libpcap";
  return text;
}

bool open_live_run(LiveRun& run, RunSinkOptions outputs, const ViaOptions& via, const std::string& host_name,
                   std::uint64_t seed, std::string_view verb, std::ostream& out, std::ostream& err) {
  outputs.peer_outside = true;
  if (!RunSinks::open(run.sinks, run.bus, out, err, verb, outputs)) return false;
  try {
    run.wire.emplace(run.loop, run.bus, via, host_name, seed);
  } catch (const std::exception& e) {
    err << "netstep " << verb << ": " << e.what() << '\n';
    return false;
  }
  run.sinks->network_built({host_name}, run.wire->capture_links());
  return true;
}

}  // namespace netstep::cli
