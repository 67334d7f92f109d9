/* Links the size probe's static library and issues one receipt (benches/results.py). */
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

int fc_probe_issue(const uint8_t *seed, size_t seed_len, uint8_t *out);

int main(void) {
    uint8_t sig[64];
    if (fc_probe_issue((const uint8_t *)"probe device", 12, sig) != 0) {
        fprintf(stderr, "refused\n");
        return 1;
    }
    for (int i = 0; i < 8; i++) printf("%02x", sig[i]);
    printf("\n");
    return 0;
}
