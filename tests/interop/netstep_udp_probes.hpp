#pragma once
// The kernel probes' UDP call sequences (cm_udp, cm_connect -u, cm_args'
// and cm_ephemeral's UDP parts), made on a Lab through netstep's socket API
// with the probes' labels and call names. Every call records the names and
// data it reports, so that those are compared too.
#include <vector>

#include "netstep_lab.hpp"
#include "probe_record.hpp"

namespace netstep::interop {

// cm_connect -u: socket(SOCK_DGRAM), connect#1, getsockopt(SO_ERROR)after#1.
[[nodiscard]] ProbeRun udp_connect_probe(Lab& lab, const RunKey& key, Endpoint destination);

// cm_args' UDP calls, one socket: an AF_INET6 address (addrlen 28),
// addrlen 8, a NULL address with addrlen 16; `ok` is cm_args' listener.
[[nodiscard]] std::vector<ProbeRun> udp_argument_probe(Lab& lab, Endpoint ok);

// cm_ephemeral's UDP part: connects to `peer` from new sockets until one fails (at most 200).
[[nodiscard]] ProbeRun udp_ephemeral_probe(Lab& lab, Endpoint peer);

// cm_udp with its broadcast and dead on-link arguments: sockets U, A, B
// (and B2) bound to 127.0.0.1, .2, .3; sections 1-9 of cm_udp.c in order.
// One run per label, as the kernel's output is cut.
[[nodiscard]] std::vector<ProbeRun> udp_semantics_probe(Lab& lab, Ipv4Address subnet_broadcast,
                                                        Ipv4Address dead_on_link);

}  // namespace netstep::interop
