/*
 * The header alone, compiled as every C and C++ standard test.sh names (C89 and C++98 with the
 * exceptions README.md gives). Valid C89 and C++98 itself: no line comments, declarations first.
 */
#include "fiscal_core.h"

#if FC_ABI_VERSION != 0
#error "FC_ABI_VERSION is not 0"
#endif

/* A status is 32 bits in every language (the array size is -1, an error, otherwise). */
typedef char fc_status_is_32_bits[sizeof(fc_status) == 4 ? 1 : -1];

static fc_status (*const new_device)(fc_device **) = fc_device_new;
static void (*const free_device)(fc_device *) = fc_device_free;

int main(void) {
  fc_status s = FC_STATUS_OK;
  fc_status_is_32_bits check;
  check[0] = 0;
  (void)check;
  (void)new_device;
  (void)free_device;
  return s == FC_STATUS_OK && fc_status_name(s) != NULL ? 0 : 1;
}
