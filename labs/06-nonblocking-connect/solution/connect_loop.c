/*
 * Lab 6, the reference solution: a non-blocking connect() that is right
 * under all five personalities.
 *
 * lab_main("10.0.0.2:80 5000"): connect to the address, give up after the
 * deadline (milliseconds of virtual time; 30000 if none is given).
 * Returns 0 when connected, else the error it concluded, as a positive
 * number in the running personality's numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstep_lab.h"

/* The error of a failed call: FreeRTOS+TCP returns it negated and has no
 * errno; every other system returns -1 and sets errno (WSAGetLastError()). */
static int error_of(int returned, int freertos) { return freertos ? -returned : ns_errno(); }

static int is(int error, const char *name) { return error == ns_error_number(name); }

static int finish(int fd, int error, const char *outcome) {
  ns_report("outcome", outcome);
  ns_close(fd);
  return error;
}

static const char *outcome_of(int error) {
  if (error == 0) return "connected";
  if (is(error, "ECONNREFUSED")) return "refused";
  if (is(error, "ETIMEDOUT")) return "timed-out";
  if (is(error, "EHOSTUNREACH") || is(error, "ENETUNREACH")) return "unreachable";
  return "failed";
}

int lab_main(const char *argument) {
  char address[64];
  long deadline_ms = 30000;
  if (sscanf(argument, "%63s %ld", address, &deadline_ms) < 1) return ns_error_number("EINVAL");
  const int freertos = strcmp(ns_personality(), "freertos") == 0;

  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return error_of(fd, freertos);
  ns_set_nonblocking(fd, 1);
  const long long start = ns_now_us();

  int r = ns_connect(fd, address);
  if (r == 0) return finish(fd, 0, "connected");
  int error = error_of(r, freertos);
  /* "In progress", spelled per system (T09): EINPROGRESS on POSIX systems,
   * WSAEWOULDBLOCK on Winsock, -EWOULDBLOCK on FreeRTOS+TCP. */
  if (!is(error, "EINPROGRESS") && !is(error, "EWOULDBLOCK")) return finish(fd, error, outcome_of(error));

  for (;;) {
    const long long left_ms = deadline_ms - (ns_now_us() - start) / 1000;
    if (left_ms <= 0) return finish(fd, ns_error_number("ETIMEDOUT"), "timed-out");
    struct ns_pollfd p;
    p.fd = fd;
    p.events = NS_POLLOUT;
    p.revents = 0;
    const int ready = ns_poll(&p, 1, (int)left_ms);
    if (ready < 0) return finish(fd, error_of(ready, freertos), "failed");
    if (ready == 0) continue; /* the deadline ran out: checked above */

    if (!freertos) {
      /* Writable (or an error): SO_ERROR says which (T13). */
      int pending = 0;
      if (ns_getsockopt(fd, NS_SO_ERROR, &pending) != 0) return finish(fd, ns_errno(), "failed");
      return finish(fd, pending, outcome_of(pending));
    }
    /* FreeRTOS+TCP has no SO_ERROR (T13). FreeRTOS_select()'s except set
     * (POLLERR here) means the socket is closed: the attempt failed, and
     * nothing says why (a RST closes it silently, connect-source.md 1b).
     * Calling connect() now would quietly start a new attempt, so conclude
     * ENOTCONN, what FreeRTOS+TCP itself reports for a socket that is not
     * connected. */
    if (p.revents & NS_POLLERR) return finish(fd, ns_error_number("ENOTCONN"), "failed");
    /* Writable: connect() again tells (T11, T12): -EISCONN once connected. */
    r = ns_connect(fd, address);
    error = r == 0 ? 0 : -r;
    if (error == 0 || is(error, "EISCONN")) return finish(fd, 0, "connected");
    if (is(error, "EINPROGRESS") || is(error, "EALREADY") || is(error, "EWOULDBLOCK") || is(error, "EAGAIN")) {
      /* Still going (or a new attempt started): wait a little, not in a busy loop. */
      ns_sleep_ms(10);
      continue;
    }
    return finish(fd, error, outcome_of(error));
  }
}
