// libewf (EnCase/EWF images), as Blindfold uses it: only Evidence/DiskImages/Media/EWFMedia.swift
// touches these pointers. The segments are handed over as a libbfio pool (CBFIO), never as paths.
#define HAVE_LIBBFIO 1
#include <libewf.h>
