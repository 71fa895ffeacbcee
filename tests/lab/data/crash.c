/* A program that dereferences a null pointer after its first call. */
#include "netstep_lab.h"
int lab_main(const char *argument) {
  (void)argument;
  int fd = ns_socket(NS_SOCK_STREAM);
  int *nowhere = (int *)0;
  return fd + *nowhere;
}
