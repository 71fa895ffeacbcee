/*
 * Lab 8, starter: open up to 10 TCP connections to one server address and
 * keep them open; stop at the first connect() that fails and say whether
 * it failed for lack of a local port. Then open one connection to a second
 * address (another port of the same server).
 *
 * The argument is "FIRST SECOND", e.g. "10.0.0.2:80 10.0.0.2:8080".
 * lab_main must return 0 when all 10 connections opened, else the error of
 * the connect() that stopped it (positive, in the personality's numbers).
 * It reports "opened" (how many), "stopped" (none, no-free-port, other)
 * and "second" (connected or failed).
 *
 * Written and tested on Linux only.
 */
#include <stdio.h>

#include "netstep_lab.h"

int lab_main(const char *argument) {
  char first[64];
  char second[64];
  if (sscanf(argument, "%63s %63s", first, second) != 2) return -1;

  int fd = -1;
  int opened = 0;
  int error = 0;
  while (opened < 10) {
    fd = ns_socket(NS_SOCK_STREAM);
    if (ns_connect(fd, first) < 0) {
      error = ns_errno();
      break;
    }
    ++opened;
  }

  char text[16];
  snprintf(text, sizeof text, "%d", opened);
  ns_report("opened", text);
  if (error == 0)
    ns_report("stopped", "none");
  else
    ns_report("stopped", error == 99 ? "no-free-port" : "other"); /* EADDRNOTAVAIL */

  /* try the second address with the socket we already have */
  ns_report("second", ns_connect(fd, second) == 0 ? "connected" : "failed");
  return error;
}
