/*
 * Lab 1, reference solution: send one datagram to each of two addresses
 * and say, for each, whether an answer came back within 2 s.
 *
 * The argument is "NEIGHBOUR NOBODY", two address:port pairs: the first
 * has an echo service that answers to port 5000, the second is an address
 * where no host lives. The program reports
 *   neighbour      answered | no-answer | the error's name
 *   nobody         the same, for the second address
 *   nobody-sendto  what sendto() returned for the second address
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

enum { WAIT_MS = 2000, DATAGRAM_BYTES = 64 };

/* "Nothing arrived in time" has a different spelling on each system:
 * EAGAIN on Linux (the same number as EWOULDBLOCK there and on FreeBSD),
 * EWOULDBLOCK on TargetTCP, WSAETIMEDOUT on Windows (SO_RCVTIMEO in the
 * Winsock setsockopt reference), and 0 bytes from FreeRTOS_recvfrom(),
 * which has no errno. */
static int is_receive_timeout(long n) {
  if (strcmp(ns_personality(), "freertos") == 0) return n == 0;
  if (n >= 0) return 0;
  const int e = ns_errno();
  return e == ns_error_number("EAGAIN") || e == ns_error_number("EWOULDBLOCK") ||
         e == ns_error_number("ETIMEDOUT");
}

static const char *error_name(long n) {
  /* FreeRTOS+TCP returns the negative error itself; the others -1 and errno. */
  return ns_error_name(strcmp(ns_personality(), "freertos") == 0 ? (int)n : ns_errno());
}

/* Sends one datagram to `to`, waits for an answer, reports it under `key`. */
static void probe(int fd, const char *key, const char *to, char *sendto_result, unsigned long size) {
  char datagram[DATAGRAM_BYTES];
  memset(datagram, 'x', sizeof datagram);
  const long sent = ns_sendto(fd, datagram, sizeof datagram, 0, to);
  if (sent < 0) {
    snprintf(sendto_result, size, "%s", error_name(sent));
  } else {
    snprintf(sendto_result, size, "%ld", sent);
  }

  char buffer[1500];
  char from[64];
  const long n = ns_recvfrom(fd, buffer, sizeof buffer, 0, from, sizeof from);
  if (n > 0) {
    ns_report(key, "answered");
  } else if (is_receive_timeout(n)) {
    ns_report(key, "no-answer");
  } else {
    ns_report(key, error_name(n));
  }
}

int lab_main(const char *argument) {
  char neighbour[64];
  char nobody[64];
  if (sscanf(argument, "%63s %63s", neighbour, nobody) != 2) return 1;

  const int fd = ns_socket(NS_SOCK_DGRAM);
  if (fd < 0) return 1;
  /* The echo services answer to port 5000. */
  if (ns_bind(fd, "0.0.0.0:5000") != 0) return 1;
  /* A receive timeout: SO_RCVTIMEO in milliseconds, or on FreeRTOS+TCP its
   * own FREERTOS_SO_RCVTIMEO in ticks (1 ms each here); without one,
   * FreeRTOS_recvfrom() may wait for ever. */
  const int option = strcmp(ns_personality(), "freertos") == 0 ? NS_FREERTOS_SO_RCVTIMEO : NS_SO_RCVTIMEO;
  if (ns_setsockopt(fd, option, WAIT_MS) != 0) return 1;

  char ignored[32];
  char nobody_sendto[32];
  probe(fd, "neighbour", neighbour, ignored, sizeof ignored);
  probe(fd, "nobody", nobody, nobody_sendto, sizeof nobody_sendto);
  ns_report("nobody-sendto", nobody_sendto);

  ns_close(fd);
  return 0;
}
