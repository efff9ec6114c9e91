/* A blindfold-plugin/1 plugin in C that does no work (benchmark only, .ci/bench-plugins): it
 * reads each item's frames and answers the item's length. A scan through it costs the protocol
 * on Blindfold's side plus the least a plugin can spend: the floor of the protocol itself.
 * Built by the benchmark with the toolchain's clang; never part of the product. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char buffer[16 << 20];

static int read_all(void *into, size_t count) {
    unsigned char *bytes = into;
    while (count > 0) {
        ssize_t got = read(0, bytes, count);
        if (got <= 0) return -1;
        bytes += got;
        count -= (size_t)got;
    }
    return 0;
}

/* The next frame's length (its bytes in `buffer`), or -1 at the end of input. */
static long frame(void) {
    unsigned char head[4];
    if (read_all(head, 4) != 0) return -1;
    uint32_t length = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
    if (length > sizeof buffer || read_all(buffer, length) != 0) return -1;
    return (long)length;
}

static void send(const char *text, int length) {
    unsigned char out[4 + 512];
    out[0] = 0; out[1] = 0; out[2] = (unsigned char)(length >> 8); out[3] = (unsigned char)length;
    memcpy(out + 4, text, (size_t)length);
    if (write(1, out, (size_t)length + 4) != length + 4) exit(1);
}

int main(void) {
    char text[512];
    if (frame() < 0) return 1;
    int length = snprintf(text, sizeof text, "%s",
        "{\"type\":\"hello\",\"version\":1,\"name\":\"echo\",\"plugin_version\":\"1\","
        "\"outputs\":[{\"key\":\"echo_len\",\"kind\":\"integer\"}],\"accepts\":{\"mime\":[\"*\"]}}");
    send(text, length);
    for (;;) {
        long item = frame();
        if (item < 0) return 0;
        if (item >= (long)sizeof buffer) return 1;
        buffer[item] = 0;
        const char *id = strstr((const char *)buffer, "\"id\":");
        long long ident = id ? atoll(id + 5) : 0;
        long long total = 0;
        long got;
        while ((got = frame()) > 0) total += got;
        if (got < 0) return 1;
        length = snprintf(text, sizeof text, "{\"type\":\"result\",\"id\":%lld,\"outputs\":{\"echo_len\":%lld}}", ident, total);
        send(text, length);
    }
}
