#pragma once
// What every real device shares: a Device whose frames arrive on a file
// descriptor the live loop polls. The concrete driver (TAP, libpcap) only
// knows how to read one frame and write one; this class checks lengths
// (runts and giants are dropped, counted and traced, never handed to the
// stack), holds frames in a bounded queue while the run is paused, and
// bounds the frames taken per wakeup so timers still run under a flood.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/mac_address.hpp"
#include "link/device.hpp"
#include "live/frame_queue.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::live {

// The largest frame we accept: MTU + Ethernet header + one VLAN tag.
[[nodiscard]] constexpr std::size_t max_frame_for(std::size_t mtu) { return mtu + 14 + 4; }

// How one read attempt went.
enum class ReadStatus { Frame, Empty, Failed };

class LiveDevice : public Device {
 public:
  static constexpr std::size_t default_hold_capacity = 256;
  static constexpr std::size_t default_budget = 64;

  LiveDevice(TraceBus& bus, std::string host, std::string name, MacAddress mac, std::size_t mtu = default_mtu);

  // --- Device ---
  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] MacAddress mac() const override { return mac_; }
  [[nodiscard]] std::size_t mtu() const override { return mtu_; }
  // Checks the length, then writes through write_frame(); a frame the wire
  // refuses is dropped and traced.
  void transmit(Bytes frame) override;

  // --- what the live loop calls ---
  [[nodiscard]] virtual int readable_fd() const = 0;
  // Reads up to `budget` frames; while `hold`, they go to the hold queue
  // instead of the stack. Empty once nothing is waiting, Failed if the
  // device failed (see failure()), Frame if the budget ran out first.
  ReadStatus drain(bool hold, std::size_t budget = default_budget);
  // The run resumed: hands the held frames to the stack, oldest first.
  void release_held();
  // Why the device stopped working ("interface nsl-a went down"), empty if it works.
  [[nodiscard]] const std::string& failure() const { return failure_; }
  // The loop saw the descriptor fail; keeps the device's own reason if it has one.
  void report_failure(std::string message) {
    if (failure_.empty()) failure_ = std::move(message);
  }

  [[nodiscard]] std::uint64_t frames_transmitted() const { return transmitted_; }
  [[nodiscard]] std::uint64_t frames_received() const { return received_; }
  [[nodiscard]] std::uint64_t frames_dropped() const { return dropped_; }
  [[nodiscard]] std::size_t frames_held() const { return held_.size(); }
  // Drops the driver below us reports (libpcap's ps_drop); 0 if it cannot tell.
  [[nodiscard]] virtual std::uint64_t frames_dropped_below() const { return 0; }

 protected:
  // One frame from the wire: on Frame, `frame` points at it until the next read.
  virtual ReadStatus read_frame(Bytes& frame) = 0;
  // One frame to the wire; false if it could not go (the reason in `why`, static text).
  virtual bool write_frame(Bytes frame, std::string_view& why) = 0;
  void fail(std::string message) { failure_ = std::move(message); }
  void drop(std::string_view reason, Bytes frame);
  [[nodiscard]] std::size_t max_frame() const { return max_frame_for(mtu_); }

 private:
  void accept(Bytes frame, bool hold);

  TraceBus* bus_;
  std::string host_;
  std::string name_;
  MacAddress mac_;
  std::size_t mtu_;
  FrameQueue held_;
  std::string failure_;
  std::uint64_t transmitted_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace netstep::live
