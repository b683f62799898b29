// accept4 is a GNU extension: define _GNU_SOURCE before any system header.
#define _GNU_SOURCE
#include "CSystemShims.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>

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

int cshim_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cshim_accept(int listener) { return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int cshim_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int cshim_syncfs(int fd) { return syncfs(fd); }

int cshim_nice_this_thread(int nice) { return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice); }
