/*
 * The smallest useful kassa in C: activate a (test) device, open a shift, sell two items,
 * print the receipt's fiscal ID and QR payload, close the shift, verify the journal.
 *
 * Build and run it as bindings-c/README.md says ("Build, install, run the example"):
 *   cc -std=c99 bindings-c/examples/sell.c -o target/sell $(pkg-config --cflags --libs fiscal_core) \
 *      -Wl,-rpath,"$(pkg-config --variable=libdir fiscal_core)"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fiscal_core.h"

/* Prints the error and stops: a real POS would show it to the cashier. */
static void ok(fc_status s, fc_device *dev, const char *what) {
  if (s == FC_STATUS_OK) return;
  fprintf(stderr, "%s: %s: %s\n", what, fc_status_name(s), dev ? fc_device_last_error(dev) : "");
  exit(1);
}

static char *copy(const fc_buffer *b) {
  char *s = malloc(fc_buffer_len(b) + 1);
  if (!s) exit(1);
  memcpy(s, fc_buffer_data(b), fc_buffer_len(b));
  s[fc_buffer_len(b)] = '\0';
  return s;
}

/* Value of a string member in the library's flat JSON (enough for IDs and journal lines). */
static char *member(const char *json, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":\"", key);
  const char *p = strstr(json, pat);
  if (!p) return NULL;
  p += strlen(pat);
  char *out = malloc(strlen(p) + 1), *o = out;
  if (!out) exit(1);
  for (; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) p++;
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

int main(void) {
  const int64_t t0 = INT64_C(1795406400000); /* 2026-11-23 08:00 Baku */
  fc_buffer *akey, *dkey, *apub, *dpub, *cert, *doc, *line, *report;
  ok(fc_key_from_seed((const uint8_t *)"example authority", 17, &akey), NULL, "authority key");
  ok(fc_key_from_seed((const uint8_t *)"example device", 14, &dkey), NULL, "device key");
  ok(fc_public_key(fc_buffer_data(akey), 32, &apub), NULL, "public key");
  ok(fc_public_key(fc_buffer_data(dkey), 32, &dpub), NULL, "public key");
  char body[1024];
  snprintf(body, sizeof body,
           "{\"serial\":1,\"kassa_model\":\"Kassa-C\",\"kassa_factory_number\":\"KC-1\",\"nmq_factory_number\":\"N-1\","
           "\"nmq_registration_number\":\"AZ-1\",\"taxpayer_name\":\"Nümunə MMC\",\"voen\":\"1234567891\","
           "\"object_code\":\"OBJ-1\",\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\","
           "\"valid_from\":1767211200000,\"valid_until\":1861905600000,\"device_key\":\"%s\"}",
           (const char *)fc_buffer_data(dpub));
  ok(fc_certificate_issue(body, fc_buffer_data(akey), 32, &cert), NULL, "certificate");
  ok(fc_certificate_journal_line((const char *)fc_buffer_data(cert), &line), NULL, "certificate line");

  size_t cap = 1 << 16, used = 0;
  char *journal = malloc(cap);
  if (!journal) return 1;
  used += (size_t)snprintf(journal, cap, "%s\n", (const char *)fc_buffer_data(line));
  fc_buffer_free(line);

  fc_device *dev;
  ok(fc_device_new(&dev), NULL, "new");
  ok(fc_device_activate(dev, (const char *)fc_buffer_data(cert), (const char *)fc_buffer_data(apub),
                        fc_buffer_data(dkey), 32, "4821", NULL, t0, &doc),
     dev, "activate");
  {
    char *json = copy(doc), *jl = member(json, "journal_line");
    used += (size_t)snprintf(journal + used, cap - used, "%s\n", jl);
    free(jl);
    free(json);
    fc_buffer_free(doc);
  }
  const char *steps[] = {"open", "sale", "close"};
  for (int i = 0; i < 3; i++) {
    int64_t now = t0 + (int64_t)(i + 1) * 3600000;
    if (i == 0) ok(fc_device_open_shift(dev, now, &doc), dev, steps[i]);
    if (i == 1)
      ok(fc_device_issue(dev,
                         "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
                         "{\"itemName\":\"Çörək\",\"itemQuantity\":2,\"itemPrice\":0.60,\"itemVatPercent\":18},"
                         "{\"itemName\":\"Dərman\",\"itemQuantity\":1,\"itemPrice\":5.00}],"
                         "\"cashSum\":6.20,\"incomingSum\":10}}",
                         NULL, -1, now, &doc),
         dev, steps[i]);
    if (i == 2) ok(fc_device_close_shift(dev, now, &doc), dev, steps[i]);
    char *json = copy(doc), *jl = member(json, "journal_line");
    if (i == 1) {
      char *id = member(json, "short_id"), *qr = member(json, "qr_payload");
      printf("Sale: Fiskal ID %s\nQR: %s\n", id, qr);
      free(id);
      free(qr);
    }
    used += (size_t)snprintf(journal + used, cap - used, "%s\n", jl);
    free(jl);
    free(json);
    fc_buffer_free(doc);
  }
  fc_status s = fc_verify_journal((const uint8_t *)journal, used, (const char *)fc_buffer_data(apub), &report);
  printf("%s\n", s == FC_STATUS_OK ? "journal valid" : "journal INVALID");
  if (s != FC_STATUS_OK) printf("%s\n", (const char *)fc_buffer_data(report));
  fc_buffer_free(report);
  fc_device_free(dev);
  free(journal);
  fc_buffer_free(akey);
  fc_buffer_free(dkey);
  fc_buffer_free(apub);
  fc_buffer_free(dpub);
  fc_buffer_free(cert);
  return s == FC_STATUS_OK ? 0 : 1;
}
