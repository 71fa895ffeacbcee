#pragma once
// What a cable plugs into: a host's NIC or a switch port. The link calls
// receive_from_link() for each frame that arrives; the endpoint calls
// send_to_link() for each frame it puts on the cable.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.hpp"

namespace netstep::sim {

class Link;

// Which end of a link: the first or the second endpoint given to connect().
enum class Side : std::uint8_t { A, B };

// The largest frame (Ethernet header onwards, no FCS) that carries `mtu`
// bytes of IP: 14 header bytes, 18 when VLAN-tagged. (On a real wire the
// 4-byte FCS makes these MTU+18 and MTU+22; netstep frames carry no FCS.)
[[nodiscard]] std::size_t frame_limit(std::size_t mtu, Bytes frame);
[[nodiscard]] constexpr std::size_t max_frame_length(std::size_t mtu) { return mtu + 18; }

class LinkEndpoint {
 public:
  LinkEndpoint() = default;
  LinkEndpoint(const LinkEndpoint&) = delete;
  LinkEndpoint& operator=(const LinkEndpoint&) = delete;
  virtual ~LinkEndpoint() = default;

  // A frame off the cable; `frame` is valid only during the call.
  virtual void receive_from_link(Bytes frame) = 0;
  // The largest frame this endpoint sends or accepts.
  [[nodiscard]] virtual std::size_t max_frame_length() const = 0;
  // "h1.eth0", "sw0.p2": how links name their directions in traces.
  [[nodiscard]] virtual std::string label() const = 0;

  [[nodiscard]] bool plugged() const { return link_ != nullptr; }
  [[nodiscard]] Link* link() const { return link_; }

 protected:
  // Puts a frame on the cable (which copies it); false if none is plugged in.
  bool send_to_link(Bytes frame);

 private:
  friend class Link;  // plugs and unplugs
  Link* link_ = nullptr;
  Side side_ = Side::A;
};

}  // namespace netstep::sim
