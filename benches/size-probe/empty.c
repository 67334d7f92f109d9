/* The same program without the library: what probe.c adds is the difference. */
#include <stdint.h>
#include <stdio.h>

int main(void) {
    uint8_t sig[64] = {0};
    for (int i = 0; i < 8; i++) printf("%02x", sig[i]);
    printf("\n");
    return 0;
}
