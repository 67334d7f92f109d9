/*
 * fc_device_handle: requests exactly as deployed POS programs send them (NBA, Omnitech,
 * e-Kassam kas_*), carried out on a device and answered in the dialect's shape
 * (bindings-c/README.md, "Deployed POS requests as sent").
 *
 * The day: activation at 08:00 (document 1); NBA logins (a wrong PIN among them); NBA
 * openShift at 09:00 (document 2); an NBA sale (document 3, the shift's receipt 1); the same
 * sale with a misspelt member, refused under "strict" (unknown member) and under "deployed"
 * (the line loses its rate, so vatAmounts no longer match); an Omnitech sale (document 4,
 * receipt 2); an e-Kassam kas_sale body (document 5, receipt 3); the X-report; closeShift
 * (the Z-report, document 6); refusals of the boundary (unknown dialect or policy, NULL
 * arguments, too many references) and of the engine (an unknown operationId). At the end the
 * journal (certificate line, documents 1 to 6) verifies clean.
 *
 * Built with -Wall -Wextra -Wpedantic -Werror; run plainly, under ASan + UBSan and valgrind.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Any non-NULL address: an out-parameter set to it must not be written by a refusal of the
 * boundary. */
static int sentinel_target;
#define SENTINEL ((fc_buffer *)&sentinel_target)

/* What one fc_device_handle call gave. */
struct answer {
  fc_status status;
  char *response;    /* the response text; NULL when none was written */
  char *line;        /* the journal line; NULL when none */
  int line_null;     /* *out_journal_line was set to NULL */
  int wrote_nothing; /* neither out-parameter was written */
};

static struct answer handle_refs(fc_device *dev, const char *dialect, const char *policy, const char *operation,
                                 const char *text, const char *references, int64_t now) {
  struct answer a = {0};
  fc_buffer *response = SENTINEL, *line = SENTINEL;
  a.status = fc_device_handle(dev, dialect, policy, operation, text, references, now, &response, &line);
  a.wrote_nothing = response == SENTINEL && line == SENTINEL;
  a.line_null = line == NULL;
  if (response != SENTINEL && response != NULL) {
    a.response = text_of(response);
    CHECK(fc_buffer_data(response)[fc_buffer_len(response)] == '\0', "the response is text (NUL after it)");
    fc_buffer_free(response);
  }
  if (line != SENTINEL && line != NULL) {
    a.line = text_of(line);
    fc_buffer_free(line);
  }
  return a;
}

static struct answer handle(fc_device *dev, const char *dialect, const char *policy, const char *operation, const char *text,
                            int64_t now) {
  return handle_refs(dev, dialect, policy, operation, text, NULL, now);
}

static void forget(struct answer *a) {
  free(a->response);
  free(a->line);
  a->response = a->line = NULL;
}

static int contains(const char *haystack, const char *needle) { return haystack && strstr(haystack, needle) != NULL; }

static int same_bytes(fc_buffer *a, fc_buffer *b) {
  return fc_buffer_len(a) == fc_buffer_len(b) && memcmp(fc_buffer_data(a), fc_buffer_data(b), fc_buffer_len(a)) == 0;
}

/* Only the characters of Base58 (no 0, O, I, l). */
static int is_base58(const char *s) {
  static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  return s && *s && strspn(s, alphabet) == strlen(s);
}

static char journal[1 << 15];

static void append(const char *line) {
  strncat(journal, line, sizeof journal - strlen(journal) - 2);
  strcat(journal, "\n");
}

/* The NBA sale, as NextIntegrations' client sends createDocument (an access token the engine
 * does not check, prev_doc_number, the payment forms at 0, vatAmounts with the gross sum per
 * rate). Lines: 2 x 0.60 = 1.20 and 1 x 2.35 = 2.35, both at 18 %; total 1.20 + 2.35 = 3.55,
 * paid in cash; vatAmounts: one group, 18 %, gross 3.55. `vat_member` is the name written for
 * the second line's rate (the misspelt variant). */
static void nba_sale(char *out, size_t size, const char *vat_member, int prev) {
  snprintf(out, size,
           "{\"parameters\":{\"access_token\":\"CECERlo9yRItsutk\\u002Bh7XmA==\",\"doc_type\":\"sale\","
           "\"prev_doc_number\":%d,\"data\":{\"cashier\":\"Aynur M\\u0259mm\\u0259dova\",\"currency\":\"AZN\","
           "\"items\":[{\"itemName\":\"\\u00C7\\u00F6r\\u0259k\",\"itemQuantityType\":0,\"itemQuantity\":2,"
           "\"itemPrice\":0.60,\"itemSum\":1.20,\"itemVatPercent\":18},"
           "{\"itemName\":\"S\\u00FCd 1 L\",\"itemQuantityType\":0,\"itemQuantity\":1,\"itemPrice\":2.35,"
           "\"itemSum\":2.35,\"%s\":18}],"
           "\"sum\":3.55,\"cashSum\":3.55,\"cashlessSum\":0,\"prepaymentSum\":0,\"creditSum\":0,\"bonusSum\":0,"
           "\"incomingSum\":5,\"changeSum\":1.45,\"vatAmounts\":[{\"vatSum\":3.55,\"vatPercent\":18}]}},"
           "\"operationId\":\"createDocument\",\"version\":1}",
           prev, vat_member);
}

int main(void) {
  fc_buffer *authority_key = NULL, *device_key = NULL, *authority_pub = NULL, *device_pub = NULL;
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C dialects authority", 20, &authority_key), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_key_from_seed((const uint8_t *)"C dialects device", 17, &device_key), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_public_key(fc_buffer_data(authority_key), 32, &authority_pub), FC_STATUS_OK, NULL);
  CHECK_STATUS(fc_public_key(fc_buffer_data(device_key), 32, &device_pub), FC_STATUS_OK, NULL);
  char *authority_hex = text_of(authority_pub);
  char *device_hex = text_of(device_pub);
  char body[1024];
  snprintf(body, sizeof body,
           "{\"serial\":8,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"P1\","
           "\"nmq_factory_number\":\"NMQ-8\",\"nmq_registration_number\":\"AZ-8\","
           "\"taxpayer_name\":\"Dialekt MMC\",\"voen\":\"1234567891\",\"object_code\":\"OBJ-8\","
           "\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\",\"valid_from\":1767211200000,"
           "\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
           device_hex);
  fc_buffer *cert = NULL, *cert_line = NULL;
  CHECK_STATUS(fc_certificate_issue(body, fc_buffer_data(authority_key), 32, &cert), FC_STATUS_OK, NULL);
  char *cert_json = text_of(cert);
  CHECK_STATUS(fc_certificate_journal_line(cert_json, &cert_line), FC_STATUS_OK, NULL);
  {
    char *l = text_of(cert_line);
    append(l);
    free(l);
  }

  fc_device *dev = NULL;
  fc_buffer *doc = NULL;
  CHECK_STATUS(fc_device_new(&dev), FC_STATUS_OK, NULL);
  /* Document 1: the activation. */
  CHECK_STATUS(fc_device_activate(dev, cert_json, authority_hex, fc_buffer_data(device_key), 32, "4821", NULL, AT_0800, &doc),
               FC_STATUS_OK, dev);
  {
    char *j = text_of(doc);
    char *l = json_string(j, "journal_line");
    append(l);
    free(l);
    free(j);
    fc_buffer_free(doc);
  }

  struct answer a;
  const char *login = "{\"parameters\":{\"pin\":\"4821\",\"role\":\"user\",\"cashregister_factory_number\":\"P1\"},"
                      "\"operationId\":\"toLogin\",\"version\":1}";
  const char *wrong_login = "{\"parameters\":{\"pin\":\"1111\",\"role\":\"user\",\"cashregister_factory_number\":\"P1\"},"
                            "\"operationId\":\"toLogin\",\"version\":1}";
  const char *open_shift = "{\"parameters\":{\"access_token\":\"t\"},\"operationId\":\"openShift\",\"version\":1}";

  /* NBA toLogin with the right PIN: code 0 and a session token; no document. */
  a = handle(dev, "nba", NULL, NULL, login, AT_0800 + MINUTES(1));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"data\":{\"access_token\":\""), "login answer: %s",
        a.response ? a.response : "(none)");
  CHECK(a.line_null, "a login issues no document: *out_journal_line is set to NULL");
  CHECK(strcmp(fc_device_last_error(dev), "") == 0, "a success clears the last error");
  forget(&a);

  /* A wrong PIN: FC_STATUS_WRONG_PIN, NBA's code 404 in the answer; it counts an attempt and
   * locks the session, as fc_device_unlock does. */
  a = handle(dev, "nba", NULL, NULL, wrong_login, AT_0800 + MINUTES(2));
  CHECK_STATUS(a.status, FC_STATUS_WRONG_PIN, dev);
  CHECK(contains(a.response, "\"code\":404"), "wrong PIN answer: %s", a.response ? a.response : "(none)");
  CHECK(a.line_null, "no document for a refusal");
  CHECK(contains(fc_device_last_error_json(dev), "\"code\":\"wrong_pin\""), "last error: %s", fc_device_last_error_json(dev));
  forget(&a);
  {
    fc_buffer *status = NULL;
    CHECK_STATUS(fc_device_status(dev, &status), FC_STATUS_OK, dev);
    char *s = text_of(status);
    CHECK(contains(s, "\"pin_failures\":1") && contains(s, "\"unlocked\":false"), "the wrong PIN counted: %s", s);
    free(s);
    fc_buffer_free(status);
  }
  /* Locked out of the session: openShift is refused (NBA answers 404 for not logged in). */
  a = handle(dev, "nba", NULL, NULL, open_shift, AT_0800 + MINUTES(3));
  CHECK_STATUS(a.status, FC_STATUS_NOT_UNLOCKED, dev);
  CHECK(contains(a.response, "\"code\":404"), "not logged in: %s", a.response ? a.response : "(none)");
  forget(&a);
  a = handle(dev, "auto", "deployed", NULL, login, AT_0800 + MINUTES(4));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  forget(&a);

  /* openShift at 09:00: document 2 (the open-shift record), answered {code 0}. */
  a = handle(dev, "nba", "deployed", NULL, open_shift, AT_0900);
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0"), "open shift answer: %s", a.response ? a.response : "(none)");
  CHECK(a.line != NULL, "openShift hands out the open-shift record's journal line");
  if (a.line) append(a.line);
  forget(&a);

  /* The NBA sale: prev_doc_number 2 (the open shift), document 3, the shift's first receipt. */
  char request[4096];
  nba_sale(request, sizeof request, "itemVatPercent", 2);
  a = handle(dev, "nba", "strict", NULL, request, AT_0900 + MINUTES(5));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"document_id\":\"") &&
            contains(a.response, "\"short_document_id\":\"") && contains(a.response, "\"document_number\":3") &&
            contains(a.response, "\"shift_document_number\":1"),
        "NBA sale answer: %s", a.response ? a.response : "(none)");
  {
    char *id = json_string(a.response, "document_id");
    char *short_id = json_string(a.response, "short_document_id");
    CHECK(is_base58(id) && is_base58(short_id), "the IDs are Base58: %s, %s", id ? id : "-", short_id ? short_id : "-");
    CHECK(short_id && id && strlen(short_id) == 12 && strncmp(id, short_id, 12) == 0,
          "the short ID is the first 12 characters of the ID: %s, %s", id ? id : "-", short_id ? short_id : "-");
    free(id);
    free(short_id);
  }
  CHECK(a.line != NULL, "the sale hands out its journal line");
  {
    /* The reading's notices: prev_doc_number 2 is the double-issue guard (both policies). */
    fc_buffer *notices = NULL;
    CHECK_STATUS(fc_device_last_notices_json(dev, &notices), FC_STATUS_OK, dev);
    char *n = text_of(notices);
    CHECK(contains(n, "\"code\":\"previous_number_guard\"") && contains(n, "\"path\":\"parameters.prev_doc_number\""),
          "the notices of the sale: %s", n);
    free(n);
    fc_buffer_free(notices);
    CHECK_STATUS(fc_device_last_notices_json(dev, NULL), FC_STATUS_NULL_POINTER, dev);
  }
  if (a.line) {
    append(a.line);
    /* The document is an ordinary sale: 1.20 + 2.35 = 3.55. */
    fc_buffer *described = NULL;
    CHECK_STATUS(fc_document_describe(a.line, NULL, &described), FC_STATUS_OK, NULL);
    char *desc = text_of(described);
    CHECK(contains(desc, "\"kind\":\"sale\"") && contains(desc, "\"sum\":\"3.55\""), "the sale: %s", desc);
    free(desc);
    fc_buffer_free(described);
  }
  forget(&a);

  /* The same sale with the second line's rate misspelt ("itemVatPercnt"), prev_doc_number 3. */
  fc_buffer *before = NULL, *after = NULL;
  CHECK_STATUS(fc_device_export_state(dev, &before), FC_STATUS_OK, dev);
  nba_sale(request, sizeof request, "itemVatPercnt", 3);
  /* strict: a member NBA does not know is refused; nothing issued, the state as it was. */
  a = handle(dev, "nba", "strict", NULL, request, AT_0900 + MINUTES(6));
  CHECK_STATUS(a.status, FC_STATUS_UNKNOWN_MEMBER, dev);
  CHECK(a.line_null && a.line == NULL, "a refusal hands out no journal line (set to NULL)");
  CHECK(contains(a.response, "\"code\":108"), "the answer carries the engine's number 108: %s",
        a.response ? a.response : "(none)");
  CHECK(contains(fc_device_last_error_json(dev), "itemVatPercnt"), "the last error names the member: %s",
        fc_device_last_error_json(dev));
  forget(&a);
  /* deployed: a member far from every known one would be left aside with a notice, but this
   * one misspells itemVatPercent (one edit): left aside it would make 2.35 exempt, so it is
   * refused in both policies (SPEC.md §8.6). */
  a = handle(dev, "nba", "deployed", NULL, request, AT_0900 + MINUTES(6));
  CHECK_STATUS(a.status, FC_STATUS_UNKNOWN_MEMBER, dev);
  CHECK(a.line_null, "no journal line");
  CHECK(contains(fc_device_last_error_json(dev), "itemVatPercent?"), "the last error names the member meant: %s",
        fc_device_last_error_json(dev));
  forget(&a);
  CHECK_STATUS(fc_device_export_state(dev, &after), FC_STATUS_OK, dev);
  CHECK(same_bytes(before, after), "a refused request changed the state");
  fc_buffer_free(after);

  /* Omnitech: check_type 1 is a sale. 3 x 1.20 = 3.60 at 18 %, cash 3.60; document 4, the
   * shift's receipt 2. The IDs are at the top: long_id, short_id (its first 12 characters). */
  const char *omnitech_sale =
      "{\"requestData\":{\"access_token\":\"x\",\"tokenData\":{\"parameters\":{\"doc_type\":\"sale\",\"data\":{"
      "\"cashier\":\"Rəşad\",\"currency\":\"AZN\",\"items\":[{\"itemName\":\"Çay\",\"itemQuantity\":3,"
      "\"itemPrice\":1.20,\"itemSum\":3.60,\"itemVatPercent\":18}],\"sum\":3.60,\"cashSum\":3.60,"
      "\"vatAmounts\":[{\"vatSum\":3.60,\"vatPercent\":18}]}},\"operationId\":\"createDocument\",\"version\":1},"
      "\"checkData\":{\"check_type\":1}}}";
  a = handle(dev, "omnitech", NULL, NULL, omnitech_sale, AT_0900 + MINUTES(7));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"document_number\":4") &&
            contains(a.response, "\"shift_document_number\":2") && !contains(a.response, "\"data\""),
        "Omnitech answer: %s", a.response ? a.response : "(none)");
  {
    char *long_id = json_string(a.response, "long_id");
    char *short_id = json_string(a.response, "short_id");
    CHECK(long_id && short_id && strlen(short_id) == 12 && strncmp(long_id, short_id, 12) == 0 && is_base58(long_id),
          "short_id is the first 12 characters of long_id: %s, %s", long_id ? long_id : "-", short_id ? short_id : "-");
    free(long_id);
    free(short_id);
  }
  CHECK(a.line != NULL, "the Omnitech sale hands out its journal line");
  if (a.line) append(a.line);
  forget(&a);

  /* e-Kassam: a bare kas_sale body, the operation from the endpoint; dialect auto recognises
   * the body. 2 x 0.50 = 1.00 at 18 %; document 5, receipt 3. */
  const char *kas_sale = "{\"cashier\":\"Aysel\",\"currency\":\"AZN\",\"items\":[{\"itemName\":\"Su\",\"itemQuantity\":2,"
                         "\"itemPrice\":0.50,\"itemSum\":1.00,\"itemVatPercent\":18}],\"sum\":1.00,\"cashSum\":1.00,"
                         "\"vatAmounts\":[{\"vatSum\":1.00,\"vatPercent\":18}]}";
  a = handle(dev, NULL, NULL, "kas_sale", kas_sale, AT_0900 + MINUTES(9));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"document_number\":5") &&
            contains(a.response, "\"shift_document_number\":3"),
        "kas_sale answer: %s", a.response ? a.response : "(none)");
  CHECK(a.line != NULL, "kas_sale hands out its journal line");
  if (a.line) append(a.line);
  forget(&a);
  /* Without its endpoint a kas_* body names no operation. */
  a = handle(dev, "ekassam", NULL, NULL, kas_sale, AT_0900 + MINUTES(9) + 1);
  CHECK_STATUS(a.status, FC_STATUS_UNKNOWN_OPERATION, dev);
  forget(&a);

  /* getShiftStatus: open since 09:00 Baku = 05:00 UTC. */
  a = handle(dev, "nba", NULL, NULL, "{\"operationId\":\"getShiftStatus\",\"version\":1,\"parameters\":{\"access_token\":\"t\"}}",
             AT_0900 + MINUTES(10));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"shift_open\":true") && contains(a.response, "\"shift_open_time\":\"2026-11-23T05:00:00Z\""),
        "shift status: %s", a.response ? a.response : "(none)");
  CHECK(a.line_null, "a status issues no document");
  forget(&a);

  /* getXReport: shift 1, documents 2 (open shift) to 5; 3 sales, 3.55 + 3.60 + 1.00 = 8.15,
   * all in cash; documents 1 to 5 wait for upload. No document. */
  a = handle(dev, "nba", NULL, NULL, "{\"parameters\":{\"access_token\":\"t\"},\"operationId\":\"getXReport\",\"version\":1}",
             AT_0900 + MINUTES(11));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"reportNumber\":1") &&
            contains(a.response, "\"firstDocNumber\":2") && contains(a.response, "\"lastDocNumber\":5") &&
            contains(a.response, "\"saleCount\":3") && contains(a.response, "\"saleSum\":8.15") &&
            contains(a.response, "\"saleCashSum\":8.15") && contains(a.response, "\"docCountToSend\":5"),
        "X-report answer: %s", a.response ? a.response : "(none)");
  CHECK(a.line_null, "an X-report issues no document");
  forget(&a);

  /* An operation the engine does not have: unknown_operation (109), answered with 109. */
  a = handle(dev, "nba", NULL, NULL,
             "{\"parameters\":{\"access_token\":\"t\"},\"operationId\":\"printReceiptCopy\",\"version\":1}",
             AT_0900 + MINUTES(12));
  CHECK_STATUS(a.status, FC_STATUS_UNKNOWN_OPERATION, dev);
  CHECK((unsigned)a.status == 109u, "unknown_operation is 109");
  CHECK(contains(a.response, "\"code\":109"), "unknown operation answer: %s", a.response ? a.response : "(none)");
  CHECK(a.line_null, "no journal line");
  forget(&a);

  /* The boundary's refusals write nothing, and the state does not move. */
  a = handle(dev, "klingon", NULL, NULL, open_shift, AT_0900 + MINUTES(13));
  CHECK_STATUS(a.status, FC_STATUS_INVALID_ARGUMENT, dev);
  CHECK(a.wrote_nothing, "an unknown dialect writes nothing");
  forget(&a);
  a = handle(dev, "nba", "lenient", NULL, open_shift, AT_0900 + MINUTES(13));
  CHECK_STATUS(a.status, FC_STATUS_INVALID_ARGUMENT, dev);
  CHECK(a.wrote_nothing, "an unknown policy writes nothing");
  forget(&a);
  a = handle(dev, "nba", NULL, NULL, NULL, AT_0900 + MINUTES(13));
  CHECK_STATUS(a.status, FC_STATUS_NULL_POINTER, dev);
  CHECK(a.wrote_nothing, "a NULL request writes nothing");
  forget(&a);
  a = handle(dev, "nba", NULL, NULL, "{\"operationId\":\"getXReport\",\"version\":1,\"parameters\":{\"access_token\":\"\xff\"}}",
             AT_0900 + MINUTES(13));
  CHECK_STATUS(a.status, FC_STATUS_INVALID_UTF8, dev);
  CHECK(a.wrote_nothing, "text that is not UTF-8 writes nothing");
  forget(&a);
  {
    /* 51 references (one more than MAX_REFERENCES), none of them a journal line: refused
     * before any is parsed. */
    char refs[51 * 2 + 1] = "";
    for (int i = 0; i < 51; i++) strcat(refs, "x\n");
    a = handle_refs(dev, "nba", NULL, NULL, open_shift, refs, AT_0900 + MINUTES(13));
    CHECK_STATUS(a.status, FC_STATUS_TOO_MANY_REFERENCES, dev);
    CHECK(a.wrote_nothing, "too many references write nothing");
    forget(&a);
    fc_buffer *line = SENTINEL;
    CHECK_STATUS(fc_device_handle(dev, "nba", NULL, NULL, open_shift, NULL, AT_0900 + MINUTES(13), NULL, &line),
                 FC_STATUS_NULL_POINTER, dev);
    CHECK(line == SENTINEL, "a NULL out_response writes nothing");
    fc_buffer *response = SENTINEL;
    CHECK_STATUS(fc_device_handle(NULL, "nba", NULL, NULL, open_shift, NULL, AT_0900 + MINUTES(13), &response, &line),
                 FC_STATUS_NULL_POINTER, NULL);
    CHECK(response == SENTINEL && line == SENTINEL, "a NULL handle writes nothing");
    /* out_journal_line may be NULL. */
    CHECK_STATUS(fc_device_handle(dev, "nba", NULL, NULL,
                                  "{\"operationId\":\"getShiftStatus\",\"version\":1,\"parameters\":{\"access_token\":\"t\"}}",
                                  NULL, AT_0900 + MINUTES(13), &response, NULL),
                 FC_STATUS_OK, dev);
    CHECK(response != SENTINEL && response != NULL, "the response is written");
    if (response != SENTINEL) fc_buffer_free(response);
  }
  CHECK_STATUS(fc_device_export_state(dev, &after), FC_STATUS_OK, dev);
  CHECK(same_bytes(before, after) == 0, "the sales changed the state");
  fc_buffer_free(before);
  before = after;

  /* closeShift: the Z-report, document 6 (documents 2 to 6 in shift 1). */
  a = handle(dev, "nba", NULL, NULL, "{\"parameters\":{\"access_token\":\"t\"},\"operationId\":\"closeShift\",\"version\":1}",
             AT_0900 + MINUTES(60));
  CHECK_STATUS(a.status, FC_STATUS_OK, dev);
  CHECK(contains(a.response, "\"code\":0") && contains(a.response, "\"reportNumber\":1") &&
            contains(a.response, "\"lastDocNumber\":6") && contains(a.response, "\"saleCount\":3"),
        "Z-report answer: %s", a.response ? a.response : "(none)");
  {
    char *id = json_string(a.response, "document_id");
    CHECK(is_base58(id), "the Z-report's ID: %s", id ? id : "-");
    free(id);
  }
  CHECK(a.line != NULL, "closeShift hands out the Z-report's journal line");
  if (a.line) append(a.line);
  forget(&a);
  /* A second closeShift: no open shift (221), nothing issued. */
  a = handle(dev, "nba", NULL, NULL, "{\"parameters\":{\"access_token\":\"t\"},\"operationId\":\"closeShift\",\"version\":1}",
             AT_0900 + MINUTES(61));
  CHECK_STATUS(a.status, FC_STATUS_NO_OPEN_SHIFT, dev);
  CHECK(a.line_null && contains(a.response, "\"code\":221"), "no open shift: %s", a.response ? a.response : "(none)");
  forget(&a);
  fc_buffer_free(before);

  /* The journal: the certificate line, then documents 1 (activation), 2 (open shift), 3 (NBA
   * sale), 4 (Omnitech sale), 5 (kas_sale), 6 (Z-report): it verifies clean. */
  uint64_t last = 0, pending = 0;
  CHECK_STATUS(fc_device_counters(dev, &last, &pending), FC_STATUS_OK, dev);
  CHECK(last == 6 && pending == 6, "6 documents, 6 pending: got %llu, %llu", (unsigned long long)last,
        (unsigned long long)pending);
  fc_buffer *report = NULL;
  CHECK_STATUS(fc_verify_journal((const uint8_t *)journal, strlen(journal), authority_hex, &report), FC_STATUS_OK, NULL);
  if (report) {
    char *r = text_of(report);
    CHECK(contains(r, "\"findings\":[]"), "the journal verifies clean: %s", r);
    free(r);
    fc_buffer_free(report);
  }

  fc_device_free(dev);
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
