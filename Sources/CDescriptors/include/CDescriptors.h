#ifndef CDESCRIPTORS_H
#define CDESCRIPTORS_H

// Descriptor passing over a Unix socket (SCM_RIGHTS). Implemented in C because the CMSG_*
// macros do not import into Swift; this header includes no system header, so Swift's view of
// <sys/socket.h> stays the Glibc module's own.

// Sends a duplicate of `descriptor` with one marker byte. Returns 0 or an errno.
int cdescriptors_send(int socket, int descriptor);

// Receives a descriptor sent by cdescriptors_send into *descriptor (close-on-exec), reading
// exactly the marker byte. Returns 0, EPIPE when the peer closed the socket, EPROTO when the
// byte came without exactly one descriptor (any that did arrive are closed), or another errno.
int cdescriptors_receive(int socket, int *descriptor);

#endif
