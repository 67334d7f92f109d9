/*
 * The kassa's whole step in one call, and the crash recovery of spec/CRASH-SAFETY.md in C
 * (bindings-c/README.md, "Crash safety in C terms"):
 *
 * 1. fc_device_issue_receipt hands out the document, the new state, the journal line and the
 *    receipt together, and each equals what the separate calls give (fc_device_issue on a twin
 *    device restored from the same state, fc_device_export_state, the document's journal_line,
 *    fc_document_render with the certificate). A refusal (a bad width, language or format, a
 *    bad request) writes nothing and leaves the state's bytes as they were.
 * 2. A power cut after the journal line and before the state: the POS restores the old state,
 *    finds the journal one document ahead, replays that document from its description and
 *    gets the same journal line byte for byte; the device then goes on where it was. Done for
 *    each kind a replay takes: open shift, sale, return (with its reference), cancel, Z-report.
 * 3. The same request at another moment is another document: a POS that "repairs" by issuing
 *    again gets a different line under the same number, which this test shows is detectable.
 *
 * Built with -Wall -Wextra -Wpedantic -Werror; run plainly, under ASan + UBSan and valgrind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static fc_buffer *device_key = NULL;
static char *cert_json = NULL;

/* The end of the JSON object starting at `start` (its closing brace), braces matched outside
 * strings; NULL when it does not close. */
static const char *object_end(const char *start) {
  int depth = 0, in_string = 0;
  const char *p = start;
  for (; *p; p++) {
    if (in_string) {
      if (*p == '\\' && p[1]) p++;
      else if (*p == '"') in_string = 0;
    } else if (*p == '"') {
      in_string = 1;
    } else if (*p == '{') {
      depth++;
    } else if (*p == '}' && --depth == 0) {
      return p;
    }
  }
  return NULL;
}

/* The JSON value (object) of the first member `key` in `json`. Caller frees; NULL when absent. */
static char *json_object(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":{", key);
  const char *start = strstr(json, pattern);
  if (!start) return NULL;
  start += strlen(pattern) - 1;
  const char *p = object_end(start);
  if (!p) return NULL;
  size_t n = (size_t)(p - start) + 1;
  char *out = malloc(n + 1);
  if (!out) abort();
  memcpy(out, start, n);
  out[n] = '\0';
  return out;
}

/* A description without its `content` (whose members — a cancel's voided receipt has `kind`
 * and `number` — would be found first by the flat readers). Caller frees. */
static char *without_content(const char *desc) {
  char *out = malloc(strlen(desc) + 1);
  if (!out) abort();
  strcpy(out, desc);
  char *start = strstr(out, "\"content\":{");
  const char *end = start ? object_end(start + strlen("\"content\":")) : NULL;
  if (end) memmove(start, end + 1, strlen(end + 1) + 1);
  return out;
}

/* The integer member `key` of a JSON text (-1 when absent). */
static int64_t json_int(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *p = strstr(json, pattern);
  return p ? strtoll(p + strlen(pattern), NULL, 10) : -1;
}

static int same_bytes(fc_buffer *a, fc_buffer *b) {
  return fc_buffer_len(a) == fc_buffer_len(b) && memcmp(fc_buffer_data(a), fc_buffer_data(b), fc_buffer_len(a)) == 0;
}

/* A device restored from `state` and unlocked. */
static fc_device *restored(fc_buffer *state) {
  fc_device *dev = NULL;
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_device_restore(dev, fc_buffer_data(state), fc_buffer_len(state), fc_buffer_data(device_key), 32),
               FC_STATUS_OK, dev);
  CHECK_STATUS(fc_device_unlock(dev, "4821"), FC_STATUS_OK, dev);
  return dev;
}

/* What the POS keeps on disk: the journal's last document line and the state file. */
struct disk {
  char *last_line;  /* the last document's journal line (the journal is verified at the end) */
  fc_buffer *state; /* the state file */
  char journal[1 << 15];
};

static void append(struct disk *d, const char *line) {
  strncat(d->journal, line, sizeof d->journal - strlen(d->journal) - 2);
  strcat(d->journal, "\n");
  free(d->last_line);
  d->last_line = malloc(strlen(line) + 1);
  if (!d->last_line) abort();
  strcpy(d->last_line, line);
}

static void save_state(struct disk *d, fc_buffer *state) {
  fc_buffer_free(d->state);
  d->state = state;
}

/* Issues `request` in one call and writes as §2 says: journal line, then state. With `cut`,
 * the power goes after the journal line: the state file keeps the old state. Returns the
 * document's JSON (caller frees). */
static char *sell(fc_device *dev, struct disk *d, const char *request, const char *refs, int64_t now, int cut) {
  fc_buffer *doc = NULL, *state = NULL, *line = NULL, *receipt = NULL;
  uint64_t last = 0, pending = 0;
  fc_device_counters(dev, &last, &pending);
  fc_status s = fc_device_issue_receipt(dev, request, refs, (int64_t)last, now, FC_RENDER_FORMAT_TEXT, 32, "az", &doc,
                                        &state, &line, &receipt);
  CHECK_STATUS(s, FC_STATUS_OK, dev);
  if (s != FC_STATUS_OK) return NULL;
  char *json = text_of(doc);
  char *line_text = text_of(line);
  append(d, line_text);
  if (cut) fc_buffer_free(state); else save_state(d, state);
  free(line_text);
  fc_buffer_free(doc);
  fc_buffer_free(line);
  fc_buffer_free(receipt);
  return json;
}

/* Start-up after a cut (CRASH-SAFETY.md §3): restore the saved state, compare numbers, replay
 * the document the journal is ahead by, check it byte for byte, save. `refs` are the journal
 * lines of the documents the replayed one names. Returns the device, recovered. */
static fc_device *recover(struct disk *d, const char *refs) {
  fc_device *dev = restored(d->state);
  uint64_t n_s = 0, pending = 0;
  CHECK_STATUS(fc_device_counters(dev, &n_s, &pending), FC_STATUS_OK, dev);
  fc_buffer *described = NULL;
  CHECK_STATUS(fc_document_describe(d->last_line, NULL, &described), FC_STATUS_OK, NULL);
  char *desc = text_of(described);
  fc_buffer_free(described);
  char *top = without_content(desc);
  int64_t n_j = json_int(top, "number");
  CHECK(n_j == (int64_t)n_s + 1, "the journal is one ahead: n_J %lld, n_S %llu", (long long)n_j, (unsigned long long)n_s);
  char *kind = json_string(top, "kind");
  int64_t time_ms = json_int(top, "time_ms");
  free(top);
  fc_buffer *doc = NULL;
  fc_status s = FC_STATUS_INVALID_ARGUMENT;
  if (strcmp(kind, "open_shift") == 0) {
    s = fc_device_open_shift(dev, time_ms, &doc);
  } else if (strcmp(kind, "zreport") == 0) {
    s = fc_device_close_shift(dev, time_ms, &doc);
  } else {
    /* A request kind: the content is the request as it was sent; a rollback's content is its
     * data, sent inside {"doc_type":"rollback","data":…}. */
    char *content = json_object(desc, "content");
    CHECK(content != NULL, "no content in %s", desc);
    char *request = NULL;
    if (content && strcmp(kind, "rollback") == 0) {
      char *data = json_object(content, "data");
      const char *inner = data ? data : content;
      request = malloc(strlen(inner) + 64);
      if (!request) abort();
      sprintf(request, "{\"doc_type\":\"rollback\",\"data\":%s}", inner);
      free(data);
      free(content);
    } else {
      request = content;
    }
    if (request) s = fc_device_issue(dev, request, refs, (int64_t)n_s, time_ms, &doc);
    free(request);
  }
  CHECK_STATUS(s, FC_STATUS_OK, dev);
  if (s == FC_STATUS_OK) {
    char *json = text_of(doc);
    char *line = json_string(json, "journal_line");
    CHECK(line && strcmp(line, d->last_line) == 0, "the replayed %s is the journal's document byte for byte:\n%s\n%s", kind,
          line ? line : "(none)", d->last_line);
    fc_buffer *state = NULL;
    CHECK_STATUS(fc_device_export_state(dev, &state), FC_STATUS_OK, dev);
    save_state(d, state);
    free(line);
    free(json);
    fc_buffer_free(doc);
  }
  uint64_t after = 0;
  fc_device_counters(dev, &after, &pending);
  CHECK(after == n_s + 1, "the recovered device knows document %llu", (unsigned long long)(n_s + 1));
  free(kind);
  free(desc);
  return dev;
}

/* The one call against the separate calls, and its refusals. */
static void one_call_equals_the_separate_calls(struct disk *d, fc_device *dev, int64_t now) {
  const char *request =
      "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":[{\"itemName\":\"Çay\","
      "\"itemQuantity\":3,\"itemPrice\":1.20,\"itemVatPercent\":18}],\"cashSum\":3.60}}";
  uint64_t last = 0, pending = 0;
  fc_device_counters(dev, &last, &pending);

  /* Refusals first: nothing is written (the sentinels stay), the state's bytes do not move. */
  fc_buffer *sentinel = (fc_buffer *)&last; /* any non-NULL address: it must not be overwritten */
  fc_buffer *doc = sentinel, *state = sentinel, *line = sentinel, *receipt = sentinel;
  fc_buffer *before = NULL, *after = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &before), FC_STATUS_OK, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, FC_RENDER_FORMAT_TEXT, 23, "az", &doc, &state,
                                       &line, &receipt),
               FC_STATUS_OUT_OF_RANGE, dev);
  CHECK(strstr(fc_device_last_error_json(dev), "\"path\":\"width\"") != NULL, "%s", fc_device_last_error_json(dev));
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, FC_RENDER_FORMAT_TEXT, 32, "ru", &doc, &state,
                                       &line, &receipt),
               FC_STATUS_INVALID_ARGUMENT, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, 5, 32, "az", &doc, &state, &line, &receipt),
               FC_STATUS_INVALID_ARGUMENT, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, FC_RENDER_FORMAT_TEXT, 32, NULL, &doc, &state,
                                       &line, &receipt),
               FC_STATUS_NULL_POINTER, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, "{\"doc_type\":\"sale\",\"data\":{}}", NULL, (int64_t)last, now,
                                       FC_RENDER_FORMAT_TEXT, 32, "az", &doc, &state, &line, &receipt),
               FC_STATUS_MISSING_FIELD, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last + 1, now, FC_RENDER_FORMAT_TEXT, 32, "az", &doc, &state,
                                       &line, &receipt),
               FC_STATUS_SEQUENCE_MISMATCH, dev);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, FC_RENDER_FORMAT_TEXT, 32, "az", &doc, NULL,
                                       &line, &receipt),
               FC_STATUS_NULL_POINTER, dev);
  CHECK(doc == sentinel && state == sentinel && line == sentinel && receipt == sentinel, "a refusal wrote an output");
  CHECK_STATUS(fc_device_export_state(dev, &after), FC_STATUS_OK, dev);
  CHECK(same_bytes(before, after), "a refused fc_device_issue_receipt changed the state");
  fc_buffer_free(after);

  /* A twin restored from the same state issues the same request with the separate calls. */
  fc_device *twin = restored(before);
  fc_buffer *twin_doc = NULL, *twin_state = NULL, *twin_receipt = NULL;
  CHECK_STATUS(fc_device_issue(twin, request, NULL, (int64_t)last, now, &twin_doc), FC_STATUS_OK, twin);
  CHECK_STATUS(fc_device_export_state(twin, &twin_state), FC_STATUS_OK, twin);
  char *twin_json = text_of(twin_doc);
  char *twin_line = json_string(twin_json, "journal_line");

  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now, FC_RENDER_FORMAT_ESCPOS, 48, "en", &doc, &state,
                                       &line, &receipt),
               FC_STATUS_OK, dev);
  CHECK(strcmp(fc_device_last_error(dev), "") == 0, "the last error is cleared by the success: %s", fc_device_last_error(dev));
  CHECK(same_bytes(doc, twin_doc), "the document JSON is fc_device_issue's");
  CHECK(same_bytes(state, twin_state), "the state is fc_device_export_state's after fc_device_issue");
  fc_buffer *exported = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &exported), FC_STATUS_OK, dev);
  CHECK(same_bytes(state, exported), "the state handed out is the device's state");
  fc_buffer_free(exported);
  char *line_text = text_of(line);
  CHECK(twin_line && strcmp(line_text, twin_line) == 0, "the journal line is the document's journal_line");
  CHECK(fc_buffer_data(line)[fc_buffer_len(line)] == '\0', "the journal line is text (NUL after it)");
  CHECK_STATUS(fc_document_render(line_text, cert_json, NULL, FC_RENDER_FORMAT_ESCPOS, 48, "en", &twin_receipt), FC_STATUS_OK,
               NULL);
  CHECK(same_bytes(receipt, twin_receipt), "the receipt is fc_document_render's with the device's certificate");
  /* ESC/POS starts with ESC @ (initialise printer). */
  CHECK(fc_buffer_len(receipt) > 2 && fc_buffer_data(receipt)[0] == 0x1b && fc_buffer_data(receipt)[1] == '@',
        "ESC/POS bytes start with ESC @");
  append(d, line_text);
  save_state(d, state);
  free(line_text);
  free(twin_line);
  free(twin_json);
  fc_buffer_free(doc);
  fc_buffer_free(line);
  fc_buffer_free(receipt);
  fc_buffer_free(twin_doc);
  fc_buffer_free(twin_state);
  fc_buffer_free(twin_receipt);
  fc_buffer_free(before);
  fc_device_free(twin);

  /* Without a receipt: out_receipt NULL, and the render arguments are not read. */
  fc_device_counters(dev, &last, &pending);
  CHECK_STATUS(fc_device_issue_receipt(dev, request, NULL, (int64_t)last, now + 1000, 99, 0, NULL, &doc, &state, &line, NULL),
               FC_STATUS_OK, dev);
  char *l2 = text_of(line);
  append(d, l2);
  save_state(d, state);
  free(l2);
  fc_buffer_free(doc);
  fc_buffer_free(line);
}

int main(void) {
  fc_buffer *authority_key = NULL, *authority_pub = NULL, *device_pub = NULL;
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C recovery authority", 20, &authority_key), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C recovery device", 17, &device_key), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_public_key(fc_buffer_data(authority_key), 32, &authority_pub), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_public_key(fc_buffer_data(device_key), 32, &device_pub), FC_STATUS_OK, NULL);
  char *authority_hex = text_of(authority_pub);
  char *device_hex = text_of(device_pub);
  char body[1024];
  snprintf(body, sizeof body,
           "{\"serial\":7,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"KC-7\","
           "\"nmq_factory_number\":\"NMQ-7\",\"nmq_registration_number\":\"AZ-7\","
           "\"taxpayer_name\":\"Bərpa MMC\",\"voen\":\"1234567891\",\"object_code\":\"OBJ-7\","
           "\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\",\"valid_from\":1767211200000,"
           "\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
           device_hex);
  fc_buffer *cert = NULL;
  CHECK_STATUS(fc_certificate_issue(body, fc_buffer_data(authority_key), 32, &cert), FC_STATUS_OK, NULL);
  cert_json = text_of(cert);
  fc_buffer *cert_line = NULL;
  CHECK_STATUS(fc_certificate_journal_line(cert_json, &cert_line), FC_STATUS_OK, NULL);

  static struct disk d;
  char *cert_line_text = text_of(cert_line);
  strcat(d.journal, cert_line_text);
  strcat(d.journal, "\n");
  free(cert_line_text);

  fc_device *dev = NULL;
  fc_buffer *doc = NULL, *state = NULL;
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_device_activate(dev, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_OK, dev);
  {
    char *j = text_of(doc);
    char *line = json_string(j, "journal_line");
    append(&d, line);
    free(line);
    free(j);
    fc_buffer_free(doc);
  }
  CHECK_STATUS(fc_device_export_state(dev, &state), FC_STATUS_OK, dev);
  save_state(&d, state);

  /* Cut 1: the open shift is in the journal, its state is not. */
  CHECK_STATUS(fc_device_open_shift(dev, AT_0900, &doc), FC_STATUS_OK, dev);
  {
    char *j = text_of(doc);
    char *line = json_string(j, "journal_line");
    append(&d, line);
    free(line);
    free(j);
    fc_buffer_free(doc);
  }
  fc_device_free(dev);
  dev = recover(&d, NULL);

  one_call_equals_the_separate_calls(&d, dev, AT_0900 + MINUTES(1));

  /* Cut 2: a sale. */
  char *sale_json = sell(dev, &d,
                         "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
                         "{\"itemName\":\"Çörək\",\"itemQuantity\":2,\"itemPrice\":0.60,\"itemVatPercent\":18},"
                         "{\"itemName\":\"Süd\",\"itemQuantity\":1,\"itemPrice\":2.35,\"itemVatPercent\":18}],"
                         "\"cashSum\":3.55,\"incomingSum\":5}}",
                         NULL, AT_0900 + MINUTES(5), 1);
  char *sale_line = json_string(sale_json, "journal_line");
  char *sale_id = json_string(sale_json, "short_id");
  fc_device_free(dev);
  dev = recover(&d, NULL);

  /* Cut 3: a return that names the sale (the replay needs the sale as its reference). */
  char request[2048];
  snprintf(request, sizeof request,
           "{\"doc_type\":\"money_back\",\"data\":{\"cashier\":\"Aysel\",\"parentDocument\":\"%s\",\"items\":["
           "{\"itemName\":\"Süd\",\"itemQuantity\":1,\"itemPrice\":2.35,\"itemVatPercent\":18}],\"cashSum\":2.35}}",
           sale_id);
  free(sell(dev, &d, request, sale_line, AT_0900 + MINUTES(6), 1));
  fc_device_free(dev);
  dev = recover(&d, sale_line);

  /* Cut 4: a cancel of a receipt of the open shift. */
  char *coffee_json = sell(dev, &d,
                           "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Rəşad\",\"items\":[{\"itemName\":\"Qəhvə\","
                           "\"itemQuantity\":1,\"itemPrice\":3.50,\"itemVatPercent\":8}],\"cashSum\":3.50}}",
                           NULL, AT_0900 + MINUTES(7), 0);
  char *coffee_line = json_string(coffee_json, "journal_line");
  char *coffee_id = json_string(coffee_json, "fiscal_id");
  snprintf(request, sizeof request, "{\"doc_type\":\"rollback\",\"data\":{\"cashier\":\"Rəşad\",\"parentDocument\":\"%s\"}}",
           coffee_id);
  free(sell(dev, &d, request, coffee_line, AT_0900 + MINUTES(8), 1));
  fc_device_free(dev);
  dev = recover(&d, coffee_line);

  /* Part 3 of the recovery rule: the same sale at another moment is another document. The
   * restored device (state before the cut) issues it again a minute later: same number, other
   * line — the fork a "repair" by issuing would make. */
  {
    fc_buffer *saved = NULL;
    CHECK_STATUS(fc_device_export_state(dev, &saved), FC_STATUS_OK, dev);
    fc_device *a = restored(saved), *b = restored(saved);
    uint64_t last = 0, pending = 0;
    fc_device_counters(a, &last, &pending);
    const char *coffee_again =
        "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Rəşad\",\"items\":[{\"itemName\":\"Qəhvə\","
        "\"itemQuantity\":1,\"itemPrice\":3.50,\"itemVatPercent\":8}],\"cashSum\":3.50}}";
    fc_buffer *da = NULL, *db = NULL;
    CHECK_STATUS(fc_device_issue(a, coffee_again, NULL, (int64_t)last, AT_0900 + MINUTES(9), &da), FC_STATUS_OK, a);
    CHECK_STATUS(fc_device_issue(b, coffee_again, NULL, (int64_t)last, AT_0900 + MINUTES(10), &db), FC_STATUS_OK, b);
    char *ja = text_of(da), *jb = text_of(db);
    CHECK(json_int(ja, "number") == json_int(jb, "number"), "the same number");
    char *la = json_string(ja, "journal_line"), *lb = json_string(jb, "journal_line");
    CHECK(strcmp(la, lb) != 0, "another moment gives another document under the same number");
    free(la);
    free(lb);
    free(ja);
    free(jb);
    fc_buffer_free(da);
    fc_buffer_free(db);
    fc_device_free(a);
    fc_device_free(b);
    fc_buffer_free(saved);
  }

  /* Cut 5: the Z-report. */
  CHECK_STATUS(fc_device_close_shift(dev, AT_0900 + MINUTES(600), &doc), FC_STATUS_OK, dev);
  {
    char *j = text_of(doc);
    char *line = json_string(j, "journal_line");
    append(&d, line);
    free(line);
    free(j);
    fc_buffer_free(doc);
  }
  fc_device_free(dev);
  dev = recover(&d, NULL);

  /* The recovered journal verifies clean: every document once, no gap, no fork. Documents:
   * activation, open shift, 2 sales in one call each, sale, return, coffee, cancel, Z = 9. */
  uint64_t last = 0, pending = 0;
  CHECK_STATUS(fc_device_counters(dev, &last, &pending), FC_STATUS_OK, dev);
  CHECK(last == 9, "9 documents, got %llu", (unsigned long long)last);
  fc_buffer *report = NULL;
  CHECK_STATUS(fc_verify_journal((const uint8_t *)d.journal, strlen(d.journal), authority_hex, &report), FC_STATUS_OK, NULL);
  if (report) {
    char *r = text_of(report);
    CHECK(strstr(r, "\"findings\":[]") != NULL, "the recovered journal verifies clean: %s", r);
    CHECK(json_int(r, "documents") == 9 || strstr(r, "\"last_number\":9") != NULL, "9 documents in the report: %s", r);
    free(r);
    fc_buffer_free(report);
  }

  free(sale_json);
  free(sale_line);
  free(sale_id);
  free(coffee_json);
  free(coffee_line);
  free(coffee_id);
  fc_device_free(dev);
  free(d.last_line);
  fc_buffer_free(d.state);
  fc_buffer_free(cert_line);
  fc_buffer_free(cert);
  free(cert_json);
  free(authority_hex);
  free(device_hex);
  fc_buffer_free(authority_key);
  fc_buffer_free(authority_pub);
  fc_buffer_free(device_pub);
  fc_buffer_free(device_key);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
