/*
 * Lab 4: connect() with a deadline that holds under every personality,
 * whatever its own SYN schedule (21 s on Windows, 75 s on FreeBSD, 131 s
 * on Linux).
 *
 * The argument is "ADDRESS:PORT MILLISECONDS". Connect, close the socket
 * again, report (ns_report)
 *   outcome   connected | timed-out | the error's name
 * and return 0 when you connected, ETIMEDOUT (the personality's number,
 * ns_error_number("ETIMEDOUT")) when the deadline passed first, or the
 * error that ended the attempt.
 *
 * This version ignores the deadline: against a silent host it waits for
 * the whole SYN schedule. Make it keep the deadline everywhere (Lab 4's
 * README, "Your own deadline").
 */
#include <stdio.h>

#include "netstep_lab.h"

int lab_main(const char *argument) {
  char target[64];
  int deadline_ms = 0;
  if (sscanf(argument, "%63s %d", target, &deadline_ms) != 2 || deadline_ms <= 0) return 1;

  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_errno();
  const int result = ns_connect(fd, target); /* TODO: keep to deadline_ms */
  const int error = result == 0 ? 0 : ns_errno();
  ns_close(fd);
  if (error == 0) {
    ns_report("outcome", "connected");
  } else if (error == ns_error_number("ETIMEDOUT")) {
    ns_report("outcome", "timed-out");
  } else {
    ns_report("outcome", ns_error_name(error));
  }
  return error;
}
