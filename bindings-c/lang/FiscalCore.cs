// P/Invoke declarations for fiscal_core (bindings-c/include/fiscal_core.h), for .NET Framework,
// .NET (Core) and Mono. Copy this file; every function of the header is declared here.
//
// Marshalling: strings cross as NUL-terminated UTF-8 bytes (Utf8() below), never as `string`
// with CharSet.Ansi, which on Windows is the ANSI code page, not UTF-8 (README.md, "Windows");
// the explicit bytes work the same on .NET Framework, .NET (Core) and Mono; sizes (size_t) as
// UIntPtr, pointer-sized on 32 and 64 bits; times as long, milliseconds since the Unix epoch;
// fc_status as uint. Calling convention: Cdecl. Handles (fc_device*, fc_buffer*) are IntPtr:
// free each with fc_device_free / fc_buffer_free.
//
// Sample (bindings-c/test.sh builds and runs it):
//   mcs -define:FISCAL_CORE_SAMPLE -out:sell.exe FiscalCore.cs && mono sell.exe
// with libfiscal_core.so (Linux) or fiscal_core.dll (Windows) where the loader finds it.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace FiscalCore
{
    /// <summary>The raw C functions. Names and arguments as in fiscal_core.h.</summary>
    public static class Native
    {
        public const string Lib = "fiscal_core";
        // BEGIN constants of fiscal_core.h (FC_ABI_VERSION and every enum; uint32_t values)
        public const int FC_ABI_VERSION = 0;
        // fc_status
        public const uint FC_STATUS_OK = 0;
        public const uint FC_STATUS_NULL_POINTER = 1;
        public const uint FC_STATUS_INVALID_UTF8 = 2;
        public const uint FC_STATUS_INVALID_HANDLE = 3;
        public const uint FC_STATUS_PANIC = 4;
        public const uint FC_STATUS_INVALID_ARGUMENT = 5;
        public const uint FC_STATUS_NOT_ACTIVATED = 6;
        public const uint FC_STATUS_ALREADY_ACTIVATED = 7;
        public const uint FC_STATUS_INVALID_REQUEST = 100;
        public const uint FC_STATUS_MALFORMED_JSON = 101;
        public const uint FC_STATUS_WRONG_TYPE = 102;
        public const uint FC_STATUS_MISSING_FIELD = 103;
        public const uint FC_STATUS_UNKNOWN_DOC_TYPE = 104;
        public const uint FC_STATUS_FIELD_NOT_ALLOWED = 105;
        public const uint FC_STATUS_UNSUPPORTED_CURRENCY = 106;
        public const uint FC_STATUS_DUPLICATE_MEMBER = 107;
        public const uint FC_STATUS_UNKNOWN_MEMBER = 108;
        public const uint FC_STATUS_UNKNOWN_OPERATION = 109;
        public const uint FC_STATUS_NOT_A_NUMBER = 110;
        public const uint FC_STATUS_NEGATIVE_VALUE = 111;
        public const uint FC_STATUS_TOO_MANY_DECIMALS = 112;
        public const uint FC_STATUS_OUT_OF_RANGE = 113;
        public const uint FC_STATUS_TEXT_EMPTY = 120;
        public const uint FC_STATUS_TEXT_TOO_LONG = 121;
        public const uint FC_STATUS_TEXT_BAD_CHARACTER = 122;
        public const uint FC_STATUS_INVALID_ITEM_CODE = 123;
        public const uint FC_STATUS_INVALID_REFERENCE = 124;
        public const uint FC_STATUS_INVALID_VEHICLE_PLATE = 125;
        public const uint FC_STATUS_INVALID_ENUM_VALUE = 126;
        public const uint FC_STATUS_NO_LINES = 130;
        public const uint FC_STATUS_TOO_MANY_LINES = 131;
        public const uint FC_STATUS_LINE_TOTAL_MISMATCH = 132;
        public const uint FC_STATUS_UNKNOWN_TAX_RATE = 133;
        public const uint FC_STATUS_MARGIN_EXCEEDS_LINE = 134;
        public const uint FC_STATUS_MARGIN_MISMATCH = 135;
        public const uint FC_STATUS_CONFLICTING_ADJUSTMENT = 136;
        public const uint FC_STATUS_SUM_MISMATCH = 140;
        public const uint FC_STATUS_UNDERPAID = 141;
        public const uint FC_STATUS_OVERPAID = 142;
        public const uint FC_STATUS_CHANGE_WITHOUT_CASH = 143;
        public const uint FC_STATUS_TENDERED_BELOW_CASH = 144;
        public const uint FC_STATUS_CHANGE_MISMATCH = 145;
        public const uint FC_STATUS_PAYMENT_FORM_NOT_ALLOWED = 146;
        public const uint FC_STATUS_VAT_AMOUNTS_MISMATCH = 147;
        public const uint FC_STATUS_ZERO_TOTAL = 148;
        public const uint FC_STATUS_MISSING_REFERENCE = 150;
        public const uint FC_STATUS_UNEXPECTED_REFERENCE = 151;
        public const uint FC_STATUS_TOO_MANY_REFERENCES = 152;
        public const uint FC_STATUS_DUPLICATE_REFERENCE = 153;
        public const uint FC_STATUS_INVALID_INSTALMENT_NUMBER = 160;
        public const uint FC_STATUS_MISSING_VEHICLE_PLATE = 170;
        public const uint FC_STATUS_INVALID_CERTIFICATE = 200;
        public const uint FC_STATUS_CERTIFICATE_SIGNATURE = 201;
        public const uint FC_STATUS_CERTIFICATE_NOT_YET_VALID = 202;
        public const uint FC_STATUS_CERTIFICATE_EXPIRED = 203;
        public const uint FC_STATUS_KEY_MISMATCH = 204;
        public const uint FC_STATUS_WRONG_PIN = 210;
        public const uint FC_STATUS_DEVICE_LOCKED = 211;
        public const uint FC_STATUS_NOT_UNLOCKED = 212;
        public const uint FC_STATUS_DECOMMISSIONED = 213;
        public const uint FC_STATUS_SHIFT_ALREADY_OPEN = 220;
        public const uint FC_STATUS_NO_OPEN_SHIFT = 221;
        public const uint FC_STATUS_SHIFT_TOO_LONG = 222;
        public const uint FC_STATUS_TIME_NOT_INCREASING = 223;
        public const uint FC_STATUS_OFFLINE_TOO_LONG = 224;
        public const uint FC_STATUS_TOO_MANY_PENDING = 225;
        public const uint FC_STATUS_SEQUENCE_MISMATCH = 226;
        public const uint FC_STATUS_CASH_INSUFFICIENT = 227;
        public const uint FC_STATUS_SHIFT_OPEN = 228;
        public const uint FC_STATUS_PENDING_UPLOADS = 229;
        public const uint FC_STATUS_INVALID_ACKNOWLEDGEMENT = 230;
        public const uint FC_STATUS_REFERENCE_NOT_FOUND = 240;
        public const uint FC_STATUS_REFERENCE_NOT_AUTHENTIC = 241;
        public const uint FC_STATUS_REFERENCE_WRONG_KIND = 242;
        public const uint FC_STATUS_CANCEL_OUTSIDE_SHIFT = 243;
        public const uint FC_STATUS_ALREADY_CANCELLED = 244;
        public const uint FC_STATUS_RETURN_EXCEEDS_SALE = 245;
        public const uint FC_STATUS_INSTALMENT_EXCEEDS_DEBT = 246;
        public const uint FC_STATUS_DEBT_MISMATCH = 247;
        public const uint FC_STATUS_INSTALMENT_NUMBER_MISMATCH = 248;
        public const uint FC_STATUS_ADVANCES_EXCEEDED = 249;
        public const uint FC_STATUS_TOTALS_OVERFLOW = 250;
        public const uint FC_STATUS_RECEIPT_IN_USE = 251;
        public const uint FC_STATUS_INVALID_STATE = 260;
        public const uint FC_STATUS_INVALID_DOCUMENT = 261;
        public const uint FC_STATUS_WRONG_FISCAL_ID = 262;
        public const uint FC_STATUS_BAD_SIGNATURE = 270;
        public const uint FC_STATUS_NUMBER_GAP = 271;
        public const uint FC_STATUS_DUPLICATE_DOCUMENT = 272;
        public const uint FC_STATUS_OUT_OF_ORDER = 273;
        public const uint FC_STATUS_BROKEN_CHAIN = 274;
        public const uint FC_STATUS_OUTSIDE_SHIFT = 275;
        public const uint FC_STATUS_Z_REPORT_MISMATCH = 276;
        public const uint FC_STATUS_UNKNOWN_REFERENCE = 277;
        public const uint FC_STATUS_CONTENT_INVALID = 278;
        public const uint FC_STATUS_COUNTER_MISMATCH = 279;
        public const uint FC_STATUS_EMPTY_JOURNAL = 280;
        public const uint FC_STATUS_NONCANONICAL_LINE = 281;
        public const uint FC_STATUS_FOREIGN_REFERENCE = 282;
        // fc_document_kind
        public const uint FC_DOCUMENT_KIND_ACTIVATION = 0;
        public const uint FC_DOCUMENT_KIND_OPEN_SHIFT = 1;
        public const uint FC_DOCUMENT_KIND_SALE = 2;
        public const uint FC_DOCUMENT_KIND_MONEY_BACK = 3;
        public const uint FC_DOCUMENT_KIND_ROLLBACK = 4;
        public const uint FC_DOCUMENT_KIND_PREPAY = 5;
        public const uint FC_DOCUMENT_KIND_CREDITPAY = 6;
        public const uint FC_DOCUMENT_KIND_DEPOSIT = 7;
        public const uint FC_DOCUMENT_KIND_WITHDRAW = 8;
        public const uint FC_DOCUMENT_KIND_CORRECTION = 9;
        public const uint FC_DOCUMENT_KIND_ZREPORT = 10;
        public const uint FC_DOCUMENT_KIND_DECOMMISSION = 11;
        // fc_render_format
        public const uint FC_RENDER_FORMAT_TEXT = 0;
        public const uint FC_RENDER_FORMAT_ASCII = 1;
        public const uint FC_RENDER_FORMAT_ESCPOS = 2;
        public const uint FC_RENDER_FORMAT_SVG = 3;
        public const uint FC_RENDER_FORMAT_HTML = 4;
        // END constants

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_status_name(uint status);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_status_message(uint status, byte[] lang);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_buffer_data(IntPtr buf);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern UIntPtr fc_buffer_len(IntPtr buf);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern void fc_buffer_free(IntPtr buf);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_key_from_seed(byte[] seed, UIntPtr seedLen, out IntPtr outKey);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_public_key(byte[] privateKey, UIntPtr keyLen, out IntPtr outHex);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_certificate_issue(byte[] bodyJson, byte[] authorityKey, UIntPtr keyLen, out IntPtr outCertificate);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_certificate_journal_line(byte[] certificateJson, out IntPtr outLine);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_request_validate(byte[] requestJson, byte[] date, out IntPtr outJson);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_new(out IntPtr outDevice);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern void fc_device_free(IntPtr dev);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_device_last_error(IntPtr dev);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_device_last_error_json(IntPtr dev);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_last_error_json_copy(IntPtr dev, out IntPtr outJson);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_last_notices_json(IntPtr dev, out IntPtr outJson);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_activate(IntPtr dev, byte[] certificateJson, byte[] authorityPublicKeyHex, byte[] deviceKey, UIntPtr keyLen, byte[] pin, byte[] qrBase, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_restore(IntPtr dev, byte[] state, UIntPtr stateLen, byte[] deviceKey, UIntPtr keyLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_export_state(IntPtr dev, out IntPtr outState);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_unlock(IntPtr dev, byte[] pin);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_open_shift(IntPtr dev, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_close_shift(IntPtr dev, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_decommission(IntPtr dev, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_issue(IntPtr dev, byte[] requestJson, byte[] references, long expectedPrevious, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_issue_receipt(IntPtr dev, byte[] requestJson, byte[] references, long expectedPrevious, long nowMs, uint format, uint width, byte[] language, out IntPtr outDocument, out IntPtr outState, out IntPtr outJournalLine, out IntPtr outReceipt);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_handle(IntPtr dev, byte[] dialect, byte[] policy, byte[] operation, byte[] requestText, byte[] references, long nowMs, out IntPtr outResponse, out IntPtr outJournalLine);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_deposit(IntPtr dev, byte[] cashier, byte[] amount, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_withdraw(IntPtr dev, byte[] cashier, byte[] amount, long nowMs, out IntPtr outDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_x_report(IntPtr dev, out IntPtr outReport);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_acknowledge_upload(IntPtr dev, ulong through, byte[] nextDocument);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_status(IntPtr dev, out IntPtr outStatus);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_device_counters(IntPtr dev, out ulong outLastNumber, out ulong outPending);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern IntPtr fc_document_kind_name(uint kind);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_document_describe(byte[] journalLine, byte[] qrBase, out IntPtr outJson);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_document_render(byte[] journalLine, byte[] certificateJson, byte[] qrBase, uint format, uint width, byte[] language, out IntPtr outReceipt);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_document_canonical_bytes(byte[] journalLine, out IntPtr outBytes);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_verify_document(byte[] journalLine, byte[] certificateJson, byte[] authorityPublicKeyHex, out IntPtr outReport);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_verify_journal(byte[] journal, UIntPtr journalLen, byte[] authorityPublicKeyHex, out IntPtr outReport);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_qr_payload(byte[] qrBase, byte[] fiscalId, out IntPtr outPayload);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_qr_svg(byte[] payload, out IntPtr outSvg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)] public static extern uint fc_test_panic();

        /// <summary>A string as the NUL-terminated UTF-8 bytes C takes; null stays null (C NULL).</summary>
        public static byte[] Utf8(string s)
        {
            if (s == null) return null;
            byte[] b = Encoding.UTF8.GetBytes(s);
            Array.Resize(ref b, b.Length + 1);
            return b;
        }

        /// <summary>A NUL-terminated UTF-8 string owned by the library (not freed here).</summary>
        public static string FromUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            byte[] b = new byte[n];
            Marshal.Copy(p, b, 0, n);
            return Encoding.UTF8.GetString(b);
        }

        /// <summary>The bytes of a buffer (the buffer stays owned by the caller).</summary>
        public static byte[] Bytes(IntPtr buf)
        {
            int n = checked((int)(ulong)fc_buffer_len(buf));
            byte[] b = new byte[n];
            if (n > 0) Marshal.Copy(fc_buffer_data(buf), b, 0, n);
            return b;
        }

        /// <summary>The text of a buffer, then frees the buffer.</summary>
        public static string TakeText(IntPtr buf)
        {
            try { return Encoding.UTF8.GetString(Bytes(buf)); } finally { fc_buffer_free(buf); }
        }

        /// <summary>The bytes of a buffer, then frees the buffer.</summary>
        public static byte[] TakeBytes(IntPtr buf)
        {
            try { return Bytes(buf); } finally { fc_buffer_free(buf); }
        }
    }

#if FISCAL_CORE_SAMPLE
    /// <summary>The sale of examples/sell.c: activate a test device, sell, print ID and QR.</summary>
    public static class Sample
    {
        static void Ok(uint s, IntPtr dev, string what)
        {
            if (s == Native.FC_STATUS_OK) return;
            string detail = dev == IntPtr.Zero ? "" : Native.FromUtf8(Native.fc_device_last_error(dev));
            throw new Exception(what + ": " + Native.FromUtf8(Native.fc_status_name(s)) + ": " + detail);
        }

        // Value of a string member of the library's flat JSON, as examples/sell.c reads it
        // (enough for IDs and journal lines; a POS uses a JSON parser).
        static string Member(string json, string key)
        {
            string pat = "\"" + key + "\":\"";
            int i = json.IndexOf(pat, StringComparison.Ordinal) + pat.Length;
            StringBuilder sb = new StringBuilder();
            for (; json[i] != '"'; i++)
            {
                if (json[i] == '\\') i++;
                sb.Append(json[i]);
            }
            return sb.ToString();
        }

        public static int Main()
        {
            long t0 = 1795406400000L; // 2026-11-23 08:00 Baku, ms since the Unix epoch
            IntPtr buf, dev;
            byte[] seedA = Encoding.UTF8.GetBytes("example authority"), seedD = Encoding.UTF8.GetBytes("example device");
            Ok(Native.fc_key_from_seed(seedA, (UIntPtr)seedA.Length, out buf), IntPtr.Zero, "authority key");
            byte[] akey = Native.TakeBytes(buf);
            Ok(Native.fc_key_from_seed(seedD, (UIntPtr)seedD.Length, out buf), IntPtr.Zero, "device key");
            byte[] dkey = Native.TakeBytes(buf);
            Ok(Native.fc_public_key(akey, (UIntPtr)akey.Length, out buf), IntPtr.Zero, "public key");
            string apub = Native.TakeText(buf);
            Ok(Native.fc_public_key(dkey, (UIntPtr)dkey.Length, out buf), IntPtr.Zero, "public key");
            string dpub = Native.TakeText(buf);
            string body = "{\"serial\":1,\"kassa_model\":\"Kassa-CS\",\"kassa_factory_number\":\"KC-1\",\"nmq_factory_number\":\"N-1\","
                + "\"nmq_registration_number\":\"AZ-1\",\"taxpayer_name\":\"Nümunə MMC\",\"voen\":\"1234567891\","
                + "\"object_code\":\"OBJ-1\",\"object_name\":\"Mağaza\",\"object_address\":\"Bakı\","
                + "\"valid_from\":1767211200000,\"valid_until\":1861905600000,\"device_key\":\"" + dpub + "\"}";
            Ok(Native.fc_certificate_issue(Native.Utf8(body), akey, (UIntPtr)akey.Length, out buf), IntPtr.Zero, "certificate");
            string cert = Native.TakeText(buf);

            Ok(Native.fc_device_new(out dev), IntPtr.Zero, "new");
            try
            {
                Ok(Native.fc_device_activate(dev, Native.Utf8(cert), Native.Utf8(apub), dkey, (UIntPtr)dkey.Length,
                    Native.Utf8("4821"), null, t0, out buf), dev, "activate");
                Native.fc_buffer_free(buf);
                Ok(Native.fc_device_open_shift(dev, t0 + 3600000L, out buf), dev, "open");
                Native.fc_buffer_free(buf);
                string sale = "{\"doc_type\":\"sale\",\"data\":{\"cashier\":\"Aysel\",\"items\":["
                    + "{\"itemName\":\"Çörək\",\"itemQuantity\":2,\"itemPrice\":0.60,\"itemVatPercent\":18},"
                    + "{\"itemName\":\"Dərman\",\"itemQuantity\":1,\"itemPrice\":5.00}],"
                    + "\"cashSum\":6.20,\"incomingSum\":10}}";
                // One call: the document, the state to save, the journal line, the receipt.
                IntPtr state, line, rcpt;
                Ok(Native.fc_device_issue_receipt(dev, Native.Utf8(sale), null, 2L, t0 + 7200000L, Native.FC_RENDER_FORMAT_TEXT, 32,
                    Native.Utf8("az"), out buf, out state, out line, out rcpt), dev, "sale");
                string doc = Native.TakeText(buf);
                string journalLine = Native.TakeText(line);
                string receipt = Native.TakeText(rcpt);
                Console.WriteLine("Sale: Fiskal ID " + Member(doc, "short_id"));
                Console.WriteLine("QR: " + Member(doc, "qr_payload"));
                Console.WriteLine("State: " + (Native.fc_buffer_len(state).ToUInt64() > 0 ? "to save" : "EMPTY"));
                Native.fc_buffer_free(state);
                ulong last, pending;
                Ok(Native.fc_device_counters(dev, out last, out pending), dev, "counters");
                Console.WriteLine("Counters: last " + last + ", pending " + pending);
                Console.WriteLine("Receipt: " + (receipt.Contains(Member(doc, "short_id")) ? "names the sale" : "WRONG"));
                Ok(Native.fc_document_render(Native.Utf8(journalLine), Native.Utf8(cert), null,
                    Native.FC_RENDER_FORMAT_TEXT, 32, Native.Utf8("az"), out buf), IntPtr.Zero, "render");
                Console.WriteLine("Render: " + (Native.TakeText(buf) == receipt ? "same receipt" : "WRONG"));
                Console.WriteLine("Status 210: " + Native.FromUtf8(Native.fc_status_message(Native.FC_STATUS_WRONG_PIN, Native.Utf8("en"))));
                // A request as a deployed NBA POS sends it, answered in NBA's shape.
                IntPtr response, handledLine;
                Ok(Native.fc_device_handle(dev, Native.Utf8("nba"), null, null,
                    Native.Utf8("{\"operationId\":\"getShiftStatus\",\"version\":1,\"parameters\":{\"access_token\":\"t\"}}"),
                    null, t0 + 7260000L, out response, out handledLine), dev, "handle");
                Native.fc_buffer_free(handledLine); // NULL: a status issues no document
                Console.WriteLine("Handle: " + Native.TakeText(response));
            }
            finally
            {
                Native.fc_device_free(dev);
            }
            return 0;
        }
    }
#endif
}
