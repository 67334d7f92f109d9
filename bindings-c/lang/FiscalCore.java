// JNA declarations for fiscal_core (bindings-c/include/fiscal_core.h). Copy this file; every
// function of the header is declared here (JNA interface mapping: one interface, Lib).
//
// Marshalling: strings cross as NUL-terminated UTF-8 bytes (utf8() below, byte[]: independent of
// the platform's default charset and of jna.encoding); size_t as SizeT, pointer-sized on 32 and
// 64 bits; times as long, milliseconds since the Unix epoch; fc_status as int (uint32_t; every
// status is below 2^31). Handles (fc_device*, fc_buffer*) are Pointer: free each with
// fc_device_free / fc_buffer_free. Calling convention: cdecl (JNA's default, Library).
//
// Sample (bindings-c/test.sh builds and runs it):
//   javac -encoding UTF-8 -cp /usr/share/java/jna.jar -d classes FiscalCore.java
//   java -cp /usr/share/java/jna.jar:classes -Djna.library.path=<dir of libfiscal_core.so> FiscalCore
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

public final class FiscalCore {
    // BEGIN constants of fiscal_core.h (FC_ABI_VERSION and every enum; uint32_t values)
    public static final int FC_ABI_VERSION = 0;
    // fc_status
    public static final int FC_STATUS_OK = 0;
    public static final int FC_STATUS_NULL_POINTER = 1;
    public static final int FC_STATUS_INVALID_UTF8 = 2;
    public static final int FC_STATUS_INVALID_HANDLE = 3;
    public static final int FC_STATUS_PANIC = 4;
    public static final int FC_STATUS_INVALID_ARGUMENT = 5;
    public static final int FC_STATUS_NOT_ACTIVATED = 6;
    public static final int FC_STATUS_ALREADY_ACTIVATED = 7;
    public static final int FC_STATUS_INVALID_REQUEST = 100;
    public static final int FC_STATUS_MALFORMED_JSON = 101;
    public static final int FC_STATUS_WRONG_TYPE = 102;
    public static final int FC_STATUS_MISSING_FIELD = 103;
    public static final int FC_STATUS_UNKNOWN_DOC_TYPE = 104;
    public static final int FC_STATUS_FIELD_NOT_ALLOWED = 105;
    public static final int FC_STATUS_UNSUPPORTED_CURRENCY = 106;
    public static final int FC_STATUS_DUPLICATE_MEMBER = 107;
    public static final int FC_STATUS_UNKNOWN_MEMBER = 108;
    public static final int FC_STATUS_UNKNOWN_OPERATION = 109;
    public static final int FC_STATUS_NOT_A_NUMBER = 110;
    public static final int FC_STATUS_NEGATIVE_VALUE = 111;
    public static final int FC_STATUS_TOO_MANY_DECIMALS = 112;
    public static final int FC_STATUS_OUT_OF_RANGE = 113;
    public static final int FC_STATUS_TEXT_EMPTY = 120;
    public static final int FC_STATUS_TEXT_TOO_LONG = 121;
    public static final int FC_STATUS_TEXT_BAD_CHARACTER = 122;
    public static final int FC_STATUS_INVALID_ITEM_CODE = 123;
    public static final int FC_STATUS_INVALID_REFERENCE = 124;
    public static final int FC_STATUS_INVALID_VEHICLE_PLATE = 125;
    public static final int FC_STATUS_INVALID_ENUM_VALUE = 126;
    public static final int FC_STATUS_NO_LINES = 130;
    public static final int FC_STATUS_TOO_MANY_LINES = 131;
    public static final int FC_STATUS_LINE_TOTAL_MISMATCH = 132;
    public static final int FC_STATUS_UNKNOWN_TAX_RATE = 133;
    public static final int FC_STATUS_MARGIN_EXCEEDS_LINE = 134;
    public static final int FC_STATUS_MARGIN_MISMATCH = 135;
    public static final int FC_STATUS_CONFLICTING_ADJUSTMENT = 136;
    public static final int FC_STATUS_SUM_MISMATCH = 140;
    public static final int FC_STATUS_UNDERPAID = 141;
    public static final int FC_STATUS_OVERPAID = 142;
    public static final int FC_STATUS_CHANGE_WITHOUT_CASH = 143;
    public static final int FC_STATUS_TENDERED_BELOW_CASH = 144;
    public static final int FC_STATUS_CHANGE_MISMATCH = 145;
    public static final int FC_STATUS_PAYMENT_FORM_NOT_ALLOWED = 146;
    public static final int FC_STATUS_VAT_AMOUNTS_MISMATCH = 147;
    public static final int FC_STATUS_ZERO_TOTAL = 148;
    public static final int FC_STATUS_MISSING_REFERENCE = 150;
    public static final int FC_STATUS_UNEXPECTED_REFERENCE = 151;
    public static final int FC_STATUS_TOO_MANY_REFERENCES = 152;
    public static final int FC_STATUS_DUPLICATE_REFERENCE = 153;
    public static final int FC_STATUS_INVALID_INSTALMENT_NUMBER = 160;
    public static final int FC_STATUS_MISSING_VEHICLE_PLATE = 170;
    public static final int FC_STATUS_INVALID_CERTIFICATE = 200;
    public static final int FC_STATUS_CERTIFICATE_SIGNATURE = 201;
    public static final int FC_STATUS_CERTIFICATE_NOT_YET_VALID = 202;
    public static final int FC_STATUS_CERTIFICATE_EXPIRED = 203;
    public static final int FC_STATUS_KEY_MISMATCH = 204;
    public static final int FC_STATUS_WRONG_PIN = 210;
    public static final int FC_STATUS_DEVICE_LOCKED = 211;
    public static final int FC_STATUS_NOT_UNLOCKED = 212;
    public static final int FC_STATUS_DECOMMISSIONED = 213;
    public static final int FC_STATUS_SHIFT_ALREADY_OPEN = 220;
    public static final int FC_STATUS_NO_OPEN_SHIFT = 221;
    public static final int FC_STATUS_SHIFT_TOO_LONG = 222;
    public static final int FC_STATUS_TIME_NOT_INCREASING = 223;
    public static final int FC_STATUS_OFFLINE_TOO_LONG = 224;
    public static final int FC_STATUS_TOO_MANY_PENDING = 225;
    public static final int FC_STATUS_SEQUENCE_MISMATCH = 226;
    public static final int FC_STATUS_CASH_INSUFFICIENT = 227;
    public static final int FC_STATUS_SHIFT_OPEN = 228;
    public static final int FC_STATUS_PENDING_UPLOADS = 229;
    public static final int FC_STATUS_INVALID_ACKNOWLEDGEMENT = 230;
    public static final int FC_STATUS_REFERENCE_NOT_FOUND = 240;
    public static final int FC_STATUS_REFERENCE_NOT_AUTHENTIC = 241;
    public static final int FC_STATUS_REFERENCE_WRONG_KIND = 242;
    public static final int FC_STATUS_CANCEL_OUTSIDE_SHIFT = 243;
    public static final int FC_STATUS_ALREADY_CANCELLED = 244;
    public static final int FC_STATUS_RETURN_EXCEEDS_SALE = 245;
    public static final int FC_STATUS_INSTALMENT_EXCEEDS_DEBT = 246;
    public static final int FC_STATUS_DEBT_MISMATCH = 247;
    public static final int FC_STATUS_INSTALMENT_NUMBER_MISMATCH = 248;
    public static final int FC_STATUS_ADVANCES_EXCEEDED = 249;
    public static final int FC_STATUS_TOTALS_OVERFLOW = 250;
    public static final int FC_STATUS_RECEIPT_IN_USE = 251;
    public static final int FC_STATUS_INVALID_STATE = 260;
    public static final int FC_STATUS_INVALID_DOCUMENT = 261;
    public static final int FC_STATUS_WRONG_FISCAL_ID = 262;
    public static final int FC_STATUS_BAD_SIGNATURE = 270;
    public static final int FC_STATUS_NUMBER_GAP = 271;
    public static final int FC_STATUS_DUPLICATE_DOCUMENT = 272;
    public static final int FC_STATUS_OUT_OF_ORDER = 273;
    public static final int FC_STATUS_BROKEN_CHAIN = 274;
    public static final int FC_STATUS_OUTSIDE_SHIFT = 275;
    public static final int FC_STATUS_Z_REPORT_MISMATCH = 276;
    public static final int FC_STATUS_UNKNOWN_REFERENCE = 277;
    public static final int FC_STATUS_CONTENT_INVALID = 278;
    public static final int FC_STATUS_COUNTER_MISMATCH = 279;
    public static final int FC_STATUS_EMPTY_JOURNAL = 280;
    public static final int FC_STATUS_NONCANONICAL_LINE = 281;
    public static final int FC_STATUS_FOREIGN_REFERENCE = 282;
    // fc_document_kind
    public static final int FC_DOCUMENT_KIND_ACTIVATION = 0;
    public static final int FC_DOCUMENT_KIND_OPEN_SHIFT = 1;
    public static final int FC_DOCUMENT_KIND_SALE = 2;
    public static final int FC_DOCUMENT_KIND_MONEY_BACK = 3;
    public static final int FC_DOCUMENT_KIND_ROLLBACK = 4;
    public static final int FC_DOCUMENT_KIND_PREPAY = 5;
    public static final int FC_DOCUMENT_KIND_CREDITPAY = 6;
    public static final int FC_DOCUMENT_KIND_DEPOSIT = 7;
    public static final int FC_DOCUMENT_KIND_WITHDRAW = 8;
    public static final int FC_DOCUMENT_KIND_CORRECTION = 9;
    public static final int FC_DOCUMENT_KIND_ZREPORT = 10;
    public static final int FC_DOCUMENT_KIND_DECOMMISSION = 11;
    // fc_render_format
    public static final int FC_RENDER_FORMAT_TEXT = 0;
    public static final int FC_RENDER_FORMAT_ASCII = 1;
    public static final int FC_RENDER_FORMAT_ESCPOS = 2;
    public static final int FC_RENDER_FORMAT_SVG = 3;
    public static final int FC_RENDER_FORMAT_HTML = 4;
    // END constants

    /** C size_t: as wide as a pointer. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** The raw C functions. Names and arguments as in fiscal_core.h. */
    public interface Lib extends Library {
        Lib INSTANCE = Native.load("fiscal_core", Lib.class);

        Pointer fc_version();
        Pointer fc_status_name(int status);
        Pointer fc_status_message(int status, byte[] lang);
        Pointer fc_buffer_data(Pointer buf);
        SizeT fc_buffer_len(Pointer buf);
        void fc_buffer_free(Pointer buf);
        int fc_key_from_seed(byte[] seed, SizeT seedLen, PointerByReference outKey);
        int fc_public_key(byte[] key, SizeT keyLen, PointerByReference outHex);
        int fc_certificate_issue(byte[] bodyJson, byte[] authorityKey, SizeT keyLen, PointerByReference outCertificate);
        int fc_certificate_journal_line(byte[] certificateJson, PointerByReference outLine);
        int fc_request_validate(byte[] requestJson, byte[] date, PointerByReference outJson);
        int fc_device_new(PointerByReference outDevice);
        void fc_device_free(Pointer dev);
        Pointer fc_device_last_error(Pointer dev);
        Pointer fc_device_last_error_json(Pointer dev);
        int fc_device_last_error_json_copy(Pointer dev, PointerByReference outJson);
        int fc_device_last_notices_json(Pointer dev, PointerByReference outJson);
        int fc_device_activate(Pointer dev, byte[] certificateJson, byte[] authorityPublicKeyHex, byte[] deviceKey,
                SizeT keyLen, byte[] pin, byte[] qrBase, long nowMs, PointerByReference outDocument);
        int fc_device_restore(Pointer dev, byte[] state, SizeT stateLen, byte[] deviceKey, SizeT keyLen);
        int fc_device_export_state(Pointer dev, PointerByReference outState);
        int fc_device_unlock(Pointer dev, byte[] pin);
        int fc_device_open_shift(Pointer dev, long nowMs, PointerByReference outDocument);
        int fc_device_close_shift(Pointer dev, long nowMs, PointerByReference outDocument);
        int fc_device_decommission(Pointer dev, long nowMs, PointerByReference outDocument);
        int fc_device_issue(Pointer dev, byte[] requestJson, byte[] references, long expectedPrevious, long nowMs,
                PointerByReference outDocument);
        int fc_device_issue_receipt(Pointer dev, byte[] requestJson, byte[] references, long expectedPrevious,
                long nowMs, int format, int width, byte[] language, PointerByReference outDocument,
                PointerByReference outState, PointerByReference outJournalLine, PointerByReference outReceipt);
        int fc_device_handle(Pointer dev, byte[] dialect, byte[] policy, byte[] operation, byte[] requestText,
                byte[] references, long nowMs, PointerByReference outResponse, PointerByReference outJournalLine);
        int fc_device_deposit(Pointer dev, byte[] cashier, byte[] amount, long nowMs, PointerByReference outDocument);
        int fc_device_withdraw(Pointer dev, byte[] cashier, byte[] amount, long nowMs, PointerByReference outDocument);
        int fc_device_x_report(Pointer dev, PointerByReference outReport);
        int fc_device_acknowledge_upload(Pointer dev, long through, byte[] nextDocument);
        int fc_device_status(Pointer dev, PointerByReference outStatus);
        int fc_device_counters(Pointer dev, LongByReference outLastNumber, LongByReference outPending);
        Pointer fc_document_kind_name(int kind);
        int fc_document_describe(byte[] journalLine, byte[] qrBase, PointerByReference outJson);
        int fc_document_render(byte[] journalLine, byte[] certificateJson, byte[] qrBase, int format, int width,
                byte[] language, PointerByReference outReceipt);
        int fc_document_canonical_bytes(byte[] journalLine, PointerByReference outBytes);
        int fc_verify_document(byte[] journalLine, byte[] certificateJson, byte[] authorityPublicKeyHex,
                PointerByReference outReport);
        int fc_verify_journal(byte[] journal, SizeT journalLen, byte[] authorityPublicKeyHex, PointerByReference outReport);
        int fc_qr_payload(byte[] qrBase, byte[] fiscalId, PointerByReference outPayload);
        int fc_qr_svg(byte[] payload, PointerByReference outSvg);
        int fc_test_panic();
    }

    /** A string as the NUL-terminated UTF-8 bytes C takes; null stays null (C NULL). */
    public static byte[] utf8(String s) {
        if (s == null) return null;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** A NUL-terminated UTF-8 string owned by the library (not freed here). */
    public static String fromUtf8(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** The bytes of a buffer, then frees the buffer. */
    public static byte[] takeBytes(Pointer buf) {
        try {
            long n = Lib.INSTANCE.fc_buffer_len(buf).longValue();
            return n == 0 ? new byte[0] : Lib.INSTANCE.fc_buffer_data(buf).getByteArray(0, Math.toIntExact(n));
        } finally {
            Lib.INSTANCE.fc_buffer_free(buf);
        }
    }

    /** The text of a buffer, then frees the buffer. */
    public static String takeText(Pointer buf) {
        return new String(takeBytes(buf), StandardCharsets.UTF_8);
    }

    // ---- The sale of examples/sell.c: activate a test device, sell, print ID and QR. ----

    private static void ok(int s, Pointer dev, String what) {
        if (s == FC_STATUS_OK) return;
        String detail = dev == null ? "" : fromUtf8(Lib.INSTANCE.fc_device_last_error(dev));
        throw new IllegalStateException(what + ": " + fromUtf8(Lib.INSTANCE.fc_status_name(s)) + ": " + detail);
    }

    /** Value of a string member of the library's flat JSON (enough for IDs; use a JSON parser). */
    private static String member(String json, String key) {
        String pat = "\"" + key + "\":\"";
        StringBuilder sb = new StringBuilder();
        for (int i = json.indexOf(pat) + pat.length(); json.charAt(i) != '"'; i++) {
            if (json.charAt(i) == '\\') i++;
            sb.append(json.charAt(i));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        Lib c = Lib.INSTANCE;
        long t0 = 1795406400000L; // 2026-11-23 08:00 Baku, ms since the Unix epoch
        PointerByReference out = new PointerByReference();
        byte[] seedA = "example authority".getBytes(StandardCharsets.UTF_8);
        byte[] seedD = "example device".getBytes(StandardCharsets.UTF_8);
        ok(c.fc_key_from_seed(seedA, new SizeT(seedA.length), out), null, "authority key");
        byte[] akey = takeBytes(out.getValue());
        ok(c.fc_key_from_seed(seedD, new SizeT(seedD.length), out), null, "device key");
        byte[] dkey = takeBytes(out.getValue());
        ok(c.fc_public_key(akey, new SizeT(akey.length), out), null, "public key");
        String apub = takeText(out.getValue());
        ok(c.fc_public_key(dkey, new SizeT(dkey.length), out), null, "public key");
        String dpub = takeText(out.getValue());
        String body = "{\"serial\":1,\"kassa_model\":\"Kassa-J\",\"kassa_factory_number\":\"KC-1\",\"nmq_factory_number\":\"N-1\","
                + "\"nmq_registration_number\":\"AZ-1\",\"taxpayer_name\":\"Nümunə MMC\",\"voen\":\"1234567891\","
                + "\"object_code\":\"OBJ-1\",\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\","
                + "\"valid_from\":1767211200000,\"valid_until\":1861905600000,\"device_key\":\"" + dpub + "\"}";
        ok(c.fc_certificate_issue(utf8(body), akey, new SizeT(akey.length), out), null, "certificate");
        String cert = takeText(out.getValue());

        ok(c.fc_device_new(out), null, "new");
        Pointer dev = out.getValue();
        try {
            ok(c.fc_device_activate(dev, utf8(cert), utf8(apub), dkey, new SizeT(dkey.length), utf8("4821"), null, t0, out),
                    dev, "activate");
            c.fc_buffer_free(out.getValue());
            ok(c.fc_device_open_shift(dev, t0 + 3600000L, out), dev, "open");
            c.fc_buffer_free(out.getValue());
            String sale = "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
                    + "{\"itemName\":\"Çörək\",\"itemQuantity\":2,\"itemPrice\":0.60,\"itemVatPercent\":18},"
                    + "{\"itemName\":\"Dərman\",\"itemQuantity\":1,\"itemPrice\":5.00}],"
                    + "\"cashSum\":6.20,\"incomingSum\":10}}";
            // One call: the document, the state to save, the journal line, the receipt.
            PointerByReference state = new PointerByReference(), line = new PointerByReference(),
                    rcpt = new PointerByReference();
            ok(c.fc_device_issue_receipt(dev, utf8(sale), null, 2L, t0 + 7200000L, FC_RENDER_FORMAT_TEXT, 32, utf8("az"),
                    out, state, line, rcpt), dev, "sale");
            String doc = takeText(out.getValue());
            String journalLine = takeText(line.getValue());
            String receipt = takeText(rcpt.getValue());
            System.out.println("Sale: Fiskal ID " + member(doc, "short_id"));
            System.out.println("QR: " + member(doc, "qr_payload"));
            System.out.println("State: " + (c.fc_buffer_len(state.getValue()).longValue() > 0 ? "to save" : "EMPTY"));
            c.fc_buffer_free(state.getValue());
            LongByReference last = new LongByReference(), pending = new LongByReference();
            ok(c.fc_device_counters(dev, last, pending), dev, "counters");
            System.out.println("Counters: last " + last.getValue() + ", pending " + pending.getValue());
            System.out.println("Receipt: " + (receipt.contains(member(doc, "short_id")) ? "names the sale" : "WRONG"));
            ok(c.fc_document_render(utf8(journalLine), utf8(cert), null, FC_RENDER_FORMAT_TEXT, 32, utf8("az"), out), null,
                    "render");
            System.out.println("Render: " + (takeText(out.getValue()).equals(receipt) ? "same receipt" : "WRONG"));
            System.out.println("Status 210: " + fromUtf8(c.fc_status_message(FC_STATUS_WRONG_PIN, utf8("en"))));
            // A request as a deployed NBA POS sends it, answered in NBA's shape.
            PointerByReference handledLine = new PointerByReference();
            ok(c.fc_device_handle(dev, utf8("nba"), null, null,
                    utf8("{\"operationId\":\"getShiftStatus\",\"version\":1,\"parameters\":{\"access_token\":\"t\"}}"),
                    null, t0 + 7260000L, out, handledLine), dev, "handle");
            c.fc_buffer_free(handledLine.getValue()); // NULL: a status issues no document
            System.out.println("Handle: " + takeText(out.getValue()));
        } finally {
            c.fc_device_free(dev);
        }
    }
}
