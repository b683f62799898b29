#ifndef FINDREVIEWER_CSYSTEMSHIMS_H
#define FINDREVIEWER_CSYSTEMSHIMS_H
// What `import Glibc` does not expose, or exposes awkwardly: epoll (its event struct is
// packed on x86-64), eventfd, and variadic fcntl. Every function returns -1 with errno set
// on failure, like the call it wraps.
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// epoll_create1(EPOLL_CLOEXEC).
int cshim_epoll_create(void);
/// Adds `fd` with `events` (EPOLLIN etc.) and a 64-bit tag returned by cshim_epoll_wait.
int cshim_epoll_add(int epfd, int fd, uint32_t events, uint64_t tag);
/// Changes the interest set of `fd`.
int cshim_epoll_modify(int epfd, int fd, uint32_t events, uint64_t tag);
/// Removes `fd`.
int cshim_epoll_remove(int epfd, int fd);
/// Waits up to `timeout_ms`; fills `tags` and `events` (arrays of `capacity`); returns the count.
int cshim_epoll_wait(int epfd, uint64_t *tags, uint32_t *events, int capacity, int timeout_ms);

/// Like cshim_epoll_wait with a timeout in nanoseconds (epoll_pwait2, Linux 5.11+; older
/// kernels: epoll_wait with the timeout rounded up to milliseconds); negative waits forever.
int cshim_epoll_wait_ns(int epfd, uint64_t *tags, uint32_t *events, int capacity, int64_t timeout_ns);

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC).
int cshim_eventfd(void);
/// accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC).
int cshim_accept(int listener);
/// Sets O_NONBLOCK.
int cshim_set_nonblocking(int fd);

/// Event bits, as plain constants Swift can use.
extern const uint32_t cshim_EPOLLIN;
extern const uint32_t cshim_EPOLLOUT;
extern const uint32_t cshim_EPOLLERR;
extern const uint32_t cshim_EPOLLHUP;
extern const uint32_t cshim_EPOLLRDHUP;
extern const uint32_t cshim_EPOLLEXCLUSIVE;
/// syncfs(fd): makes everything written to the file system holding `fd` durable.
int cshim_syncfs(int fd);
/// Sets the nice value of the calling thread only (Linux threads have their own).
int cshim_nice_this_thread(int nice);
/// Sets the calling thread's nice value and, on kernels whose fair scheduler takes one
/// (EEVDF, Linux 6.12+), its time slice in nanoseconds (sched_setattr, SCHED_OTHER); a
/// kernel that refuses the slice gets the nice value alone. Returns 1 when the slice was
/// set, 0 when only the nice value was, -1 on failure.
int cshim_nice_and_slice_this_thread(int nice, uint64_t slice_ns);
/// The event loop running on the calling thread (a thread-local pointer; NULL on other threads).
void *cshim_current_loop(void);
/// Sets the calling thread's event loop pointer.
void cshim_set_current_loop(void *loop);
/// getrandom(buffer, length, 0): bytes from the kernel's CSPRNG (blocks only before it is seeded).
long cshim_getrandom(void *buffer, size_t length);
/// CRC-32C (Castagnoli) of `length` bytes continuing from `crc` (0 to start), with the SSE4.2
/// instruction where the CPU has it, else table-driven. Same results either way.
uint32_t cshim_crc32c(uint32_t crc, const void *bytes, size_t length);
/// The table-driven CRC-32C alone (tests compare it with the instruction).
uint32_t cshim_crc32c_portable(uint32_t crc, const void *bytes, size_t length);

#endif
