/*
 * Lab 3, reference solution: a small TCP port scanner that says, for each
 * port, open (a listener completed the handshake), closed (the host's TCP
 * refused: a reset) or filtered (nothing came back), and says it right
 * under every personality.
 *
 * The argument is "ADDRESS PORT PORT ...". For each port it reports
 * (ns_report) the port number as the key and open, closed or filtered as
 * the value, and it returns 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstep_lab.h"

/* How long FreeRTOS+TCP's scan waits for a port to answer. */
enum { FREERTOS_WAIT_MS = 10000 };

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

/* Linux, FreeBSD, Winsock and TargetTCP say what happened in connect()'s
 * error: 0 connected, ECONNREFUSED for a reset (after its SYN retries on
 * Windows), ETIMEDOUT when the SYN schedule ran out with no answer at all. */
static const char *scan_blocking(const char *target) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return "error";
  const int result = ns_connect(fd, target);
  const int error = result == 0 ? 0 : ns_errno();
  ns_close(fd);
  if (result == 0) return "open";
  if (error == ns_error_number("ECONNREFUSED")) return "closed";
  return "filtered";
}

/* FreeRTOS+TCP has no ECONNREFUSED: a reset in SYN-SENT closes the socket
 * without waking a blocked FreeRTOS_connect(), which then returns
 * -pdFREERTOS_ERRNO_ETIMEDOUT when its block time runs out, exactly as for
 * a port that never answers. So we do not block: a connect() with a block
 * time of 0 starts the handshake, and FreeRTOS_select() (ns_poll) watches
 * the socket. A socket the reset closed is reported at once as an
 * exception (POLLERR/POLLHUP); a connected one becomes writable; a
 * filtered one shows nothing until we stop waiting. */
static const char *scan_watching(const char *target) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return "error";
  ns_set_nonblocking(fd, 1);
  const int result = ns_connect(fd, target);
  const char *verdict = "filtered";
  if (result == 0) {
    verdict = "open";
  } else if (-result == ns_error_number("EWOULDBLOCK") || -result == ns_error_number("EINPROGRESS")) {
    struct ns_pollfd watch = {fd, NS_POLLOUT, 0};
    const int ready = ns_poll(&watch, 1, FREERTOS_WAIT_MS);
    if (ready > 0 && (watch.revents & (NS_POLLERR | NS_POLLHUP))) {
      verdict = "closed";
    } else if (ready > 0 && (watch.revents & NS_POLLOUT)) {
      verdict = "open";
    }
  } else {
    verdict = "closed";
  }
  ns_close(fd);
  return verdict;
}

int lab_main(const char *argument) {
  char address[64];
  int consumed = 0;
  if (sscanf(argument, "%63s%n", address, &consumed) != 1) return 1;
  const char *rest = argument + consumed;
  char *end = NULL;
  for (long port = strtol(rest, &end, 10); end != rest; port = strtol(rest, &end, 10)) {
    rest = end;
    char target[96];
    char key[16];
    snprintf(target, sizeof target, "%s:%ld", address, port);
    snprintf(key, sizeof key, "%ld", port);
    ns_report(key, is_freertos() ? scan_watching(target) : scan_blocking(target));
  }
  return 0;
}
