// libvhdi (VHD images), as Blindfold uses it: only Evidence/DiskImages/Media/VHDMedia.swift
// touches these pointers. The image is handed over as a libbfio handle (CBFIO), never as a path.
#define HAVE_LIBBFIO 1
#include <libvhdi.h>
