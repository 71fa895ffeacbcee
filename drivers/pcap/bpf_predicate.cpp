#include "pcap/bpf_predicate.hpp"

#include <pcap/pcap.h>

namespace netstep::live {

namespace {

// Frames up to a jumbo's size are tested whole; the simulated wire never
// carries more.
constexpr int snapshot_length = 65535;

class BpfPredicate final : public debug::FramePredicate {
 public:
  BpfPredicate(std::string expression, bpf_program program)
      : expression_{std::move(expression)}, program_{program} {}
  BpfPredicate(const BpfPredicate&) = delete;
  BpfPredicate& operator=(const BpfPredicate&) = delete;
  ~BpfPredicate() override { pcap_freecode(&program_); }

  [[nodiscard]] bool matches(Bytes frame) const override {
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(frame.size());
    header.len = header.caplen;
    // libpcap reads bytes as u_char; std::byte has the same size and alignment.
    return pcap_offline_filter(&program_, &header, reinterpret_cast<const u_char*>(frame.data())) != 0;
  }
  [[nodiscard]] std::string describe() const override { return "bpf '" + expression_ + "'"; }

 private:
  std::string expression_;
  bpf_program program_;
};

}  // namespace

std::shared_ptr<const debug::FramePredicate> compile_bpf(const std::string& expression) {
  // A dead handle is all pcap_compile needs to know the link type.
  const std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead{pcap_open_dead(DLT_EN10MB, snapshot_length), pcap_close};
  if (!dead) throw BpfSyntaxError{"libpcap could not open a handle to compile '" + expression + "'"};
  bpf_program program{};
  if (pcap_compile(dead.get(), &program, expression.c_str(), /*optimize=*/1, PCAP_NETMASK_UNKNOWN) != 0) {
    throw BpfSyntaxError{"'" + expression + "': " + pcap_geterr(dead.get())};
  }
  return std::make_shared<const BpfPredicate>(expression, program);
}

}  // namespace netstep::live
