#ifndef FINDREVIEWER_CSYSTEMSHIMS_H
#define FINDREVIEWER_CSYSTEMSHIMS_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
