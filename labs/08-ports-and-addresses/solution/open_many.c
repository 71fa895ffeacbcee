/*
 * Lab 8, reference solution: open up to 10 TCP connections to one server
 * address and keep them open; stop at the first connect() that fails and
 * say whether it failed for lack of a local port. Then open one connection
 * to a second address (another port of the same server).
 *
 * The argument is "FIRST SECOND", e.g. "10.0.0.2:80 10.0.0.2:8080".
 * lab_main returns 0 when all 10 connections opened, else the error of the
 * connect() that stopped it (positive, in the personality's numbers). It
 * reports "opened" (how many), "stopped" (none, no-free-port, other) and
 * "second" (connected or failed).
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

enum { MAX_CONNECTIONS = 10 };

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

static int error_of(int result) {
  if (result >= 0) return 0;
  return is_freertos() ? -result : ns_errno();
}

static int is(int error, const char *name) { return error == ns_error_number(name); }

/* "No local port is left for this destination", as each system says it
 * (docs/personalities.md and connect-matrix.md T26, U14): Linux and FreeBSD
 * EADDRNOTAVAIL, Windows WSAENOBUFS, TargetTCP EADDRINUSE (assumed),
 * FreeRTOS+TCP the failed implicit bind's EINVAL; EAGAIN is what FreeBSD's
 * manual page names. */
static int out_of_ports(int error) {
  if (is_freertos()) return is(error, "EINVAL");
  return is(error, "EADDRNOTAVAIL") || is(error, "EADDRINUSE") || is(error, "ENOBUFS") || is(error, "EAGAIN");
}

static int connect_new(const char *address, int *error) {
  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) {
    *error = error_of(fd);
    return -1;
  }
  /* FreeRTOS+TCP: never let a connect() wait for ever. */
  if (is_freertos()) ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, 30000);
  *error = error_of(ns_connect(fd, address));
  if (*error != 0) {
    /* After an attempt that failed on the wire (RST, timeout), a FreeBSD
     * socket is spent: every later connect() says ECONNREFUSED (row T14).
     * A new socket for each attempt is right everywhere. */
    ns_close(fd);
    return -1;
  }
  return fd;
}

int lab_main(const char *argument) {
  char first[64];
  char second[64];
  if (sscanf(argument, "%63s %63s", first, second) != 2) return -1;

  int fds[MAX_CONNECTIONS];
  int opened = 0;
  int stop_error = 0;
  while (opened < MAX_CONNECTIONS) {
    int fd = connect_new(first, &stop_error);
    if (fd < 0) break;
    fds[opened++] = fd;
  }

  char text[16];
  snprintf(text, sizeof text, "%d", opened);
  ns_report("opened", text);
  if (stop_error == 0)
    ns_report("stopped", "none");
  else
    ns_report("stopped", out_of_ports(stop_error) ? "no-free-port" : "other");

  /* A connection is named by four numbers; the same local ports are free
   * again towards another remote port (RFC 9293 3.1, RFC 6056 2.2). */
  int error = 0;
  int other = connect_new(second, &error);
  ns_report("second", other >= 0 ? "connected" : "failed");
  if (other >= 0) ns_close(other);

  for (int i = 0; i < opened; ++i) ns_close(fds[i]);
  return stop_error;
}
