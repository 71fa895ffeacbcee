#pragma once
// A frame taken apart field by field, as Wireshark's packet-details pane
// shows it: Ethernet, then ARP or IPv4, then ICMP, UDP or TCP (with each
// TCP option), then the payload, each field with its value in words and
// the bytes it occupies, so a front end can draw a layer tree beside a hex
// dump and light the bytes of the field the student picks.
//
// Any bytes are dissected, never trusted: where a layer's check fails the
// tree says which check ("IPv4: impossible total length") and the rest is
// shown as raw bytes.
#include <cstddef>
#include <string>
#include <vector>

#include "base/bytes.hpp"

namespace netstep::views {

struct FrameField {
  int depth = 0;            // 0: a layer ("Transmission Control Protocol"), 1: its fields, 2: sub-fields
  std::string name;         // "Sequence number"
  std::string value;        // "1411452506"
  std::size_t offset = 0;   // from the start of the frame
  std::size_t length = 0;   // bytes; 0 for a note that covers none
};

// The fields of an Ethernet frame, in order (each layer before its fields).
[[nodiscard]] std::vector<FrameField> dissect_frame(Bytes frame);

// "Sequence number: 1411452506" with indentation, one field a line, and
// the bytes each covers ("[38+4]"): for tests and the terminal.
[[nodiscard]] std::string fields_text(const std::vector<FrameField>& fields);

// A hex dump, 16 bytes a line, "0000  02 00 ...  ................".
[[nodiscard]] std::string hex_dump(Bytes frame);

}  // namespace netstep::views
