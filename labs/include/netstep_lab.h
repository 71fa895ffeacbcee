#ifndef NETSTEP_LAB_H
#define NETSTEP_LAB_H
/*
 * netstep_lab.h: the socket calls a lab program makes.
 *
 * A lab program is one C (or C++) file with one function,
 *
 *     int lab_main(const char *argument);
 *
 * which netstep runs as the application of one host of a simulated network
 * (`netstep lab check N --program FILE`), once under each personality the
 * lab asks for. The calls below are the BSD socket calls, answered by
 * netstep's stack exactly as that system answers them, in virtual time: a
 * blocking call waits in the simulation, and nothing else runs while the
 * program computes, so the same program gives the same run every time.
 *
 * How a call reports failure depends on the personality, as on the real
 * systems (docs/personalities.md):
 *   linux, freebsd, targettcp  -1, and ns_errno() is the error, in that
 *                              system's numbers (ECONNREFUSED is 111 on
 *                              Linux, 61 on FreeBSD);
 *   winsock                    -1 (SOCKET_ERROR), and ns_errno() is what
 *                              WSAGetLastError() returns (WSAECONNREFUSED,
 *                              10061);
 *   freertos                   the negative error itself
 *                              (-pdFREERTOS_ERRNO_ECONNREFUSED); FreeRTOS+TCP
 *                              has no errno, and ns_errno() stays 0.
 * ns_error_number("ECONNREFUSED") gives the running personality's number
 * for a POSIX error name, ns_error_name() the personality's spelling of a
 * number, so a program can be written once for all five.
 */
#ifdef __cplusplus
extern "C" {
#endif

enum { NS_SOCK_STREAM = 1, NS_SOCK_DGRAM = 2 };

/* poll() events (Linux's values) */
enum { NS_POLLIN = 0x001, NS_POLLOUT = 0x004, NS_POLLERR = 0x008, NS_POLLHUP = 0x010, NS_POLLNVAL = 0x020 };

/* shutdown()'s how, send()/recv() flags (Linux's values) */
enum { NS_SHUT_RD = 0, NS_SHUT_WR = 1, NS_SHUT_RDWR = 2 };
enum { NS_MSG_PEEK = 0x02, NS_MSG_DONTWAIT = 0x40 };

/* Socket options (level and name in one). Times in milliseconds, except
 * the FreeRTOS ones, which are in ticks (1 ms here). */
enum ns_option {
  NS_SO_REUSEADDR,          /* 0 or 1 */
  NS_SO_BROADCAST,          /* 0 or 1 */
  NS_SO_RCVTIMEO,           /* ms, 0: none */
  NS_SO_SNDTIMEO,           /* ms, 0: none */
  NS_TCP_NODELAY,           /* 0 or 1 */
  NS_TCP_SYNCNT,            /* Linux: SYN retransmissions, 1..127 */
  NS_TCP_USER_TIMEOUT,      /* Linux: ms, 0: off */
  NS_FREERTOS_SO_RCVTIMEO,  /* FreeRTOS+TCP: ticks; also bounds connect() */
  NS_FREERTOS_SO_SNDTIMEO,  /* FreeRTOS+TCP: ticks */
  NS_IP_RECVERR,            /* Linux: every ICMP error reaches a UDP socket */
  NS_SO_ERROR               /* read only: the pending error, which reading clears */
};

struct ns_pollfd {
  int fd;
  short events;
  short revents;
};

/* Addresses are text: "10.0.0.2:80"; bind() takes "0.0.0.0:80". */
int ns_socket(int type);
int ns_bind(int fd, const char *address);
int ns_listen(int fd, int backlog);
/* peer: where the caller's address is written ("10.0.0.1:40000"), or NULL */
int ns_accept(int fd, char *peer, unsigned long peer_size);
/* "unspec" as the address dissolves a UDP association (AF_UNSPEC) */
int ns_connect(int fd, const char *address);
/* fcntl(O_NONBLOCK), ioctlsocket(FIONBIO), or a FreeRTOS block time of 0 */
int ns_set_nonblocking(int fd, int on);
int ns_setsockopt(int fd, int option, int value);
int ns_getsockopt(int fd, int option, int *value);
long ns_send(int fd, const void *data, unsigned long length, int flags);
long ns_recv(int fd, void *buffer, unsigned long length, int flags);
long ns_sendto(int fd, const void *data, unsigned long length, int flags, const char *to);
long ns_recvfrom(int fd, void *buffer, unsigned long length, int flags, char *from, unsigned long from_size);
/* poll() (WSAPoll on winsock, FreeRTOS_select on freertos): how many
 * descriptors have an event, 0 when timeout_ms ran out, -1 on error;
 * timeout_ms -1 waits for ever, 0 does not wait. */
int ns_poll(struct ns_pollfd *fds, unsigned long count, int timeout_ms);
int ns_shutdown(int fd, int how);
/* close(), closesocket(), FreeRTOS_closesocket() */
int ns_close(int fd);
/* sleep() in virtual time */
void ns_sleep_ms(int ms);

/* errno, or WSAGetLastError() on winsock; 0 on freertos */
int ns_errno(void);
/* "linux", "freebsd", "winsock", "freertos" or "targettcp" */
const char *ns_personality(void);
/* microseconds of virtual time since the run began */
long long ns_now_us(void);
/* The running personality's number for a POSIX error name:
 * ns_error_number("EINPROGRESS") is 115 on linux, 36 on freebsd, 10036
 * (WSAEINPROGRESS) on winsock, 119 (pdFREERTOS_ERRNO_EINPROGRESS, which a
 * FreeRTOS call returns negated) on freertos; -1 if that system has no
 * such error. */
int ns_error_number(const char *name);
/* The personality's spelling of an error number ("WSAEWOULDBLOCK");
 * a negative FreeRTOS return is accepted as is. "?" if unknown. */
const char *ns_error_name(int number);

/* A result the lab's checker reads, by key ("outcome" -> "refused"); it
 * also appears in the trace and the narrative. */
void ns_report(const char *key, const char *value);
/* A line of the program's own in the trace and the narrative. */
void ns_log(const char *text);

/* The program: 0 for success, or what it concluded (usually an error in
 * the personality's numbers, positive); the lab's README says which. */
int lab_main(const char *argument);

#ifdef __cplusplus
}
#endif
#endif
