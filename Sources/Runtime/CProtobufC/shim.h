#ifndef FINDREVIEWER_CPROTOBUFC_SHIM_H
#define FINDREVIEWER_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
