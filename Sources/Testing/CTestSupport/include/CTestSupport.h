#ifndef FINDREVIEWER_CTESTSUPPORT_H
#define FINDREVIEWER_CTESTSUPPORT_H
#include <stddef.h>

/// Bytes currently allocated with malloc (glibc mallinfo2), for leak checks in tests.
size_t ctestsupport_heap_in_use(void);
#endif
