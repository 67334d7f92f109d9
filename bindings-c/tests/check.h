/* What the C tests share: the check macros and counters, the test day's moments, reading a
 * buffer and a JSON string member. Included by test_shift.c and test_misuse.c. */
#ifndef FC_TEST_CHECK_H
#define FC_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fiscal_core.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                              \
  do {                                                                \
    checks++;                                                         \
    if (!(cond)) {                                                    \
      failures++;                                                     \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                   \
      fprintf(stderr, "\n");                                          \
    }                                                                 \
  } while (0)

/* The call is made once: its status is kept, then the last error read. */
#define CHECK_STATUS(got, want, dev)                                                               \
  do {                                                                                             \
    fc_status got_ = (got);                                                                        \
    CHECK(got_ == (want), "status %u (%s), wanted %u (%s); last error: %s", (unsigned)got_,        \
          fc_status_name(got_), (unsigned)(want), fc_status_name(want),                            \
          (dev) ? fc_device_last_error(dev) : "-");                                                \
  } while (0)

/* 2026-11-23 in Baku (UTC+4), milliseconds since the epoch: 08:00 and 09:00. */
static const int64_t AT_0800 = INT64_C(1795406400000);
static const int64_t AT_0900 = INT64_C(1795410000000);
#define MINUTES(n) ((int64_t)(n) * 60000)

/* A buffer's bytes as a NUL-terminated string. Caller frees. */
static inline char *text_of(fc_buffer *b) {
  size_t n = fc_buffer_len(b);
  char *s = malloc(n + 1);
  if (!s) abort();
  memcpy(s, fc_buffer_data(b), n);
  s[n] = '\0';
  return s;
}

/* The string member `key` of a flat JSON text, unescaping \" and \\ (enough for what the
 * library writes: hex, digits, punctuation). Caller frees. */
static inline char *json_string(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *p = strstr(json, pattern);
  if (!p) return NULL;
  p += strlen(pattern);
  char *out = malloc(strlen(p) + 1);
  if (!out) abort();
  size_t i = 0;
  for (; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) p++;
    out[i++] = *p;
  }
  out[i] = '\0';
  return out;
}

#endif
