/*
 * The misuse a C#, Java or Pascal wrapper commits first (issue #18), each answered by a
 * documented status and never by undefined behaviour: two threads on one device handle, a freed
 * handle used again, activation over a live device, absurd clock readings, huge references,
 * rendering with another device's certificate. Run plainly, under ASan/UBSan and under valgrind
 * by test.sh.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define THREADS 4
#define PER_THREAD 200

static const char *SALE =
    "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
    "{\"itemName\":\"Su\",\"itemQuantity\":1,\"itemPrice\":1.00,\"itemVatPercent\":18}],"
    "\"cashSum\":1.00}}";

static long long json_number(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *p = strstr(json, pattern);
  return p ? atoll(p + strlen(pattern)) : -1;
}

/* Every document issued, by number: the journal is rebuilt from it and verified. */
#define MAX_DOCS 1024
static char *lines[MAX_DOCS];
static pthread_mutex_t lines_lock = PTHREAD_MUTEX_INITIALIZER;
static int duplicates = 0;

static void keep(fc_buffer *doc) {
  char *json = text_of(doc);
  long long n = json_number(json, "number");
  char *line = json_string(json, "journal_line");
  pthread_mutex_lock(&lines_lock);
  if (n <= 0 || n >= MAX_DOCS || !line) {
    duplicates++;
    free(line);
  } else if (lines[n]) {
    duplicates++;
    free(line);
  } else {
    lines[n] = line;
  }
  pthread_mutex_unlock(&lines_lock);
  free(json);
  fc_buffer_free(doc);
}

/* The clock both threads read: each call takes the next second. The mutex decides which call
 * runs first, so a call may come with a time earlier than the one before it and is refused
 * (time_not_increasing): the thread reads the clock again, as a POS would. */
static atomic_llong clock_ms;

struct worker {
  fc_device *dev;
  int issued;
  int other_errors;
};

static void *sell(void *arg) {
  struct worker *w = arg;
  while (w->issued < PER_THREAD) {
    fc_buffer *doc = NULL;
    int64_t now = (int64_t)atomic_fetch_add(&clock_ms, 1000);
    fc_status s = fc_device_issue(w->dev, SALE, NULL, -1, now, &doc);
    if (s == FC_STATUS_OK) {
      keep(doc);
      w->issued++;
    } else if (s != FC_STATUS_TIME_NOT_INCREASING) {
      w->other_errors++;
      if (w->other_errors > 10) break;
    }
    /* The last error is the handle's; a thread sharing the handle reads a copy of its own. */
    fc_buffer *e = NULL;
    if (fc_device_last_error_json_copy(w->dev, &e) != FC_STATUS_OK) w->other_errors++;
    fc_buffer_free(e);
  }
  return NULL;
}

int main(void) {
  fc_buffer *authority_key = NULL, *device_key = NULL, *authority_pub = NULL, *device_pub = NULL;
  fc_key_from_seed((const uint8_t *)"misuse authority", 16, &authority_key);
  fc_key_from_seed((const uint8_t *)"misuse device", 13, &device_key);
  fc_public_key(fc_buffer_data(authority_key), 32, &authority_pub);
  fc_public_key(fc_buffer_data(device_key), 32, &device_pub);
  char *authority_hex = text_of(authority_pub);
  char *device_hex = text_of(device_pub);
  char body[1024];
  snprintf(body, sizeof body,
           "{\"serial\":7,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"KC-7\","
           "\"nmq_factory_number\":\"NMQ-7\",\"nmq_registration_number\":\"AZ-7\","
           "\"taxpayer_name\":\"Misuse MMC\",\"voen\":\"1234567891\",\"object_code\":\"OBJ-7\","
           "\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\",\"valid_from\":1767211200000,"
           "\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
           device_hex);
  fc_buffer *cert = NULL;
  CHECK_STATUS(fc_certificate_issue(body, fc_buffer_data(authority_key), 32, &cert), FC_STATUS_OK, NULL);
  char *cert_json = text_of(cert);

  fc_device *dev = NULL;
  fc_buffer *doc = NULL;
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_device_activate(dev, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_OK, dev);
  keep(doc);

  /* Activation or restore over a live device: refused, and the device goes on. */
  CHECK_STATUS(fc_device_activate(dev, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800 + 1, &doc),
               FC_STATUS_ALREADY_ACTIVATED, dev);
  CHECK(strstr(fc_device_last_error_json(dev), "already_activated") != NULL, "error JSON: %s", fc_device_last_error_json(dev));
  fc_buffer *state = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &state), FC_STATUS_OK, dev);
  CHECK(strcmp(fc_device_last_error(dev), "") == 0, "export_state clears the last error: %s", fc_device_last_error(dev));
  CHECK_STATUS(fc_device_restore(dev, fc_buffer_data(state), fc_buffer_len(state), fc_buffer_data(device_key), 32),
               FC_STATUS_ALREADY_ACTIVATED, dev);
  fc_buffer_free(state);
  uint64_t last = 0, pending = 0;
  CHECK_STATUS(fc_device_counters(dev, &last, &pending), FC_STATUS_OK, dev);
  CHECK(last == 1, "numbering did not restart: last %llu", (unsigned long long)last);
  CHECK(strcmp(fc_device_last_error(dev), "") == 0, "counters clear the last error");

  CHECK_STATUS(fc_device_open_shift(dev, AT_0900, &doc), FC_STATUS_OK, dev);
  keep(doc);

  /* Absurd clock readings: microseconds, .NET ticks, INT64_MAX after the certificate's end; a
   * negative time before the last document. Each is refused before anything else, for issuing
   * and closing alike, and the device works on. */
  const int64_t absurd[] = {INT64_C(1795410000000000), INT64_C(638680000000000000), INT64_MAX};
  for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++) {
    CHECK_STATUS(fc_device_issue(dev, SALE, NULL, -1, absurd[i], &doc), FC_STATUS_CERTIFICATE_EXPIRED, dev);
    CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\":\"sale\",\"data\":{}}", NULL, -1, absurd[i], &doc),
                 FC_STATUS_CERTIFICATE_EXPIRED, dev);
    CHECK_STATUS(fc_device_close_shift(dev, absurd[i], &doc), FC_STATUS_CERTIFICATE_EXPIRED, dev);
    CHECK_STATUS(fc_device_open_shift(dev, absurd[i], &doc), FC_STATUS_CERTIFICATE_EXPIRED, dev);
  }
  /* Before the certificate: not yet valid (issuing), or not after the last document (closing,
   * which does not check the certificate's start). */
  CHECK_STATUS(fc_device_issue(dev, SALE, NULL, -1, -1, &doc), FC_STATUS_CERTIFICATE_NOT_YET_VALID, dev);
  CHECK_STATUS(fc_device_close_shift(dev, INT64_MIN, &doc), FC_STATUS_TIME_NOT_INCREASING, dev);
  CHECK_STATUS(fc_device_close_shift(dev, AT_0900 - 1, &doc), FC_STATUS_TIME_NOT_INCREASING, dev);
  /* A request that is wrong too: the device's refusal comes first (SPEC.md §14.3). */
  CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\": sale", NULL, -1, 0, &doc), FC_STATUS_CERTIFICATE_NOT_YET_VALID, dev);
  CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\": sale", NULL, -1, AT_0900, &doc), FC_STATUS_TIME_NOT_INCREASING, dev);

  /* Huge references: refused at once, before anything is parsed. */
  {
    size_t big = (size_t)16 << 20;
    char *refs = malloc(big + 1);
    if (!refs) abort();
    memset(refs, 'a', big);
    refs[big] = '\0';
    CHECK_STATUS(fc_device_issue(dev, SALE, refs, -1, AT_0900 + 500, &doc), FC_STATUS_TOO_MANY_REFERENCES, dev);
    /* 51 short lines: too many by count. */
    for (size_t i = 0; i < 51; i++) {
      refs[2 * i] = 'x';
      refs[2 * i + 1] = '\n';
    }
    refs[102] = '\0';
    CHECK_STATUS(fc_device_issue(dev, SALE, refs, -1, AT_0900 + 500, &doc), FC_STATUS_TOO_MANY_REFERENCES, dev);
    free(refs);
  }
  CHECK_STATUS(fc_device_issue(dev, SALE, NULL, -1, AT_0900 + 1000, &doc), FC_STATUS_OK, dev);
  keep(doc);
  CHECK(strcmp(fc_device_last_error(dev), "") == 0, "a success clears the last error");

  /* Two threads on one handle: serialized, every number once. */
  atomic_store(&clock_ms, AT_0900 + 2000);
  struct worker workers[THREADS];
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++) {
    workers[i].dev = dev;
    workers[i].issued = 0;
    workers[i].other_errors = 0;
    CHECK(pthread_create(&threads[i], NULL, sell, &workers[i]) == 0, "pthread_create");
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    CHECK(workers[i].issued == PER_THREAD && workers[i].other_errors == 0, "thread %d: %d issued, %d errors", i,
          workers[i].issued, workers[i].other_errors);
  }
  CHECK(duplicates == 0, "%d duplicate or unreadable numbers", duplicates);
  CHECK_STATUS(fc_device_close_shift(dev, (int64_t)atomic_load(&clock_ms) + 1000, &doc), FC_STATUS_OK, dev);
  keep(doc);
  CHECK_STATUS(fc_device_counters(dev, &last, &pending), FC_STATUS_OK, dev);
  CHECK(last == (uint64_t)(4 + THREADS * PER_THREAD), "last number %llu", (unsigned long long)last);

  /* The journal of both threads, in number order: one chain, no gap, no fork. */
  {
    fc_buffer *cert_line = NULL;
    CHECK_STATUS(fc_certificate_journal_line(cert_json, &cert_line), FC_STATUS_OK, NULL);
    size_t size = fc_buffer_len(cert_line) + 2;
    for (uint64_t n = 1; n <= last; n++) size += lines[n] ? strlen(lines[n]) + 1 : 0;
    char *journal = malloc(size);
    if (!journal) abort();
    size_t at = 0;
    memcpy(journal, fc_buffer_data(cert_line), fc_buffer_len(cert_line));
    at += fc_buffer_len(cert_line);
    journal[at++] = '\n';
    for (uint64_t n = 1; n <= last; n++) {
      CHECK(lines[n] != NULL, "document %llu missing", (unsigned long long)n);
      if (!lines[n]) continue;
      size_t k = strlen(lines[n]);
      memcpy(journal + at, lines[n], k);
      at += k;
      journal[at++] = '\n';
    }
    fc_buffer *report = NULL;
    CHECK_STATUS(fc_verify_journal((const uint8_t *)journal, at, authority_hex, &report), FC_STATUS_OK, NULL);
    fc_buffer_free(report);
    free(journal);
    fc_buffer_free(cert_line);
  }

  /* Rendering with another device's certificate: refused, not printed with its taxpayer. */
  {
    fc_buffer *other_key = NULL, *other_pub = NULL, *other_cert = NULL, *printed = NULL;
    fc_key_from_seed((const uint8_t *)"another device", 14, &other_key);
    fc_public_key(fc_buffer_data(other_key), 32, &other_pub);
    char *other_hex = text_of(other_pub);
    snprintf(body, sizeof body,
             "{\"serial\":8,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"KC-8\","
             "\"nmq_factory_number\":\"NMQ-8\",\"nmq_registration_number\":\"AZ-8\","
             "\"taxpayer_name\":\"Other MMC\",\"voen\":\"1234567891\",\"object_code\":\"OBJ-8\","
             "\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\",\"valid_from\":1767211200000,"
             "\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
             other_hex);
    CHECK_STATUS(fc_certificate_issue(body, fc_buffer_data(authority_key), 32, &other_cert), FC_STATUS_OK, NULL);
    char *other_json = text_of(other_cert);
    CHECK_STATUS(fc_document_render(lines[3], other_json, NULL, FC_RENDER_FORMAT_TEXT, 32, "az", &printed),
                 FC_STATUS_KEY_MISMATCH, NULL);
    CHECK_STATUS(fc_document_render(lines[3], cert_json, NULL, FC_RENDER_FORMAT_TEXT, 32, "az", &printed), FC_STATUS_OK, NULL);
    fc_buffer_free(printed);
    /* A NULL certificate is a NULL pointer, not a verdict. */
    CHECK_STATUS(fc_verify_document(lines[3], NULL, authority_hex, NULL), FC_STATUS_NULL_POINTER, NULL);
    free(other_json);
    free(other_hex);
    fc_buffer_free(other_cert);
    fc_buffer_free(other_pub);
    fc_buffer_free(other_key);
  }

  /* Messages for a vendor's screen, in both languages; every status has one. */
  CHECK(strlen(fc_status_message(FC_STATUS_WRONG_PIN, "az")) > 0, "az message");
  CHECK(strlen(fc_status_message(FC_STATUS_WRONG_PIN, "en")) > 0, "en message");
  CHECK(strcmp(fc_status_message(FC_STATUS_WRONG_PIN, "az"), fc_status_message(FC_STATUS_WRONG_PIN, "en")) != 0,
        "the languages differ");
  CHECK(strlen(fc_status_message(FC_STATUS_INVALID_HANDLE, "az")) > 0, "a boundary status has a message");
  CHECK(strlen(fc_status_message(9999, "en")) > 0, "an unknown status has a message");
  CHECK(strlen(fc_status_message(FC_STATUS_OK, "xx")) > 0, "an unknown language falls back");

  /* A freed handle used again: refused, nothing read (valgrind and ASan watch), and the slot's
   * next device is not driven by the stale handle. */
  fc_device *stale = dev;
  fc_device_free(dev);
  CHECK_STATUS(fc_device_counters(stale, &last, &pending), FC_STATUS_INVALID_HANDLE, NULL);
  CHECK_STATUS(fc_device_unlock(stale, "4821"), FC_STATUS_INVALID_HANDLE, NULL);
  CHECK(fc_device_last_error(stale) == NULL, "no last error on a freed handle");
  fc_device_free(stale); /* twice: nothing happens */
  {
    fc_buffer *e = NULL;
    CHECK_STATUS(fc_device_last_error_json_copy(stale, &e), FC_STATUS_INVALID_HANDLE, NULL);
    CHECK_STATUS(fc_device_last_error_json_copy(NULL, &e), FC_STATUS_NULL_POINTER, NULL);
  }
  fc_device *fresh = NULL;
  CHECK_STATUS(fc_device_new(&fresh), FC_STATUS_OK, NULL);
  CHECK(fresh != stale, "a new handle differs from a freed one");
  CHECK_STATUS(fc_device_activate(stale, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_INVALID_HANDLE, NULL);
  CHECK_STATUS(fc_device_counters(fresh, &last, &pending), FC_STATUS_NOT_ACTIVATED, fresh);
  fc_device_free(fresh);

  /* A freed buffer: NULL and 0, and a second free does nothing. */
  {
    fc_buffer *b = NULL;
    CHECK_STATUS(fc_key_from_seed((const uint8_t *)"x", 1, &b), FC_STATUS_OK, NULL);
    fc_buffer_free(b);
    CHECK(fc_buffer_data(b) == NULL && fc_buffer_len(b) == 0, "a freed buffer reads as nothing");
    fc_buffer_free(b);
    /* A buffer is not a device, nor a device a buffer. */
    CHECK_STATUS(fc_device_unlock((fc_device *)(void *)cert, "4821"), FC_STATUS_INVALID_HANDLE, NULL);
  }

  for (int n = 0; n < MAX_DOCS; n++) free(lines[n]);
  free(cert_json);
  free(authority_hex);
  free(device_hex);
  fc_buffer_free(cert);
  fc_buffer_free(authority_key);
  fc_buffer_free(device_key);
  fc_buffer_free(authority_pub);
  fc_buffer_free(device_pub);

  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
