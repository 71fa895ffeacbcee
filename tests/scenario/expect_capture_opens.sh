#!/bin/bash
# `netstep run --pcap` as a student uses it: the lossy transfer written as
# pcapng and as classic pcap, then read by Wireshark's own dissectors
# (tshark): every frame there, none malformed, no bad checksum, a comment on
# the pcapng's frames, and the retransmissions seen as retransmissions.
# Usage: expect_capture_opens.sh NETSTEP SCENARIO WORKDIR. Exit 77 (skipped)
# without tshark.
set -euo pipefail
netstep=$1 scenario=$2 work=$3
if ! command -v tshark >/dev/null; then
  echo "SKIPPED: tshark not installed (Debian: apt-get install tshark)"
  exit 77
fi
mkdir -p "$work"
rm -f "$work"/cli-run.pcapng "$work"/cli-run.pcap
"$netstep" run "$scenario" -p linux --quiet --pcap "$work/cli-run.pcapng"
"$netstep" run "$scenario" -p linux --quiet --pcap "$work/cli-run.pcap"

fail() { echo "FAIL: $*"; exit 1; }
count() { tshark -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y "$2" 2>/dev/null | wc -l; }

for file in "$work/cli-run.pcapng" "$work/cli-run.pcap"; do
  frames=$(count "$file" "frame")
  ((frames > 100)) || fail "$file: $frames frames, expected the whole transfer"
  malformed=$(count "$file" "_ws.malformed")
  ((malformed == 0)) || fail "$file: $malformed malformed frames"
  # Checksum status: 0 bad, 1 good, 2 not verified.
  bad=$(count "$file" "ip.checksum.status != 1 || (tcp && tcp.checksum.status != 1)")
  ((bad == 0)) || fail "$file: $bad frames whose checksum is bad or was not verified"
  retransmissions=$(count "$file" "tcp.analysis.retransmission || tcp.analysis.fast_retransmission")
  ((retransmissions > 0)) || fail "$file: Wireshark sees no retransmission in a transfer with 5% loss"
  echo "$file: $frames frames, $retransmissions retransmissions, none malformed or with a bad checksum"
done
# Classic pcap has the same frames (it has no comments).
pcapng_frames=$(count "$work/cli-run.pcapng" "frame")
pcap_frames=$(count "$work/cli-run.pcap" "frame")
((pcapng_frames == pcap_frames)) || fail "pcapng has $pcapng_frames frames, pcap $pcap_frames"
# A frame has a comment when the stack did something about it (a state
# changed, a call returned, the wire dropped it); plain data segments have
# none. The handshake and every loss must be told.
comments=$(tshark -r "$work/cli-run.pcapng" -T fields -e frame.comment 2>/dev/null)
grep -q "CLOSED -> SYN-SENT" <<<"$comments" || fail "no comment tells the client entering SYN-SENT"
grep -q "connect(3) -> 0" <<<"$comments" || fail "no comment tells connect() returning 0"
losses=$(count "$work/cli-run.pcapng" 'frame.comment contains "impairment: loss"')
((losses > 0)) || fail "no comment tells a frame lost to the cable's impairment"
echo "pcapng: $(grep -c . <<<"$comments") of $pcapng_frames frames commented, $losses losses told"
