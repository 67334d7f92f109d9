/*
 * A whole shift through the C ABI, as a POS written in C would drive it: activate, unlock, open
 * a shift, one receipt of each kind, a refused operation, the Z-report, export and re-import
 * the state, verify the journal; and every kind of bad input returns a status, never a crash.
 * Built with -Wall -Wextra -Wpedantic -Werror and run under valgrind by test.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The journal: the certificate line, then one line per document. */
static char journal[1 << 16];

static void append_line(const char *line) {
  strncat(journal, line, sizeof journal - strlen(journal) - 2);
  strcat(journal, "\n");
}

/* Appends the document's journal line and returns it (caller frees); frees the buffer. */
static char *take_document(fc_buffer *doc) {
  char *json = text_of(doc);
  char *line = json_string(json, "journal_line");
  CHECK(line != NULL, "no journal_line in %s", json);
  if (line) append_line(line);
  free(json);
  fc_buffer_free(doc);
  return line;
}

static fc_status issue(fc_device *dev, const char *request, const char *refs, int64_t now, char **line_out) {
  fc_buffer *doc = NULL;
  fc_status s = fc_device_issue(dev, request, refs, -1, now, &doc);
  if (s == FC_STATUS_OK) {
    char *line = take_document(doc);
    if (line_out) *line_out = line; else free(line);
  }
  return s;
}

int main(void) {
  /* A test authority certifies a test device (keys from seeds: tests only). */
  fc_buffer *authority_key = NULL, *device_key = NULL, *authority_pub = NULL, *device_pub = NULL;
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C test authority", 16, &authority_key), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C test device", 13, &device_key), FC_STATUS_OK, NULL);
  CHECK(fc_buffer_len(device_key) == 32, "key length %zu", fc_buffer_len(device_key));
  CHECK_STATUS(fc_public_key(fc_buffer_data(authority_key), 32, &authority_pub), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_public_key(fc_buffer_data(device_key), 32, &device_pub), FC_STATUS_OK, NULL);
  char *authority_hex = text_of(authority_pub);
  char *device_hex = text_of(device_pub);
  CHECK(strlen(authority_hex) == 66, "compressed key hex is 66 characters, got %zu", strlen(authority_hex));

  char body[1024];
  snprintf(body, sizeof body,
           "{\"serial\":1,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"KC-1\","
           "\"nmq_factory_number\":\"NMQ-1\",\"nmq_registration_number\":\"AZ-1\","
           "\"taxpayer_name\":\"C Mağaza MMC\",\"voen\":\"1234567891\",\"object_code\":\"OBJ-1\","
           "\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\",\"valid_from\":1767211200000,"
           "\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
           device_hex);
  fc_buffer *cert = NULL;
  CHECK_STATUS(fc_certificate_issue(body, fc_buffer_data(authority_key), 32, &cert), FC_STATUS_OK, NULL);
  char *cert_json = text_of(cert);

  /* Activate, with a wrong authority first (refused), then the right one. */
  fc_device *dev = NULL;
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  fc_buffer *doc = NULL;
  CHECK_STATUS(fc_device_activate(dev, cert_json, device_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_CERTIFICATE_SIGNATURE, dev);
  CHECK(strstr(fc_device_last_error_json(dev), "\"rule\":\"NM-10\"") != NULL, "error JSON: %s", fc_device_last_error_json(dev));
  CHECK(strstr(fc_device_last_error_json(dev), "\"category\":\"crypto\"") != NULL, "error JSON: %s", fc_device_last_error_json(dev));
  CHECK_STATUS(fc_device_activate(dev, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_OK, dev);
  char *activation = take_document(doc);

  /* Open a shift; issue one document of every kind. */
  CHECK_STATUS(fc_device_open_shift(dev, AT_0900, &doc), FC_STATUS_OK, dev);
  free(take_document(doc));
  CHECK_STATUS(fc_device_deposit(dev, "Aysel", "100.00", AT_0900 + MINUTES(1), &doc), FC_STATUS_OK, dev);
  free(take_document(doc));

  char *sale = NULL;
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
                     "{\"itemName\":\"Çörək\",\"itemQuantity\":2,\"itemPrice\":0.60,\"itemVatPercent\":18},"
                     "{\"itemName\":\"Süd\",\"itemQuantity\":1,\"itemPrice\":2.35,\"itemVatPercent\":18}],"
                     "\"cashSum\":3.55,\"incomingSum\":5}}",
                     NULL, AT_0900 + MINUTES(2), &sale),
               FC_STATUS_OK, dev);
  char *advance = NULL;
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"prepay\",\"data\":{\"cashier\":\"Aysel\",\"items\":[{\"itemName\":\"Avans\","
                     "\"itemQuantity\":1,\"itemPrice\":20,\"itemVatPercent\":18}],\"cashlessSum\":20}}",
                     NULL, AT_0900 + MINUTES(3), &advance),
               FC_STATUS_OK, dev);
  char *credit = NULL;
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":[{\"itemName\":\"Soba\","
                     "\"itemQuantity\":1,\"itemPrice\":1180,\"itemVatPercent\":18}],\"cashSum\":180,\"creditSum\":1000}}",
                     NULL, AT_0900 + MINUTES(4), &credit),
               FC_STATUS_OK, dev);

  char request[4096];
  char *sale_doc_json = NULL;
  {
    fc_buffer *described = NULL;
    CHECK_STATUS(fc_document_describe(sale, NULL, &described), FC_STATUS_OK, NULL);
    sale_doc_json = text_of(described);
    fc_buffer_free(described);
  }
  char *sale_id = json_string(sale_doc_json, "short_id");
  char *credit_id = NULL;
  char *advance_id = NULL;
  {
    fc_buffer *d1 = NULL, *d2 = NULL;
    fc_document_describe(credit, NULL, &d1);
    fc_document_describe(advance, NULL, &d2);
    char *j1 = text_of(d1), *j2 = text_of(d2);
    credit_id = json_string(j1, "fiscal_id");
    advance_id = json_string(j2, "short_id");
    free(j1);
    free(j2);
    fc_buffer_free(d1);
    fc_buffer_free(d2);
  }
  /* Sale 2 × 0.60 + 2.35 = 3.55: VAT 3.55 × 18/118 = 0.5415… → 0.54 (SPEC.md §5.3). */
  CHECK(strstr(sale_doc_json, "\"itemTaxSum\":0.18") != NULL, "line tax 0.18: %s", sale_doc_json);
  CHECK(strstr(sale_doc_json, "\"changeSum\":1.45") != NULL, "change 5 − 3.55 = 1.45: %s", sale_doc_json);

  snprintf(request, sizeof request,
           "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":[{\"itemName\":\"Tort\","
           "\"itemQuantity\":1,\"itemPrice\":50,\"itemVatPercent\":18}],\"cashSum\":30,\"prepaymentSum\":20,"
           "\"parents\":[\"%s\"]}}",
           advance_id);
  CHECK_STATUS(issue(dev, request, advance, AT_0900 + MINUTES(5), NULL), FC_STATUS_OK, dev);

  snprintf(request, sizeof request,
           "{\"doc_type\":\"creditpay\",\"data\":{\"cashier\":\"Aysel\",\"parentDocument\":\"%s\","
           "\"paymentNumber\":1,\"residue\":900,\"items\":[{\"itemName\":\"Nisyə ödənişi\",\"itemQuantity\":1,"
           "\"itemPrice\":100,\"itemVatPercent\":18}],\"cashSum\":100}}",
           credit_id);
  CHECK_STATUS(issue(dev, request, credit, AT_0900 + MINUTES(6), NULL), FC_STATUS_OK, dev);

  snprintf(request, sizeof request,
           "{\"doc_type\":\"money_back\",\"data\":{\"cashier\":\"Aysel\",\"parentDocument\":\"%s\",\"items\":["
           "{\"itemName\":\"Süd\",\"itemQuantity\":1,\"itemPrice\":2.35,\"itemVatPercent\":18}],\"cashSum\":2.35}}",
           sale_id);
  CHECK_STATUS(issue(dev, request, sale, AT_0900 + MINUTES(7), NULL), FC_STATUS_OK, dev);

  /* A refused operation: a return above the sale; the state must not change. */
  fc_buffer *before = NULL, *after = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &before), FC_STATUS_OK, dev);
  snprintf(request, sizeof request,
           "{\"doc_type\":\"money_back\",\"data\":{\"cashier\":\"Aysel\",\"parentDocument\":\"%s\",\"items\":["
           "{\"itemName\":\"Süd\",\"itemQuantity\":1,\"itemPrice\":9.99,\"itemVatPercent\":18}],\"cashSum\":9.99}}",
           sale_id);
  CHECK_STATUS(issue(dev, request, sale, AT_0900 + MINUTES(8), NULL), FC_STATUS_RETURN_EXCEEDS_SALE, dev);
  CHECK(strstr(fc_device_last_error_json(dev), "return_exceeds_sale") != NULL, "%s", fc_device_last_error_json(dev));
  /* An invalid request reports every problem. */
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":[{\"itemName\":\"X\","
                     "\"itemQuantity\":2,\"itemPrice\":1,\"itemSum\":3,\"itemVatPercent\":20}],\"cashlessSum\":3}}",
                     NULL, AT_0900 + MINUTES(8), NULL),
               FC_STATUS_LINE_TOTAL_MISMATCH, dev);
  CHECK(strstr(fc_device_last_error_json(dev), "unknown_tax_rate") != NULL, "both problems: %s", fc_device_last_error_json(dev));
  CHECK_STATUS(fc_device_export_state(dev, &after), FC_STATUS_OK, dev);
  CHECK(fc_buffer_len(before) == fc_buffer_len(after) &&
            memcmp(fc_buffer_data(before), fc_buffer_data(after), fc_buffer_len(before)) == 0,
        "a refused operation changed the state");
  fc_buffer_free(before);
  fc_buffer_free(after);

  /* A cancel voids a whole receipt of the open shift. */
  char *coffee = NULL;
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Rəşad\",\"items\":[{\"itemName\":\"Qəhvə\","
                     "\"itemQuantity\":1,\"itemPrice\":3.50,\"itemVatPercent\":8}],\"cashSum\":3.50}}",
                     NULL, AT_0900 + MINUTES(9), &coffee),
               FC_STATUS_OK, dev);
  {
    fc_buffer *d = NULL;
    fc_document_describe(coffee, NULL, &d);
    char *j = text_of(d);
    char *id = json_string(j, "fiscal_id");
    snprintf(request, sizeof request, "{\"doc_type\":\"rollback\",\"data\":{\"cashier\":\"Rəşad\",\"parentDocument\":\"%s\"}}", id);
    free(id);
    free(j);
    fc_buffer_free(d);
  }
  CHECK_STATUS(issue(dev, request, coffee, AT_0900 + MINUTES(10), NULL), FC_STATUS_OK, dev);
  CHECK_STATUS(fc_device_withdraw(dev, "Aysel", "50", AT_0900 + MINUTES(11), &doc), FC_STATUS_OK, dev);
  free(take_document(doc));
  CHECK_STATUS(issue(dev,
                     "{\"doc_type\":\"correction\",\"data\":{\"cashier\":\"Aysel\",\"sum\":11.80,\"cashSum\":11.80,"
                     "\"vatAmounts\":[{\"vatSum\":11.80,\"vatPercent\":18}]}}",
                     NULL, AT_0900 + MINUTES(12), NULL),
               FC_STATUS_OK, dev);

  /* X-report, then the Z-report. Cash in: 100 + 3.55 + 30 + 180 + 100 + 3.50 + 11.80 = 428.85;
   * out: 2.35 + 3.50 + 50 = 55.85; in the drawer 373.00. */
  fc_buffer *x = NULL;
  CHECK_STATUS(fc_device_x_report(dev, &x), FC_STATUS_OK, dev);
  char *xs = text_of(x);
  CHECK(strstr(xs, "\"cash_in_drawer\":\"373.00\"") != NULL, "X-report: %s", xs);
  free(xs);
  fc_buffer_free(x);
  /* The status a POS checks before it sells (SPEC.md §8.5): shift open, unlocked, active. */
  fc_buffer *st = NULL;
  CHECK_STATUS(fc_device_status(dev, &st), FC_STATUS_OK, dev);
  {
    char *ss = text_of(st);
    CHECK(strstr(ss, "\"shift_open\":true") != NULL, "status: %s", ss);
    CHECK(strstr(ss, "\"status\":\"active\"") != NULL, "status: %s", ss);
    CHECK(strstr(ss, "\"unlocked\":true") != NULL, "status: %s", ss);
    free(ss);
  }
  fc_buffer_free(st);
  CHECK_STATUS(fc_device_status(dev, NULL), FC_STATUS_NULL_POINTER, dev);
  CHECK_STATUS(fc_device_close_shift(dev, AT_0900 + MINUTES(600), &doc), FC_STATUS_OK, dev);
  {
    char *z = text_of(doc);
    /* Receipts: 4 sales (bread, credit, cake, coffee), the advance, the instalment, the return
     * and the cancel = 8. */
    CHECK(strstr(z, "\"receipts\":8") != NULL, "8 receipts in the Z-report: %s", z);
    free(z);
  }
  free(take_document(doc));

  /* Export, free, re-import: the device goes on, locked until the PIN. */
  uint64_t last = 0, pending = 0;
  CHECK_STATUS(fc_device_counters(dev, &last, &pending), FC_STATUS_OK, dev);
  /* Documents: activation, open, deposit, 8 receipts, withdraw, correction, Z-report = 14. */
  CHECK(last == 14 && pending == 14, "14 documents, all waiting: %llu %llu", (unsigned long long)last,
        (unsigned long long)pending);
  fc_buffer *state = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &state), FC_STATUS_OK, dev);
  fc_device_free(dev);
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_device_restore(dev, fc_buffer_data(state), fc_buffer_len(state), fc_buffer_data(device_key), 32),
               FC_STATUS_OK, dev);
  fc_buffer_free(state);
  CHECK_STATUS(fc_device_open_shift(dev, AT_0900 + MINUTES(601), &doc), FC_STATUS_NOT_UNLOCKED, dev);
  CHECK_STATUS(fc_device_unlock(dev, "0000"), FC_STATUS_WRONG_PIN, dev);
  CHECK_STATUS(fc_device_unlock(dev, "4821"), FC_STATUS_OK, dev);
  CHECK_STATUS(fc_device_open_shift(dev, AT_0900 + MINUTES(601), &doc), FC_STATUS_OK, dev);
  free(take_document(doc));

  /* Verify each document, then the whole journal (certificate line first). */
  fc_buffer *report = NULL;
  CHECK_STATUS(fc_verify_document(activation, cert_json, authority_hex, &report), FC_STATUS_OK, NULL);
  CHECK(fc_buffer_len(report) == strlen("{\"code\":null,\"message\":null,\"rule\":null,\"valid\":true}") &&
            memcmp(fc_buffer_data(report), "{\"code\":null,\"message\":null,\"rule\":null,\"valid\":true}", fc_buffer_len(report)) == 0,
        "verdict: %.*s", (int)fc_buffer_len(report), (const char *)fc_buffer_data(report));
  fc_buffer_free(report);
  {
    /* Build {"certificate":"<hex>"}: the certificate JSON's bytes are not what the line holds,
     * so ask the library: a journal verified with a wrong first line must fail cleanly. */
    char *full = malloc(strlen(journal) + 64);
    if (!full) abort();
    strcpy(full, "{\"certificate\":\"00\"}\n");
    strcat(full, journal);
    CHECK_STATUS(fc_verify_journal((const uint8_t *)full, strlen(full), authority_hex, &report),
                 FC_STATUS_INVALID_CERTIFICATE, NULL);
    fc_buffer_free(report);
    free(full);
  }
  fc_buffer *cert_line = NULL;
  CHECK_STATUS(fc_certificate_journal_line(cert_json, &cert_line), FC_STATUS_OK, NULL);
  {
    char *head = text_of(cert_line);
    char *full = malloc(strlen(journal) + strlen(head) + 2);
    if (!full) abort();
    sprintf(full, "%s\n%s", head, journal);
    CHECK_STATUS(fc_verify_journal((const uint8_t *)full, strlen(full), authority_hex, &report), FC_STATUS_OK, NULL);
    char *r = text_of(report);
    /* 14 documents and the next shift's opening: 15; 8 receipts. */
    CHECK(strstr(r, "\"valid\":true") && strstr(r, "\"documents\":15") && strstr(r, "\"receipts\":8"), "report: %s", r);
    /* What completeness is checked against (SPEC.md §15.3): the last document is 15, the
     * opening of shift 2 at 09:00 + 601 minutes, whose fiscal ID is on the journal's last line. */
    {
      char want[128];
      snprintf(want, sizeof want, "\"last_time_ms\":%lld", (long long)(AT_0900 + MINUTES(601)));
      CHECK(strstr(r, "\"last_number\":15") && strstr(r, "\"last_shift\":2") && strstr(r, "\"last_shift_closed\":false") &&
                strstr(r, want),
            "report: %s", r);
      const char *last = full + strlen(full) - 1; /* the final LF */
      while (last > full && last[-1] != '\n') last--;
      char *id = json_string(last, "id");
      CHECK(id != NULL && strlen(id) == 64, "the last line's id");
      if (id) {
        snprintf(want, sizeof want, "\"last_fiscal_id\":\"%s\"", id);
        CHECK(strstr(r, want) != NULL, "report: %s", r);
      }
      free(id);
    }
    free(r);
    fc_buffer_free(report);
    /* A journal without documents is not valid (a failed export), nor one with CRLF line ends
     * (SPEC.md §13.5: one spelling). */
    {
      char *only = malloc(strlen(head) + 2);
      if (!only) abort();
      sprintf(only, "%s\n", head);
      CHECK_STATUS(fc_verify_journal((const uint8_t *)only, strlen(only), authority_hex, &report), FC_STATUS_EMPTY_JOURNAL, NULL);
      char *e = text_of(report);
      CHECK(strstr(e, "\"valid\":false") && strstr(e, "\"code\":\"empty_journal\"") && strstr(e, "\"last_number\":null") &&
                strstr(e, "\"last_shift_closed\":false"),
            "report: %s", e);
      free(e);
      fc_buffer_free(report);
      free(only);
      CHECK_STATUS(fc_verify_journal((const uint8_t *)"", 0, authority_hex, &report), FC_STATUS_EMPTY_JOURNAL, NULL);
      fc_buffer_free(report);
      char *crlf = malloc(2 * strlen(full) + 1);
      if (!crlf) abort();
      size_t k = 0;
      for (const char *p = full; *p; p++) {
        if (*p == '\n') crlf[k++] = '\r';
        crlf[k++] = *p;
      }
      crlf[k] = '\0';
      CHECK_STATUS(fc_verify_journal((const uint8_t *)crlf, k, authority_hex, &report), FC_STATUS_NONCANONICAL_LINE, NULL);
      char *c = text_of(report);
      CHECK(strstr(c, "\"documents\":15") && strstr(c, "\"last_number\":15") && strstr(c, "\"rule\":\"PK-11\""), "report: %s", c);
      free(c);
      fc_buffer_free(report);
      free(crlf);
    }
    /* Tamper: remove the sale's line (document 4). */
    char *cut = strstr(full, sale);
    CHECK(cut != NULL, "sale line in journal");
    if (cut) {
      char *end = strchr(cut, '\n');
      memmove(cut, end + 1, strlen(end + 1) + 1);
      CHECK_STATUS(fc_verify_journal((const uint8_t *)full, strlen(full), authority_hex, &report), FC_STATUS_NUMBER_GAP, NULL);
      char *r2 = text_of(report);
      CHECK(strstr(r2, "\"rule\":\"NM-03\"") != NULL, "report: %s", r2);
      free(r2);
      fc_buffer_free(report);
    }
    free(full);
    free(head);
  }
  fc_buffer_free(cert_line);

  /* The printed receipt: text at 32 columns, every line within the width; ESC/POS ends with a cut. */
  {
    fc_buffer *printed = NULL;
    CHECK_STATUS(fc_document_render(sale, cert_json, NULL, 0, 32, "az", &printed), FC_STATUS_OK, NULL);
    char *t = text_of(printed);
    CHECK(strstr(t, "SATIŞ ÇEKİ") && strstr(t, "FİSKAL REJİM") && strstr(t, "Qaytarılan məbləğ"), "receipt:\n%s", t);
    free(t);
    fc_buffer_free(printed);
    CHECK_STATUS(fc_document_render(sale, cert_json, NULL, 2, 48, "az", &printed), FC_STATUS_OK, NULL);
    size_t n = fc_buffer_len(printed);
    const uint8_t *b = fc_buffer_data(printed);
    CHECK(n > 4 && b[n - 4] == 0x1d && b[n - 3] == 'V', "ESC/POS ends with GS V (cut)");
    fc_buffer_free(printed);
    CHECK_STATUS(fc_document_render(sale, cert_json, NULL, 9, 32, "az", &printed), FC_STATUS_INVALID_ARGUMENT, NULL);
    CHECK_STATUS(fc_document_render(sale, cert_json, NULL, 0, 32, "xx", &printed), FC_STATUS_INVALID_ARGUMENT, NULL);
  }

  /* QR. */
  fc_buffer *payload = NULL, *svg = NULL;
  {
    char *id = json_string(sale_doc_json, "fiscal_id");
    CHECK_STATUS(fc_qr_payload(NULL, id, &payload), FC_STATUS_OK, NULL);
    char *p = text_of(payload);
    CHECK(strncmp(p, "https://monitoring.e-kassa.gov.az/#/index?doc=", 46) == 0 && strlen(p) == 46 + 64, "payload %s", p);
    CHECK_STATUS(fc_qr_svg(p, &svg), FC_STATUS_OK, NULL);
    CHECK(strstr((const char *)fc_buffer_data(svg), "<svg") != NULL, "svg");
    free(p);
    free(id);
    fc_buffer_free(payload);
    fc_buffer_free(svg);
  }

  /* Bad input: NULL pointers, invalid UTF-8, invalid JSON, wrong handles, panics. */
  CHECK_STATUS(fc_device_new(NULL), FC_STATUS_NULL_POINTER, NULL);
  CHECK_STATUS(fc_device_issue(NULL, "{}", NULL, -1, AT_0900, &doc), FC_STATUS_NULL_POINTER, NULL);
  CHECK_STATUS(fc_device_issue(dev, NULL, NULL, -1, AT_0900, &doc), FC_STATUS_NULL_POINTER, dev);
  CHECK_STATUS(fc_device_issue(dev, "{}", NULL, -1, AT_0900, NULL), FC_STATUS_NULL_POINTER, dev);
  CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"\xff\xfe\"}}", NULL, -1, AT_0900, &doc),
               FC_STATUS_INVALID_UTF8, dev);
  CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\": sale", NULL, -1, AT_0900 + MINUTES(700), &doc), FC_STATUS_MALFORMED_JSON, dev);
  CHECK_STATUS(fc_device_issue(dev, "{\"doc_type\":\"sale\",\"data\":{}}", "not a journal line", -1, AT_0900 + MINUTES(700), &doc),
               FC_STATUS_INVALID_DOCUMENT, dev);
  {
    /* A wrong handle: another object of this library, and plain memory. */
    fc_buffer *other = NULL;
    fc_key_from_seed((const uint8_t *)"x", 1, &other);
    CHECK_STATUS(fc_device_unlock((fc_device *)(void *)other, "4821"), FC_STATUS_INVALID_HANDLE, NULL);
    fc_buffer_free(other);
    uint64_t junk[8] = {0};
    CHECK_STATUS(fc_device_unlock((fc_device *)(void *)junk, "4821"), FC_STATUS_INVALID_HANDLE, NULL);
    CHECK(fc_device_last_error((fc_device *)(void *)junk) == NULL, "no error text for a wrong handle");
  }
  fc_device *empty = NULL;
  fc_device_new(&empty);
  CHECK_STATUS(fc_device_open_shift(empty, AT_0900, &doc), FC_STATUS_NOT_ACTIVATED, empty);
  fc_device_free(empty);
  CHECK_STATUS(fc_verify_journal(NULL, 5, authority_hex, &report), FC_STATUS_NULL_POINTER, NULL);
  CHECK_STATUS(fc_verify_journal((const uint8_t *)"\xff\n", 2, authority_hex, &report), FC_STATUS_INVALID_UTF8, NULL);
  CHECK_STATUS(fc_verify_journal((const uint8_t *)"", 0, "zz", &report), FC_STATUS_INVALID_ARGUMENT, NULL);
  CHECK_STATUS(fc_request_validate("{\"doc_type\":\"sale\"", "2026-11-23", &report), FC_STATUS_MALFORMED_JSON, NULL);
  fc_buffer_free(report);
  CHECK_STATUS(fc_request_validate("{}", "23.11.2026", &report), FC_STATUS_INVALID_ARGUMENT, NULL);
  CHECK_STATUS(fc_test_panic(), FC_STATUS_PANIC, NULL);
  CHECK(strcmp(fc_status_name(FC_STATUS_WRONG_PIN), "wrong_pin") == 0, "status name");
  CHECK(strcmp(fc_status_name(9999), "unknown") == 0, "unknown status name");
  fc_buffer_free(NULL);
  fc_device_free(NULL);

  fc_device_free(dev);
  free(activation);
  free(sale);
  free(advance);
  free(credit);
  free(coffee);
  free(sale_doc_json);
  free(sale_id);
  free(credit_id);
  free(advance_id);
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
