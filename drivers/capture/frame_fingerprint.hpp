#pragma once
// Telling frames apart by their bytes: the trace names a frame only by its
// bytes, so a receipt, a drop on the wire or a duplicate is matched to the
// frame a host sent by comparing them. These hashes only pick candidates
// (fingerprint) or remember corrupted copies (content_hash); they never
// reach the file.
#include <cstdint>

#include "base/bytes.hpp"

namespace netstep::capture {

// Cheap: the length, the first 64 bytes (Ethernet, IPv4 and TCP headers:
// addresses, identification, ports, sequence numbers) and the last 8. Equal
// frames have equal fingerprints; a match is confirmed byte for byte.
[[nodiscard]] std::uint64_t fingerprint(Bytes frame);

// Every byte: for the rare copies the wire corrupted, whose one flipped bit
// may lie anywhere.
[[nodiscard]] std::uint64_t content_hash(Bytes frame);

}  // namespace netstep::capture
