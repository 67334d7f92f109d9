{ The sale of examples/sell.c in Pascal: activate a test device, sell, print ID and QR.
  Free Pascal: fpc -Fl<libdir> -k-rpath=<libdir> sell_pas.pas; Delphi: add fiscal_core.pas. }
program sell_pas;

{$IFDEF FPC}{$MODE DELPHI}{$CODEPAGE UTF8}{$ENDIF}

uses
  SysUtils, fiscal_core;

procedure Ok(s: fc_status; dev: Pfc_device; const what: string);
var
  detail: string;
begin
  if s = FC_STATUS_OK then Exit;
  detail := '';
  if dev <> nil then detail := string(fc_device_last_error(dev));
  WriteLn(StdErr, what, ': ', fc_status_name(s), ': ', detail);
  Halt(1);
end;

{ Value of a string member of the library's flat JSON (enough for IDs; use a JSON parser). }
function Member(const json: UTF8String; const key: UTF8String): UTF8String;
var
  pat: UTF8String;
  i: Integer;
begin
  pat := '"' + key + '":"';
  i := Pos(pat, json) + Length(pat);
  Result := '';
  while json[i] <> '"' do
  begin
    if json[i] = '\' then Inc(i);
    Result := Result + json[i];
    Inc(i);
  end;
end;

const
  T0: Int64 = 1795406400000; { 2026-11-23 08:00 Baku, ms since the Unix epoch }
  SeedA: AnsiString = 'example authority';
  SeedD: AnsiString = 'example device';
var
  buf, state, line, rcpt: Pfc_buffer;
  dev: Pfc_device;
  akey, dkey, apub, dpub, body, cert, sale, doc, journal_line, receipt: UTF8String;
  last, pending: UInt64;
begin
  Ok(fc_key_from_seed(PByte(PAnsiChar(SeedA)), Length(SeedA), @buf), nil, 'authority key');
  akey := fc_take_text(buf);
  Ok(fc_key_from_seed(PByte(PAnsiChar(SeedD)), Length(SeedD), @buf), nil, 'device key');
  dkey := fc_take_text(buf);
  Ok(fc_public_key(PByte(PAnsiChar(akey)), Length(akey), @buf), nil, 'public key');
  apub := fc_take_text(buf);
  Ok(fc_public_key(PByte(PAnsiChar(dkey)), Length(dkey), @buf), nil, 'public key');
  dpub := fc_take_text(buf);
  body := UTF8String('{"serial":1,"kassa_model":"Kassa-P","kassa_factory_number":"KC-1","nmq_factory_number":"N-1",'
    + '"nmq_registration_number":"AZ-1","taxpayer_name":"Nümunə MMC","voen":"1234567891",'
    + '"object_code":"OBJ-1","object_name":"Mağaza","object_address":"Bakı",'
    + '"valid_from":1767211200000,"valid_until":1861905600000,"device_key":"') + dpub + '"}';
  Ok(fc_certificate_issue(PAnsiChar(body), PByte(PAnsiChar(akey)), Length(akey), @buf), nil, 'certificate');
  cert := fc_take_text(buf);

  Ok(fc_device_new(@dev), nil, 'new');
  try
    Ok(fc_device_activate(dev, PAnsiChar(cert), PAnsiChar(apub), PByte(PAnsiChar(dkey)), Length(dkey),
      '4821', nil, T0, @buf), dev, 'activate');
    fc_buffer_free(buf);
    Ok(fc_device_open_shift(dev, T0 + 3600000, @buf), dev, 'open');
    fc_buffer_free(buf);
    sale := UTF8String('{"doc_type":"sale","data":{"cashier":"Aysel","items":['
      + '{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},'
      + '{"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00}],'
      + '"cashSum":6.20,"incomingSum":10}}');
    { One call: the document, the state to save, the journal line, the receipt. }
    Ok(fc_device_issue_receipt(dev, PAnsiChar(sale), nil, 2, T0 + 7200000, FC_RENDER_FORMAT_TEXT, 32, 'az',
      @buf, @state, @line, @rcpt), dev, 'sale');
    doc := fc_take_text(buf);
    journal_line := fc_take_text(line);
    receipt := fc_take_text(rcpt);
    WriteLn('Sale: Fiskal ID ', Member(doc, 'short_id'));
    WriteLn('QR: ', Member(doc, 'qr_payload'));
    if fc_buffer_len(state) > 0 then WriteLn('State: to save') else WriteLn('State: EMPTY');
    fc_buffer_free(state);
    Ok(fc_device_counters(dev, @last, @pending), dev, 'counters');
    WriteLn('Counters: last ', last, ', pending ', pending);
    if Pos(Member(doc, 'short_id'), receipt) > 0 then
      WriteLn('Receipt: names the sale')
    else
      WriteLn('Receipt: WRONG');
    Ok(fc_document_render(PAnsiChar(journal_line), PAnsiChar(cert), nil, FC_RENDER_FORMAT_TEXT, 32,
      'az', @buf), nil, 'render');
    if fc_take_text(buf) = receipt then WriteLn('Render: same receipt') else WriteLn('Render: WRONG');
    WriteLn('Status 210: ', fc_status_message(FC_STATUS_WRONG_PIN, 'en'));
    { A request as a deployed NBA POS sends it, answered in NBA's shape. }
    Ok(fc_device_handle(dev, 'nba', nil, nil,
      '{"operationId":"getShiftStatus","version":1,"parameters":{"access_token":"t"}}',
      nil, T0 + 7260000, @buf, @line), dev, 'handle');
    fc_buffer_free(line); { nil: a status issues no document }
    WriteLn('Handle: ', fc_take_text(buf));
  finally
    fc_device_free(dev);
  end;
end.
