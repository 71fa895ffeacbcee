/*
 * Lab 4, reference solution: connect() with a deadline that holds under
 * every personality, whatever its own SYN schedule (21 s on Windows, 75 s
 * on FreeBSD, 131 s on Linux).
 *
 * The argument is "ADDRESS:PORT MILLISECONDS". The program connects, closes
 * the socket again, reports (ns_report)
 *   outcome   connected | timed-out | the error's name
 * and returns 0 when it connected, ETIMEDOUT (the personality's number)
 * when the deadline passed first, or the error that ended the attempt.
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

static int finish(int fd, int error) {
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

/* FreeRTOS+TCP documents its own knob: a blocking FreeRTOS_connect() sleeps
 * at most the socket's receive block time (FREERTOS_SO_RCVTIMEO, in ticks,
 * 1 ms here) and then returns -pdFREERTOS_ERRNO_ETIMEDOUT. */
static int connect_freertos(const char *target, int deadline_ms) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_error_number("EBADF");
  ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, deadline_ms);
  const int result = ns_connect(fd, target);
  return finish(fd, result == 0 ? 0 : -result);
}

/* Everyone else: start the handshake without blocking, wait for it with
 * poll() at most the deadline, and ask SO_ERROR how it ended. The first
 * connect() says "in progress": EINPROGRESS on POSIX systems,
 * WSAEWOULDBLOCK on Windows. */
static int connect_polling(const char *target, int deadline_ms) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_errno();
  if (ns_set_nonblocking(fd, 1) != 0) return finish(fd, ns_errno());
  if (ns_connect(fd, target) == 0) return finish(fd, 0);
  const int started = ns_errno();
  if (started != ns_error_number("EINPROGRESS") && started != ns_error_number("EWOULDBLOCK")) {
    return finish(fd, started);
  }
  struct ns_pollfd watch = {fd, NS_POLLOUT, 0};
  const int ready = ns_poll(&watch, 1, deadline_ms);
  if (ready == 0) return finish(fd, ns_error_number("ETIMEDOUT"));
  if (ready < 0) return finish(fd, ns_errno());
  /* Writable (or an error): the handshake has ended one way or the other;
   * SO_ERROR says which, and reading it clears it. */
  int error = 0;
  if (ns_getsockopt(fd, NS_SO_ERROR, &error) != 0) return finish(fd, ns_errno());
  return finish(fd, error);
}

int lab_main(const char *argument) {
  char target[64];
  int deadline_ms = 0;
  if (sscanf(argument, "%63s %d", target, &deadline_ms) != 2 || deadline_ms <= 0) return 1;
  return is_freertos() ? connect_freertos(target, deadline_ms) : connect_polling(target, deadline_ms);
}
