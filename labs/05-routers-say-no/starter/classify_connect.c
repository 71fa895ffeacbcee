/*
 * Lab 5, starter: connect to the address given, and say why it failed.
 *
 * lab_main must return 0 when connected, else the error connect()
 * reported, as a positive number in the running personality's numbering,
 * and report "outcome" as one of connected, refused, host-unreachable,
 * net-unreachable, timed-out, other (ns_report("outcome", ...)).
 *
 * This version was written on a Linux laptop and tested there only. Run it
 * under all five personalities (README, "The program") and fix it.
 */
#include "netstep_lab.h"

static const char *classify(int error) {
  if (error == 0) return "connected";
  if (error == 111) return "refused";          /* ECONNREFUSED */
  if (error == 113) return "host-unreachable"; /* EHOSTUNREACH */
  if (error == 101) return "net-unreachable";  /* ENETUNREACH */
  if (error == 110) return "timed-out";        /* ETIMEDOUT */
  return "other";
}

int lab_main(const char *argument) {
  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_errno();
  int error = 0;
  if (ns_connect(fd, argument) < 0) error = ns_errno();
  ns_report("outcome", classify(error));
  ns_close(fd);
  return error;
}
