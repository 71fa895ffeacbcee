/*
 * Lab 5, reference solution: connect to the address given, and say why it
 * failed, in words that mean the same under all five personalities.
 *
 * lab_main returns 0 when connected, else the error connect() reported, as
 * a positive number in the running personality's numbering; it reports
 * "outcome" as one of connected, refused, host-unreachable,
 * net-unreachable, timed-out, other.
 */
#include <string.h>

#include "netstep_lab.h"

/* FreeRTOS+TCP returns the negated error; the others return -1 and keep
 * the error in errno (WSAGetLastError() on winsock). */
static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

static int error_of(int result) {
  if (result >= 0) return 0;
  return is_freertos() ? -result : ns_errno();
}

/* Compare with the personality's own number for each name: ECONNREFUSED is
 * 111 on Linux, 61 on FreeBSD, 10061 on Winsock. ns_error_number() gives -1
 * for a name the system does not have, which never equals an error. */
static int is(int error, const char *name) { return error == ns_error_number(name); }

static const char *classify(int error) {
  if (error == 0) return "connected";
  if (is(error, "ECONNREFUSED")) return "refused";
  if (is(error, "EHOSTUNREACH")) return "host-unreachable";
  if (is(error, "ENETUNREACH")) return "net-unreachable";
  if (is(error, "ETIMEDOUT")) return "timed-out";
  /* FreeRTOS+TCP has no ECONNREFUSED, EHOSTUNREACH or ENETUNREACH: when its
   * SYNs run out (or there is no route) it says ENOTCONN. All we know is
   * that the stack gave up. */
  if (is_freertos() && is(error, "ENOTCONN")) return "timed-out";
  return "other";
}

int lab_main(const char *argument) {
  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return error_of(fd);
  /* A FreeRTOS+TCP connect() waits for its receive block time, which is
   * for ever by default; a RST does not wake it (connect-source.md 1b).
   * Give it 30 s, longer than its 20 s of SYNs. */
  if (is_freertos()) ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, 30000);
  int error = error_of(ns_connect(fd, argument));
  ns_report("outcome", classify(error));
  ns_close(fd);
  return error;
}
