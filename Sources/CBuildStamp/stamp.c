#include "CBuildStamp.h"

#if __has_include(<jconfig.h>)
#include <jconfig.h>
#endif

#ifndef BLINDFOLD_COMMIT
#define BLINDFOLD_COMMIT "unknown"
#endif

#ifndef BLINDFOLD_TOOLCHAIN
#define BLINDFOLD_TOOLCHAIN "unknown"
#endif

#define BLINDFOLD_STRING(x) #x
#define BLINDFOLD_EXPANDED_STRING(x) BLINDFOLD_STRING(x)

const char *blindfold_stamp_commit(void) { return BLINDFOLD_COMMIT; }

const char *blindfold_stamp_toolchain(void) { return BLINDFOLD_TOOLCHAIN; }

const char *blindfold_stamp_libjpeg_turbo(void) {
#ifdef LIBJPEG_TURBO_VERSION
    return BLINDFOLD_EXPANDED_STRING(LIBJPEG_TURBO_VERSION);
#else
    return "unknown";
#endif
}
