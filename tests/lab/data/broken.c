/* A program that does not compile: a missing semicolon. */
#include "netstep_lab.h"
int lab_main(const char *argument) {
  int fd = ns_socket(NS_SOCK_STREAM)
  return ns_connect(fd, argument);
}
