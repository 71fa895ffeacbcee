#pragma once
// Ethernet II frames (IEEE 802.3 with an EtherType), with one optional
// 802.1Q VLAN tag.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                  Destination MAC (6 octets)                   |
//  +                               +-------------------------------+
//  |                               |                               |
//  +-------------------------------+                               +
//  |                     Source MAC (6 octets)                     |
//  +-------------------------------+-------------------------------+
//  |  EtherType or TPID 0x8100     | [PCP|DEI|VLAN ID, if tagged]  |
//  +-------------------------------+-------------------------------+
//  | [EtherType, if tagged]        |  payload ...
//
// The frame check sequence is not part of what netstep sees: NICs and
// capture files strip it.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "base/mac_address.hpp"
#include "base/result.hpp"
#include "wire/wire_error.hpp"

namespace netstep::wire {

namespace ethertype {
inline constexpr std::uint16_t ipv4 = 0x0800;
inline constexpr std::uint16_t arp = 0x0806;
inline constexpr std::uint16_t vlan = 0x8100;
inline constexpr std::uint16_t ipv6 = 0x86dd;
}  // namespace ethertype

// A checked view: made only by check(), so every getter is in bounds.
class EthernetView {
 public:
  static constexpr std::size_t header_length_untagged = 14;
  static constexpr std::size_t vlan_tag_length = 4;
  static constexpr std::size_t min_frame_length = 60;  // without FCS; shorter frames are padded

  [[nodiscard]] static Result<EthernetView, WireError> check(Bytes frame);

  [[nodiscard]] MacAddress destination() const;
  [[nodiscard]] MacAddress source() const;
  // The receive filter's two questions, answered on the bytes in place: is
  // the destination a group (broadcast or multicast: the I/G bit of its
  // first octet), and is it exactly `mac`?
  [[nodiscard]] bool destination_is_group() const { return (load_u8(bytes_, 0) & 1) != 0; }
  [[nodiscard]] bool destination_is(const MacAddress& mac) const {
    return std::memcmp(bytes_.data(), mac.octets().data(), 6) == 0;
  }
  [[nodiscard]] bool has_vlan() const { return load_be16(bytes_, 12) == ethertype::vlan; }
  [[nodiscard]] std::uint16_t vlan_tci() const { return load_be16(bytes_, 14); }  // only if has_vlan()
  [[nodiscard]] std::uint16_t ethertype() const { return load_be16(bytes_, header_length() - 2); }
  [[nodiscard]] std::size_t header_length() const {
    return has_vlan() ? header_length_untagged + vlan_tag_length : header_length_untagged;
  }
  [[nodiscard]] Bytes payload() const { return bytes_.subspan(header_length()); }
  [[nodiscard]] Bytes bytes() const { return bytes_; }

 private:
  explicit EthernetView(Bytes frame) : bytes_{frame} {}
  Bytes bytes_;
};

struct VlanTag {
  std::uint8_t priority = 0;  // PCP, 0..7
  bool drop_eligible = false;
  std::uint16_t id = 0;  // 0..4095
  constexpr auto operator<=>(const VlanTag&) const = default;
};

struct EthernetRepr {
  MacAddress destination;
  MacAddress source;
  std::uint16_t ethertype = 0;
  std::optional<VlanTag> vlan;

  [[nodiscard]] static Result<EthernetRepr, WireError> parse(Bytes frame);
  [[nodiscard]] static EthernetRepr from_view(const EthernetView& view);
  [[nodiscard]] std::size_t header_length() const {
    return vlan ? EthernetView::header_length_untagged + EthernetView::vlan_tag_length
                : EthernetView::header_length_untagged;
  }
  // Writes the header at the start of `frame` (which holds at least header_length()).
  void emit(MutableBytes frame) const;

  constexpr auto operator<=>(const EthernetRepr&) const = default;
};

[[nodiscard]] std::string to_string(const EthernetRepr& repr);

}  // namespace netstep::wire
