// libvmdk (VMDK images), as Blindfold uses it: only Evidence/DiskImages/Media/VMDKMedia.swift
// touches these pointers. The image is handed over as libbfio handles (CBFIO), never as paths.
#define HAVE_LIBBFIO 1
#include <libvmdk.h>
