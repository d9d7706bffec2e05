#ifndef CHAOSLAKE_CLIBPQ_SHIM_H
#define CHAOSLAKE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
