/*
 * Lab 1: send one datagram to each of two addresses and say, for each,
 * whether an answer came back within 2 s.
 *
 * The argument is "NEIGHBOUR NOBODY", two address:port pairs: the first
 * has an echo service that answers to port 5000, the second is an address
 * where no host lives. Report (ns_report)
 *   neighbour      answered | no-answer | the error's name
 *   nobody         the same, for the second address
 *   nobody-sendto  what sendto() returned for the second address
 * and return 0.
 *
 * This version works on Linux. Run it under all five personalities
 * (netstep lab check 1 --program udp_probe.c) and make it right everywhere:
 * how does each system say "nothing arrived in time"? (Lab 1's README,
 * nobody-there.yaml, and the table `netstep run nobody-there.yaml` prints.)
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

enum { WAIT_MS = 2000, DATAGRAM_BYTES = 64 };

static void probe(int fd, const char *key, const char *to, char *sendto_result, unsigned long size) {
  char datagram[DATAGRAM_BYTES];
  memset(datagram, 'x', sizeof datagram);
  const long sent = ns_sendto(fd, datagram, sizeof datagram, 0, to);
  snprintf(sendto_result, size, "%ld", sent);

  char buffer[1500];
  char from[64];
  const long n = ns_recvfrom(fd, buffer, sizeof buffer, 0, from, sizeof from);
  if (n >= 0) {
    ns_report(key, "answered");
  } else if (ns_errno() == ns_error_number("EAGAIN")) {
    ns_report(key, "no-answer");
  } else {
    ns_report(key, ns_error_name(ns_errno()));
  }
}

int lab_main(const char *argument) {
  char neighbour[64];
  char nobody[64];
  if (sscanf(argument, "%63s %63s", neighbour, nobody) != 2) return 1;

  const int fd = ns_socket(NS_SOCK_DGRAM);
  if (fd < 0) return 1;
  if (ns_bind(fd, "0.0.0.0:5000") != 0) return 1;
  if (ns_setsockopt(fd, NS_SO_RCVTIMEO, WAIT_MS) != 0) return 1;

  char ignored[32];
  char nobody_sendto[32];
  probe(fd, "neighbour", neighbour, ignored, sizeof ignored);
  probe(fd, "nobody", nobody, nobody_sendto, sizeof nobody_sendto);
  ns_report("nobody-sendto", nobody_sendto);

  ns_close(fd);
  return 0;
}
