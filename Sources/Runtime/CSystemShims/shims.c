// accept4 is a GNU extension: define _GNU_SOURCE before any system header.
#define _GNU_SOURCE
#include "CSystemShims.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/random.h>
#include <sched.h>

const uint32_t cshim_EPOLLIN = EPOLLIN;
const uint32_t cshim_EPOLLOUT = EPOLLOUT;
const uint32_t cshim_EPOLLERR = EPOLLERR;
const uint32_t cshim_EPOLLHUP = EPOLLHUP;
const uint32_t cshim_EPOLLRDHUP = EPOLLRDHUP;
const uint32_t cshim_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;

int cshim_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int cshim_epoll_add(int epfd, int fd, uint32_t events, uint64_t tag) {
    struct epoll_event event = {.events = events, .data = {.u64 = tag}};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int cshim_epoll_modify(int epfd, int fd, uint32_t events, uint64_t tag) {
    struct epoll_event event = {.events = events, .data = {.u64 = tag}};
    return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event);
}

int cshim_epoll_remove(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int cshim_epoll_wait(int epfd, uint64_t *tags, uint32_t *events, int capacity, int timeout_ms) {
    struct epoll_event buffer[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epfd, buffer, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        tags[i] = buffer[i].data.u64;
        events[i] = buffer[i].events;
    }
    return count;
}

int cshim_epoll_wait_ns(int epfd, uint64_t *tags, uint32_t *events, int capacity, int64_t timeout_ns) {
    struct epoll_event buffer[256];
    if (capacity > 256) capacity = 256;
    int count = -1;
#ifdef SYS_epoll_pwait2
    static int unsupported = 0;
    if (!unsupported) {
        struct timespec timeout = {(time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000)};
        count = (int)syscall(SYS_epoll_pwait2, epfd, buffer, capacity, timeout_ns < 0 ? NULL : &timeout, NULL, 0);
        if (count < 0 && errno == ENOSYS) unsupported = 1;
    }
    if (unsupported)
#endif
        count = epoll_wait(epfd, buffer, capacity, timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000));
    for (int i = 0; i < count; i++) {
        tags[i] = buffer[i].data.u64;
        events[i] = buffer[i].events;
    }
    return count;
}

int cshim_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cshim_accept(int listener) { return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int cshim_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int cshim_syncfs(int fd) { return syncfs(fd); }

int cshim_nice_this_thread(int nice) { return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice); }

/* struct sched_attr of sched_setattr(2), which glibc does not declare. */
struct cshim_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

int cshim_nice_and_slice_this_thread(int nice, uint64_t slice_ns) {
#ifdef SYS_sched_setattr
    struct cshim_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = SCHED_OTHER;
    attr.sched_nice = nice;
    attr.sched_runtime = slice_ns;
    if (syscall(SYS_sched_setattr, 0, &attr, 0) == 0) return 1;
#endif
    return cshim_nice_this_thread(nice);
}

static __thread void *current_loop = NULL;
void *cshim_current_loop(void) { return current_loop; }
void cshim_set_current_loop(void *loop) { current_loop = loop; }

long cshim_getrandom(void *buffer, size_t length) { return (long)getrandom(buffer, length, 0); }

static uint32_t crc32c_table[256];

static void crc32c_init_table(void) {
    for (uint32_t index = 0; index < 256; index++) {
        uint32_t crc = index;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        crc32c_table[index] = crc;
    }
}

static uint32_t crc32c_software(uint32_t crc, const uint8_t *bytes, size_t length) {
    static int ready = 0;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        crc32c_init_table();
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    for (size_t index = 0; index < length; index++) crc = crc32c_table[(crc ^ bytes[index]) & 0xFF] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t length) {
    uint64_t value = crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        value = __builtin_ia32_crc32di(value, word);
        bytes += 8;
        length -= 8;
    }
    uint32_t small = (uint32_t)value;
    while (length > 0) {
        small = __builtin_ia32_crc32qi(small, *bytes);
        bytes++;
        length--;
    }
    return small;
}
#endif

uint32_t cshim_crc32c(uint32_t crc, const void *bytes, size_t length) {
    uint32_t value = ~crc;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) return ~crc32c_hardware(value, bytes, length);
#endif
    return ~crc32c_software(value, bytes, length);
}

uint32_t cshim_crc32c_portable(uint32_t crc, const void *bytes, size_t length) {
    return ~crc32c_software(~crc, bytes, length);
}
