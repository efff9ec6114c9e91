#ifndef CBUILDSTAMP_H
#define CBUILDSTAMP_H

// What a release build stamps into the binary. Package.swift defines BLINDFOLD_COMMIT and
// BLINDFOLD_TOOLCHAIN for this target only when the environment carries them (`make dist`
// sets both), so an ordinary `swift build` never needs git and records "unknown".

// The git commit the binary was built from ("unknown" outside a release build).
const char *blindfold_stamp_commit(void);

// The Swift toolchain that built it, as `swift --version` says ("unknown" likewise).
const char *blindfold_stamp_toolchain(void);

// libjpeg-turbo's version from its headers at build time: TurboJPEG 2.1 has no runtime call.
const char *blindfold_stamp_libjpeg_turbo(void);

#endif
