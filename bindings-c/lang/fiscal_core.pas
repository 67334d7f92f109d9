{ Declarations of fiscal_core (bindings-c/include/fiscal_core.h) for Delphi and Free Pascal.
  Copy this unit; every function of the header is declared here.

  Marshalling: strings cross as NUL-terminated UTF-8 (PAnsiChar of a UTF8String:
  PAnsiChar(UTF8String(S)) in Delphi 2009+; in Free Pascal compile with {$codepage utf8} or use
  UTF8Encode); size_t as NativeUInt (pointer-sized on 32 and 64 bits); times as Int64,
  milliseconds since the Unix epoch; fc_status as Cardinal. Calling convention: cdecl.
  Handles are opaque pointers: free each with fc_device_free / fc_buffer_free.

  Sample (bindings-c/test.sh builds and runs it): lang/sell_pas.pas,
    fpc -Fl<dir of libfiscal_core.so> -k-rpath=<that dir> sell_pas.pas && ./sell_pas }
unit fiscal_core;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}

interface

const
{$IFDEF MSWINDOWS}
  FiscalCoreLib = 'fiscal_core.dll';
{$ELSE}
  FiscalCoreLib = 'fiscal_core'; { libfiscal_core.so, linked as -lfiscal_core }
{$ENDIF}
  { BEGIN constants of fiscal_core.h (FC_ABI_VERSION and every enum; uint32_t values) }
  FC_ABI_VERSION = 0;
  { fc_status }
  FC_STATUS_OK = 0;
  FC_STATUS_NULL_POINTER = 1;
  FC_STATUS_INVALID_UTF8 = 2;
  FC_STATUS_INVALID_HANDLE = 3;
  FC_STATUS_PANIC = 4;
  FC_STATUS_INVALID_ARGUMENT = 5;
  FC_STATUS_NOT_ACTIVATED = 6;
  FC_STATUS_ALREADY_ACTIVATED = 7;
  FC_STATUS_INVALID_REQUEST = 100;
  FC_STATUS_MALFORMED_JSON = 101;
  FC_STATUS_WRONG_TYPE = 102;
  FC_STATUS_MISSING_FIELD = 103;
  FC_STATUS_UNKNOWN_DOC_TYPE = 104;
  FC_STATUS_FIELD_NOT_ALLOWED = 105;
  FC_STATUS_UNSUPPORTED_CURRENCY = 106;
  FC_STATUS_DUPLICATE_MEMBER = 107;
  FC_STATUS_UNKNOWN_MEMBER = 108;
  FC_STATUS_UNKNOWN_OPERATION = 109;
  FC_STATUS_NOT_A_NUMBER = 110;
  FC_STATUS_NEGATIVE_VALUE = 111;
  FC_STATUS_TOO_MANY_DECIMALS = 112;
  FC_STATUS_OUT_OF_RANGE = 113;
  FC_STATUS_TEXT_EMPTY = 120;
  FC_STATUS_TEXT_TOO_LONG = 121;
  FC_STATUS_TEXT_BAD_CHARACTER = 122;
  FC_STATUS_INVALID_ITEM_CODE = 123;
  FC_STATUS_INVALID_REFERENCE = 124;
  FC_STATUS_INVALID_VEHICLE_PLATE = 125;
  FC_STATUS_INVALID_ENUM_VALUE = 126;
  FC_STATUS_NO_LINES = 130;
  FC_STATUS_TOO_MANY_LINES = 131;
  FC_STATUS_LINE_TOTAL_MISMATCH = 132;
  FC_STATUS_UNKNOWN_TAX_RATE = 133;
  FC_STATUS_MARGIN_EXCEEDS_LINE = 134;
  FC_STATUS_MARGIN_MISMATCH = 135;
  FC_STATUS_CONFLICTING_ADJUSTMENT = 136;
  FC_STATUS_SUM_MISMATCH = 140;
  FC_STATUS_UNDERPAID = 141;
  FC_STATUS_OVERPAID = 142;
  FC_STATUS_CHANGE_WITHOUT_CASH = 143;
  FC_STATUS_TENDERED_BELOW_CASH = 144;
  FC_STATUS_CHANGE_MISMATCH = 145;
  FC_STATUS_PAYMENT_FORM_NOT_ALLOWED = 146;
  FC_STATUS_VAT_AMOUNTS_MISMATCH = 147;
  FC_STATUS_ZERO_TOTAL = 148;
  FC_STATUS_MISSING_REFERENCE = 150;
  FC_STATUS_UNEXPECTED_REFERENCE = 151;
  FC_STATUS_TOO_MANY_REFERENCES = 152;
  FC_STATUS_DUPLICATE_REFERENCE = 153;
  FC_STATUS_INVALID_INSTALMENT_NUMBER = 160;
  FC_STATUS_MISSING_VEHICLE_PLATE = 170;
  FC_STATUS_INVALID_CERTIFICATE = 200;
  FC_STATUS_CERTIFICATE_SIGNATURE = 201;
  FC_STATUS_CERTIFICATE_NOT_YET_VALID = 202;
  FC_STATUS_CERTIFICATE_EXPIRED = 203;
  FC_STATUS_KEY_MISMATCH = 204;
  FC_STATUS_WRONG_PIN = 210;
  FC_STATUS_DEVICE_LOCKED = 211;
  FC_STATUS_NOT_UNLOCKED = 212;
  FC_STATUS_DECOMMISSIONED = 213;
  FC_STATUS_SHIFT_ALREADY_OPEN = 220;
  FC_STATUS_NO_OPEN_SHIFT = 221;
  FC_STATUS_SHIFT_TOO_LONG = 222;
  FC_STATUS_TIME_NOT_INCREASING = 223;
  FC_STATUS_OFFLINE_TOO_LONG = 224;
  FC_STATUS_TOO_MANY_PENDING = 225;
  FC_STATUS_SEQUENCE_MISMATCH = 226;
  FC_STATUS_CASH_INSUFFICIENT = 227;
  FC_STATUS_SHIFT_OPEN = 228;
  FC_STATUS_PENDING_UPLOADS = 229;
  FC_STATUS_INVALID_ACKNOWLEDGEMENT = 230;
  FC_STATUS_REFERENCE_NOT_FOUND = 240;
  FC_STATUS_REFERENCE_NOT_AUTHENTIC = 241;
  FC_STATUS_REFERENCE_WRONG_KIND = 242;
  FC_STATUS_CANCEL_OUTSIDE_SHIFT = 243;
  FC_STATUS_ALREADY_CANCELLED = 244;
  FC_STATUS_RETURN_EXCEEDS_SALE = 245;
  FC_STATUS_INSTALMENT_EXCEEDS_DEBT = 246;
  FC_STATUS_DEBT_MISMATCH = 247;
  FC_STATUS_INSTALMENT_NUMBER_MISMATCH = 248;
  FC_STATUS_ADVANCES_EXCEEDED = 249;
  FC_STATUS_TOTALS_OVERFLOW = 250;
  FC_STATUS_RECEIPT_IN_USE = 251;
  FC_STATUS_INVALID_STATE = 260;
  FC_STATUS_INVALID_DOCUMENT = 261;
  FC_STATUS_WRONG_FISCAL_ID = 262;
  FC_STATUS_BAD_SIGNATURE = 270;
  FC_STATUS_NUMBER_GAP = 271;
  FC_STATUS_DUPLICATE_DOCUMENT = 272;
  FC_STATUS_OUT_OF_ORDER = 273;
  FC_STATUS_BROKEN_CHAIN = 274;
  FC_STATUS_OUTSIDE_SHIFT = 275;
  FC_STATUS_Z_REPORT_MISMATCH = 276;
  FC_STATUS_UNKNOWN_REFERENCE = 277;
  FC_STATUS_CONTENT_INVALID = 278;
  FC_STATUS_COUNTER_MISMATCH = 279;
  FC_STATUS_EMPTY_JOURNAL = 280;
  FC_STATUS_NONCANONICAL_LINE = 281;
  FC_STATUS_FOREIGN_REFERENCE = 282;
  { fc_document_kind }
  FC_DOCUMENT_KIND_ACTIVATION = 0;
  FC_DOCUMENT_KIND_OPEN_SHIFT = 1;
  FC_DOCUMENT_KIND_SALE = 2;
  FC_DOCUMENT_KIND_MONEY_BACK = 3;
  FC_DOCUMENT_KIND_ROLLBACK = 4;
  FC_DOCUMENT_KIND_PREPAY = 5;
  FC_DOCUMENT_KIND_CREDITPAY = 6;
  FC_DOCUMENT_KIND_DEPOSIT = 7;
  FC_DOCUMENT_KIND_WITHDRAW = 8;
  FC_DOCUMENT_KIND_CORRECTION = 9;
  FC_DOCUMENT_KIND_ZREPORT = 10;
  FC_DOCUMENT_KIND_DECOMMISSION = 11;
  { fc_render_format }
  FC_RENDER_FORMAT_TEXT = 0;
  FC_RENDER_FORMAT_ASCII = 1;
  FC_RENDER_FORMAT_ESCPOS = 2;
  FC_RENDER_FORMAT_SVG = 3;
  FC_RENDER_FORMAT_HTML = 4;
  { END constants }

type
  fc_status = Cardinal;
  size_t = NativeUInt;
  Pfc_buffer = type Pointer;
  PPfc_buffer = ^Pfc_buffer;
  Pfc_device = type Pointer;
  PPfc_device = ^Pfc_device;

function fc_version: PAnsiChar; cdecl; external FiscalCoreLib;
function fc_status_name(status: Cardinal): PAnsiChar; cdecl; external FiscalCoreLib;
function fc_status_message(status: Cardinal; lang: PAnsiChar): PAnsiChar; cdecl; external FiscalCoreLib;
function fc_buffer_data(buf: Pfc_buffer): PByte; cdecl; external FiscalCoreLib;
function fc_buffer_len(buf: Pfc_buffer): size_t; cdecl; external FiscalCoreLib;
procedure fc_buffer_free(buf: Pfc_buffer); cdecl; external FiscalCoreLib;
function fc_key_from_seed(seed: PByte; seed_len: size_t; out_key: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_public_key(key: PByte; key_len: size_t; out_hex: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_certificate_issue(body_json: PAnsiChar; authority_key: PByte; key_len: size_t;
  out_certificate: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_certificate_journal_line(certificate_json: PAnsiChar; out_line: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_request_validate(request_json, date: PAnsiChar; out_json: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_new(out_device: PPfc_device): fc_status; cdecl; external FiscalCoreLib;
procedure fc_device_free(dev: Pfc_device); cdecl; external FiscalCoreLib;
function fc_device_last_error(dev: Pfc_device): PAnsiChar; cdecl; external FiscalCoreLib;
function fc_device_last_error_json(dev: Pfc_device): PAnsiChar; cdecl; external FiscalCoreLib;
function fc_device_last_error_json_copy(dev: Pfc_device; out_json: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_last_notices_json(dev: Pfc_device; out_json: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_activate(dev: Pfc_device; certificate_json, authority_public_key_hex: PAnsiChar;
  device_key: PByte; key_len: size_t; pin, qr_base: PAnsiChar; now_ms: Int64;
  out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_restore(dev: Pfc_device; state: PByte; state_len: size_t; device_key: PByte;
  key_len: size_t): fc_status; cdecl; external FiscalCoreLib;
function fc_device_export_state(dev: Pfc_device; out_state: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_unlock(dev: Pfc_device; pin: PAnsiChar): fc_status; cdecl; external FiscalCoreLib;
function fc_device_open_shift(dev: Pfc_device; now_ms: Int64; out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_close_shift(dev: Pfc_device; now_ms: Int64; out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_decommission(dev: Pfc_device; now_ms: Int64; out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_issue(dev: Pfc_device; request_json, references: PAnsiChar; expected_previous: Int64;
  now_ms: Int64; out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_issue_receipt(dev: Pfc_device; request_json, references: PAnsiChar; expected_previous: Int64;
  now_ms: Int64; format, width: Cardinal; language: PAnsiChar; out_document, out_state, out_journal_line,
  out_receipt: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_handle(dev: Pfc_device; dialect, policy, operation, request_text, references: PAnsiChar;
  now_ms: Int64; out_response, out_journal_line: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_deposit(dev: Pfc_device; cashier, amount: PAnsiChar; now_ms: Int64;
  out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_withdraw(dev: Pfc_device; cashier, amount: PAnsiChar; now_ms: Int64;
  out_document: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_x_report(dev: Pfc_device; out_report: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_acknowledge_upload(dev: Pfc_device; through: UInt64; next_document: PAnsiChar): fc_status; cdecl; external FiscalCoreLib;
function fc_device_status(dev: Pfc_device; out_status: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_device_counters(dev: Pfc_device; out_last_number, out_pending: PUInt64): fc_status; cdecl; external FiscalCoreLib;
function fc_document_kind_name(kind: Cardinal): PAnsiChar; cdecl; external FiscalCoreLib;
function fc_document_describe(journal_line, qr_base: PAnsiChar; out_json: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_document_render(journal_line, certificate_json, qr_base: PAnsiChar; format, width: Cardinal;
  language: PAnsiChar; out_receipt: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_document_canonical_bytes(journal_line: PAnsiChar; out_bytes: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_verify_document(journal_line, certificate_json, authority_public_key_hex: PAnsiChar;
  out_report: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_verify_journal(journal: PByte; journal_len: size_t; authority_public_key_hex: PAnsiChar;
  out_report: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_qr_payload(qr_base, fiscal_id: PAnsiChar; out_payload: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_qr_svg(payload: PAnsiChar; out_svg: PPfc_buffer): fc_status; cdecl; external FiscalCoreLib;
function fc_test_panic: fc_status; cdecl; external FiscalCoreLib;

{ The bytes of a buffer as a UTF-8 string, then frees the buffer. }
function fc_take_text(buf: Pfc_buffer): UTF8String;

implementation

function fc_take_text(buf: Pfc_buffer): UTF8String;
var
  n: size_t;
begin
  n := fc_buffer_len(buf);
  SetLength(Result, n);
  if n > 0 then
    Move(fc_buffer_data(buf)^, Result[1], n);
  fc_buffer_free(buf);
end;

end.
