#pragma once
// The run as a capture file for Wireshark: the scenario played again under
// the same personality (the run is deterministic, so it is the same run)
// with the pcapng writer on the trace, as `netstep run --pcap` writes it.
#include <QString>

#include "scenario/scenario.hpp"
#include "socket/personality.hpp"

namespace netstep::gui {

// Writes the whole run of `scenario` as `personality` to `path` (pcapng with
// a comment on each frame). Returns what went wrong, empty on success.
QString export_capture(const scenario::Scenario& scenario, socket::PersonalityId personality, const QString& path);

}  // namespace netstep::gui
