//! Printable receipts (SPEC.md §17): what the customer holds in their hand.
//!
//! One layout — a list of [`Row`]s with every mandatory field (RC-01 … RC-19) where it applies —
//! is drawn in four forms: plain text at any width (32, 42, 48 columns for 58 and 80 mm rolls),
//! optionally transliterated for printers without Azerbaijani letters; ESC/POS bytes with the
//! printer's own QR command; and SVG or HTML for e-receipts, with the QR drawn in. Labels are
//! data ([`Labels`]): a Russian or English copy is a new value, not new code. Pure: no I/O.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::certificate::CertificateBody;
use crate::document::{Content, Document, ShiftReport};
use crate::money::Amount;
use crate::receipt::{Adjustment, DocType, Line, Payments, Request, ReturnOf, Unit};
use crate::tax::{TaxCategory, TaxGroup};

/// Every label the receipt prints. [`Labels::azerbaijani`] is the legal text;
/// [`Labels::english`] shows that another language is only data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // each field is the label it is named for
pub struct Labels {
    pub voen: String,
    pub object_name: String,
    pub object_address: String,
    pub object_code: String,
    pub sale: String,
    pub credit_sale: String,
    pub sale_against_advance: String,
    pub return_receipt: String,
    pub cancel: String,
    pub advance: String,
    pub credit_payment: String,
    pub deposit: String,
    pub withdraw: String,
    pub correction: String,
    pub open_shift: String,
    pub z_report: String,
    pub activation: String,
    pub decommission: String,
    pub receipt_number: String,
    pub receipts_in_shift: String,
    pub document_number: String,
    pub shift: String,
    pub cashier: String,
    pub date: String,
    pub time: String,
    pub total: String,
    pub total_tax: String,
    pub vat: String,
    pub vat_margin: String,
    pub simplified: String,
    pub vat_exempt: String,
    pub untaxed: String,
    pub cash: String,
    pub cashless: String,
    pub bonus: String,
    pub gift_card: String,
    pub fuel_card: String,
    pub prepayment: String,
    pub credit: String,
    pub tendered: String,
    pub change: String,
    pub paid: String,
    pub advance_paid: String,
    pub debt_left: String,
    pub instalment: String,
    pub parent: String,
    pub advances_used: String,
    pub voided: String,
    pub vehicle_plate: String,
    pub discount: String,
    pub markup: String,
    pub kassa_model: String,
    pub kassa_factory_number: String,
    pub nmq_registration_number: String,
    pub fiscal_mode: String,
    pub fiscal_id: String,
    pub cash_in: String,
    pub cash_out: String,
    pub cash_in_drawer: String,
    pub first_last: String,
    pub units: [String; 6],
}

impl Labels {
    /// The Azerbaijani labels (FP-33).
    pub fn azerbaijani() -> Labels {
        let s = |x: &str| x.to_string();
        Labels {
            voen: s("VÖEN"),
            object_name: s("Obyektin adı"),
            object_address: s("Obyektin ünvanı"),
            object_code: s("Obyektin kodu"),
            sale: s("SATIŞ ÇEKİ"),
            credit_sale: s("NİSYƏ SATIŞ ÇEKİ"),
            sale_against_advance: s("AVANS HESABINA SATIŞ ÇEKİ"),
            return_receipt: s("QAYTARMA ÇEKİ"),
            cancel: s("LƏĞV ÇEKİ"),
            advance: s("AVANS (BEH) ÇEKİ"),
            credit_payment: s("NİSYƏ ÖDƏNİŞİ ÇEKİ"),
            deposit: s("MƏDAXİL"),
            withdraw: s("MƏXARİC"),
            correction: s("KORREKSİYA ÇEKİ"),
            open_shift: s("NÖVBƏNİN AÇILMASI"),
            z_report: s("Z-HESABAT"),
            activation: s("AKTİVLƏŞDİRMƏ"),
            decommission: s("QEYDİYYATDAN ÇIXMA"),
            receipt_number: s("Çek nömrəsi"),
            receipts_in_shift: s("Növbə ərzində vurulmuş çek sayı"),
            document_number: s("Sənəd nömrəsi"),
            shift: s("Növbə"),
            cashier: s("Kassir"),
            date: s("Tarix"),
            time: s("Vaxt"),
            total: s("Cəmi"),
            total_tax: s("Toplam vergi"),
            vat: s("ƏDV"),
            vat_margin: s("ƏDV (ticarət əlavəsi)"),
            simplified: s("Sadələşdirilmiş vergi"),
            vat_exempt: s("ƏDV-dən azad"),
            untaxed: s("Vergiyə cəlb olunmayan"),
            cash: s("Nağd"),
            cashless: s("Nağdsız"),
            bonus: s("Bonus"),
            gift_card: s("Hədiyyə kartı"),
            fuel_card: s("Yanacaq kartı"),
            prepayment: s("Avans (beh)"),
            credit: s("Nisyə"),
            tendered: s("Alınan məbləğ"),
            change: s("Qaytarılan məbləğ"),
            paid: s("Ödənilən məbləğ"),
            advance_paid: s("Avans (beh) məbləği"),
            debt_left: s("Qalıq borc"),
            instalment: s("Ödənişin sıra nömrəsi"),
            parent: s("Əsas çekin fiskal ID-si"),
            advances_used: s("Avans çekinin fiskal ID-si"),
            voided: s("Ləğv edilən çek"),
            vehicle_plate: s("Avtomobilin dövlət nömrəsi"),
            discount: s("Endirim"),
            markup: s("Əlavə"),
            kassa_model: s("NKA-nın modeli"),
            kassa_factory_number: s("NKA-nın zavod nömrəsi"),
            nmq_registration_number: s("NMQ-nin qeydiyyat nömrəsi"),
            fiscal_mode: s("FİSKAL REJİM"),
            fiscal_id: s("Fiskal ID"),
            cash_in: s("Daxil olan nağd"),
            cash_out: s("Çıxan nağd"),
            cash_in_drawer: s("Kassada nağd"),
            first_last: s("Sənədlər"),
            units: [s("ədəd"), s("kq"), s("l"), s("m"), s("m²"), s("m³")],
        }
    }

    /// English labels (for foreign customers and auditors; not the legal text).
    pub fn english() -> Labels {
        let s = |x: &str| x.to_string();
        Labels {
            voen: s("Tax ID (VÖEN)"),
            object_name: s("Shop"),
            object_address: s("Address"),
            object_code: s("Shop code"),
            sale: s("SALE RECEIPT"),
            credit_sale: s("CREDIT SALE RECEIPT"),
            sale_against_advance: s("SALE AGAINST ADVANCE"),
            return_receipt: s("RETURN RECEIPT"),
            cancel: s("CANCEL RECEIPT"),
            advance: s("ADVANCE RECEIPT"),
            credit_payment: s("CREDIT PAYMENT RECEIPT"),
            deposit: s("CASH IN"),
            withdraw: s("CASH OUT"),
            correction: s("CORRECTION RECEIPT"),
            open_shift: s("SHIFT OPENED"),
            z_report: s("Z-REPORT"),
            activation: s("ACTIVATION"),
            decommission: s("DECOMMISSIONED"),
            receipt_number: s("Receipt no."),
            receipts_in_shift: s("Receipts in this shift"),
            document_number: s("Document no."),
            shift: s("Shift"),
            cashier: s("Cashier"),
            date: s("Date"),
            time: s("Time"),
            total: s("Total"),
            total_tax: s("Total tax"),
            vat: s("VAT"),
            vat_margin: s("VAT (trade margin)"),
            simplified: s("Simplified tax"),
            vat_exempt: s("VAT exempt"),
            untaxed: s("Not taxed"),
            cash: s("Cash"),
            cashless: s("Card"),
            bonus: s("Bonus"),
            gift_card: s("Gift card"),
            fuel_card: s("Fuel card"),
            prepayment: s("Advance used"),
            credit: s("On credit"),
            tendered: s("Cash received"),
            change: s("Change"),
            paid: s("Paid"),
            advance_paid: s("Advance paid"),
            debt_left: s("Debt left"),
            instalment: s("Instalment no."),
            parent: s("Original receipt"),
            advances_used: s("Advance receipt"),
            voided: s("Cancelled receipt"),
            vehicle_plate: s("Vehicle plate"),
            discount: s("Discount"),
            markup: s("Markup"),
            kassa_model: s("Register model"),
            kassa_factory_number: s("Register serial no."),
            nmq_registration_number: s("Control device reg. no."),
            fiscal_mode: s("FISCAL MODE"),
            fiscal_id: s("Fiscal ID"),
            cash_in: s("Cash in"),
            cash_out: s("Cash out"),
            cash_in_drawer: s("Cash in drawer"),
            first_last: s("Documents"),
            units: [s("pcs"), s("kg"), s("l"), s("m"), s("m²"), s("m³")],
        }
    }
}

/// One row of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A centred line; bold for titles.
    Center {
        /// The text.
        text: String,
        /// Printed bold.
        bold: bool,
    },
    /// Text that wraps at the width.
    Text(String),
    /// A label on the left, a value on the right (amounts align right).
    Pair(String, String),
    /// A horizontal rule.
    Rule,
    /// The QR code of this payload.
    Qr(String),
}

/// What to render: a document, the certificate that identifies the taxpayer and the kassa, and
/// the QR base of the device.
#[derive(Debug, Clone, Copy)]
pub struct Receipt<'a> {
    /// The issued document.
    pub document: &'a Document,
    /// The device's certificate body (RC-01, RC-02, RC-04, RC-07, RC-16).
    pub certificate: &'a CertificateBody,
    /// The QR base address (RC-09).
    pub qr_base: &'a str,
}

fn pct(g: &TaxGroup) -> String {
    g.key.percent.map_or(String::new(), |p| {
        format!(" {}%", p.as_decimal().normalize())
    })
}

fn tax_label(l: &Labels, g: &TaxGroup) -> String {
    let name = match g.key.category {
        TaxCategory::Vat => &l.vat,
        TaxCategory::VatOnMargin => &l.vat_margin,
        TaxCategory::Simplified => &l.simplified,
        TaxCategory::VatExempt => &l.vat_exempt,
        _ => &l.untaxed,
    };
    format!("{name}{}", pct(g))
}

fn payments_rows(rows: &mut Vec<Row>, l: &Labels, p: &Payments, with_tender: bool) {
    for (label, v) in [
        (&l.cash, p.cash),
        (&l.cashless, p.cashless),
        (&l.bonus, p.bonus),
        (&l.gift_card, p.gift_card),
        (&l.fuel_card, p.fuel_card),
        (&l.prepayment, p.prepayment),
        (&l.credit, p.credit),
    ] {
        if !v.is_zero() {
            rows.push(Row::Pair(label.clone(), v.to_string()));
        }
    }
    if with_tender && !p.cash.is_zero() {
        rows.push(Row::Pair(l.tendered.clone(), p.tendered.to_string()));
        rows.push(Row::Pair(l.change.clone(), p.change.to_string()));
    }
}

fn tax_rows(rows: &mut Vec<Row>, l: &Labels, groups: &[TaxGroup]) {
    let mut total = Amount::ZERO;
    for g in groups {
        match g.key.category {
            TaxCategory::Vat | TaxCategory::VatOnMargin | TaxCategory::Simplified => {
                rows.push(Row::Pair(tax_label(l, g), g.tax.to_string()));
                total = total.checked_add(g.tax).unwrap_or(total);
            }
            _ => rows.push(Row::Pair(tax_label(l, g), g.gross.to_string())),
        }
    }
    rows.push(Row::Pair(l.total_tax.clone(), total.to_string()));
}

fn line_rows(rows: &mut Vec<Row>, l: &Labels, line: &Line) {
    rows.push(Row::Text(line.name().to_string()));
    let unit = l
        .units
        .get(unit_index(line.unit()))
        .cloned()
        .unwrap_or_default();
    rows.push(Row::Pair(
        format!(
            "  {} {unit} × {}",
            line.quantity().as_decimal().normalize(),
            money4(line.price().as_decimal())
        ),
        line.total().to_string(),
    ));
    let t = line.treatment();
    let rate = match (t.kind(), t.percent()) {
        (crate::tax::TaxKind::VatExempt, _) => l.vat_exempt.clone(),
        (crate::tax::TaxKind::Simplified, Some(p)) => {
            format!("{} {}%", l.simplified, p.as_decimal().normalize())
        }
        (crate::tax::TaxKind::VatOnMargin, Some(p)) => {
            format!("{} {}%", l.vat_margin, p.as_decimal().normalize())
        }
        (_, Some(p)) => format!("{} {}%", l.vat, p.as_decimal().normalize()),
        (_, None) => l.vat.clone(),
    };
    rows.push(Row::Pair(format!("  {rate}"), line.tax().to_string()));
    match line.adjustment() {
        Some(Adjustment::Discount(a)) => {
            rows.push(Row::Pair(format!("  {}", l.discount), a.to_string()))
        }
        Some(Adjustment::Markup(a)) => {
            rows.push(Row::Pair(format!("  {}", l.markup), a.to_string()))
        }
        None => {}
    }
}

fn unit_index(u: Unit) -> usize {
    usize::from(u.code())
}

/// A unit price with 2 decimals, or up to 4 when it has them (fuel): 0.60, 1.0575.
fn money4(d: rust_decimal::Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 2 {
        let mut v = n;
        v.rescale(2);
        v.to_string()
    } else {
        n.to_string()
    }
}

fn title(l: &Labels, content: &Content) -> String {
    match content {
        Content::Request(r) => match r {
            Request::Sale(s) if s.is_credit_sale() => l.credit_sale.clone(),
            Request::Sale(s) if s.is_against_advances() => l.sale_against_advance.clone(),
            Request::Sale(_) => l.sale.clone(),
            Request::Return(_) => l.return_receipt.clone(),
            Request::Advance(_) => l.advance.clone(),
            Request::CreditPayment(_) => l.credit_payment.clone(),
            Request::Deposit(_) => l.deposit.clone(),
            Request::Withdraw(_) => l.withdraw.clone(),
            Request::Correction(_) => l.correction.clone(),
            _ => l.cancel.clone(),
        },
        Content::Cancel { .. } => l.cancel.clone(),
        Content::OpenShift => l.open_shift.clone(),
        Content::ZReport(_) => l.z_report.clone(),
        Content::Activation { .. } => l.activation.clone(),
        _ => l.decommission.clone(),
    }
}

fn z_rows(rows: &mut Vec<Row>, l: &Labels, z: &ShiftReport) {
    rows.push(Row::Pair(
        l.first_last.clone(),
        format!("{}–{}", z.first_number, z.last_number),
    ));
    rows.push(Row::Pair(
        l.receipts_in_shift.clone(),
        z.receipts.to_string(),
    ));
    for k in &z.kinds {
        rows.push(Row::Rule);
        let name = match k.kind {
            DocType::Sale => &l.sale,
            DocType::Return => &l.return_receipt,
            DocType::Cancel => &l.cancel,
            DocType::Advance => &l.advance,
            DocType::CreditPayment => &l.credit_payment,
            DocType::Deposit => &l.deposit,
            DocType::Withdraw => &l.withdraw,
            _ => &l.correction,
        };
        rows.push(Row::Pair(format!("{name} ×{}", k.count), k.sum.to_string()));
        payments_rows(rows, l, &k.payments, false);
        for g in &k.groups {
            rows.push(Row::Pair(
                format!("  {}", tax_label(l, g)),
                format!("{} / {}", g.gross, g.tax),
            ));
        }
    }
    rows.push(Row::Rule);
    rows.push(Row::Pair(l.cash_in.clone(), z.cash_in.to_string()));
    rows.push(Row::Pair(l.cash_out.clone(), z.cash_out.to_string()));
    rows.push(Row::Pair(
        l.cash_in_drawer.clone(),
        z.cash_in_drawer().to_string(),
    ));
}

impl Receipt<'_> {
    /// The layout: every field that applies to this document, in print order.
    pub fn rows(&self, l: &Labels) -> Vec<Row> {
        let c = self.certificate;
        let doc = self.document;
        let b = doc.body();
        let mut rows = alloc::vec![
            // Who and where (RC-01, RC-02, RC-04).
            Row::Center {
                text: c.taxpayer_name.clone(),
                bold: true
            },
            Row::Pair(l.voen.clone(), c.voen.clone()),
            Row::Pair(l.object_name.clone(), c.object_name.clone()),
            Row::Pair(l.object_address.clone(), c.object_address.clone()),
            Row::Pair(l.object_code.clone(), c.object_code.clone()),
            Row::Rule,
            // What (RC-15) and when (RC-03, RC-06).
            Row::Center {
                text: title(l, &b.content),
                bold: true
            },
        ];
        if b.shift_receipt > 0 {
            rows.push(Row::Pair(
                l.receipt_number.clone(),
                b.shift_receipt.to_string(),
            ));
        }
        rows.push(Row::Pair(l.document_number.clone(), b.number.to_string()));
        if b.shift > 0 {
            rows.push(Row::Pair(l.shift.clone(), b.shift.to_string()));
        }
        let (h, m, s) = b.time.time_in_baku();
        let d = b.time.date_in_baku();
        rows.push(Row::Pair(
            l.date.clone(),
            format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        ));
        rows.push(Row::Pair(l.time.clone(), format!("{h:02}:{m:02}:{s:02}")));
        let cashier = match &b.content {
            Content::Request(r) => Some(r.cashier().to_string()),
            Content::Cancel { request, .. } => Some(request.cashier().to_string()),
            _ => None,
        };
        if let Some(cashier) = cashier {
            rows.push(Row::Pair(l.cashier.clone(), cashier));
        }
        rows.push(Row::Rule);
        match &b.content {
            Content::Request(r) => self.request_rows(&mut rows, l, r),
            Content::Cancel { request, voided } => {
                rows.push(Row::Pair(l.voided.clone(), format!("№ {}", voided.number)));
                rows.push(Row::Pair(l.parent.clone(), request.parent().to_string()));
                rows.push(Row::Pair(l.total.clone(), voided.sum.to_string()));
                payments_rows(&mut rows, l, &voided.payments, false);
                tax_rows(&mut rows, l, &voided.groups);
            }
            Content::ZReport(z) => z_rows(&mut rows, l, z),
            _ => {}
        }
        // The kassa (RC-06, RC-07, RC-08, RC-16) and the proof (RC-09).
        rows.push(Row::Rule);
        if b.shift_receipt > 0 {
            rows.push(Row::Pair(
                l.receipts_in_shift.clone(),
                b.shift_receipt.to_string(),
            ));
        }
        rows.push(Row::Pair(l.kassa_model.clone(), c.kassa_model.clone()));
        rows.push(Row::Pair(
            l.kassa_factory_number.clone(),
            c.kassa_factory_number.clone(),
        ));
        rows.push(Row::Pair(
            l.nmq_registration_number.clone(),
            c.nmq_registration_number.clone(),
        ));
        rows.push(Row::Center {
            text: l.fiscal_mode.clone(),
            bold: false,
        });
        rows.push(Row::Pair(l.fiscal_id.clone(), doc.id().short()));
        rows.push(Row::Qr(crate::qr::payload(self.qr_base, &doc.id())));
        rows
    }

    fn request_rows(&self, rows: &mut Vec<Row>, l: &Labels, r: &Request) {
        let Some(body) = r.body() else {
            // Cash in or out, correction.
            match r {
                Request::Correction(c) => {
                    rows.push(Row::Pair(l.total.clone(), c.totals().sum().to_string()));
                    payments_rows(rows, l, c.payments(), false);
                    tax_rows(rows, l, c.totals().tax_groups());
                }
                other => rows.push(Row::Pair(l.total.clone(), other.total().to_string())),
            }
            return;
        };
        for line in body.lines() {
            line_rows(rows, l, line);
        }
        rows.push(Row::Rule);
        let t = body.totals();
        rows.push(Row::Pair(l.total.clone(), t.total().to_string()));
        tax_rows(rows, l, t.tax_groups());
        rows.push(Row::Rule);
        let p = body.payments();
        // Cash handed over and change apply to money received (RC-12), not to a refund.
        let tender = matches!(
            r,
            Request::Sale(_) | Request::Advance(_) | Request::CreditPayment(_)
        );
        payments_rows(rows, l, p, tender);
        rows.push(Row::Pair(l.paid.clone(), t.sum().to_string()));
        match r {
            Request::Sale(s) => {
                for a in s.advances() {
                    rows.push(Row::Pair(l.advances_used.clone(), a.clone()));
                }
                if s.is_credit_sale() {
                    rows.push(Row::Pair(l.debt_left.clone(), p.credit.to_string()));
                }
            }
            Request::Return(ret) => {
                rows.push(Row::Pair(l.parent.clone(), ret.parent().to_string()));
                if ret.return_of() != ReturnOf::Sale {
                    rows.push(Row::Text(ret.return_of().as_str().replace('_', " ")));
                }
            }
            Request::Advance(_) => {
                rows.push(Row::Pair(l.advance_paid.clone(), t.total().to_string()))
            }
            Request::CreditPayment(c) => {
                rows.push(Row::Pair(l.parent.clone(), c.parent().to_string()));
                rows.push(Row::Pair(l.instalment.clone(), c.instalment().to_string()));
                rows.push(Row::Pair(l.debt_left.clone(), c.debt_left().to_string()));
            }
            _ => {}
        }
        if let Some(plate) = body.vehicle_plate() {
            rows.push(Row::Pair(l.vehicle_plate.clone(), plate.to_string()));
        }
    }

    /// Plain text, `width` columns (at least 24), lines separated by `\n`. With `transliterate`,
    /// only ASCII is printed (ə → e, ş → s, …) for printers without Azerbaijani letters.
    pub fn text(&self, l: &Labels, width: usize, transliterate: bool) -> String {
        let lines = layout(&self.rows(l), width.max(24));
        let mut out = String::new();
        for (line, _) in lines {
            out.push_str(&if transliterate { to_ascii(&line) } else { line });
            out.push('\n');
        }
        out
    }

    /// ESC/POS bytes for a thermal printer of `width` characters a line (32 for 58 mm, 48 for
    /// 80 mm): initialise, transliterated text, titles bold and centred, the QR by the printer's
    /// own `GS ( k` command (model 2, module 6, level M), feed and cut.
    pub fn escpos(&self, l: &Labels, width: usize) -> Vec<u8> {
        let mut out: Vec<u8> = alloc::vec![0x1b, b'@', 0x1b, b't', 0]; // init, code page 437
        for (line, style) in layout(&self.rows(l), width.max(24)) {
            match style {
                Style::Qr(payload) => {
                    out.extend_from_slice(&[0x1b, b'a', 1]);
                    escpos_qr(&mut out, payload.as_bytes());
                    out.extend_from_slice(&[0x1b, b'a', 0]);
                }
                Style::Bold => {
                    out.extend_from_slice(&[0x1b, b'E', 1]);
                    out.extend_from_slice(to_ascii(&line).as_bytes());
                    out.extend_from_slice(&[0x1b, b'E', 0, b'\n']);
                }
                Style::Plain => {
                    out.extend_from_slice(to_ascii(&line).as_bytes());
                    out.push(b'\n');
                }
            }
        }
        out.extend_from_slice(&[0x1b, b'd', 4, 0x1d, b'V', 66, 0]); // feed 4 lines, cut
        out
    }

    /// An SVG image of the receipt at `width` columns, with the QR code drawn in (feature `qr`).
    #[cfg(feature = "qr")]
    pub fn svg(&self, l: &Labels, width: usize) -> Result<String, crate::Error> {
        let lines = layout(&self.rows(l), width.max(24));
        let (char_w, line_h, margin) = (8.4_f32, 18_u32, 16_u32);
        let text_w = (width.max(24) as f32 * char_w) as u32;
        let mut body = String::new();
        let mut y = margin + line_h;
        for (line, style) in &lines {
            match style {
                Style::Qr(payload) => {
                    let m = crate::qr::qr_matrix(payload)?;
                    let module = 4_u32;
                    let size = (m.len() as u32 + 8) * module;
                    let x0 = margin + text_w.saturating_sub(size) / 2;
                    body.push_str(&format!(
                        r##"<rect x="{x0}" y="{y}" width="{size}" height="{size}" fill="#fff"/>"##
                    ));
                    for (r, row) in m.iter().enumerate() {
                        for (c, dark) in row.iter().enumerate() {
                            if *dark {
                                body.push_str(&format!(
                                    r#"<rect x="{}" y="{}" width="{module}" height="{module}"/>"#,
                                    x0 + (c as u32 + 4) * module,
                                    y + (r as u32 + 4) * module
                                ));
                            }
                        }
                    }
                    y += size + line_h;
                }
                _ => {
                    let weight = if matches!(style, Style::Bold) {
                        r#" font-weight="bold""#
                    } else {
                        ""
                    };
                    body.push_str(&format!(
                        r#"<text x="{margin}" y="{y}" xml:space="preserve"{weight}>{}</text>"#,
                        xml(line)
                    ));
                    y += line_h;
                }
            }
        }
        let w = text_w + 2 * margin;
        let h = y + margin;
        Ok(format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#fff"/><g font-family="DejaVu Sans Mono, monospace" font-size="14" fill="#000">{body}</g></svg>"##
        ))
    }

    /// An HTML e-receipt: the text in a `<pre>` and the QR as inline SVG (feature `qr`).
    #[cfg(feature = "qr")]
    pub fn html(&self, l: &Labels, width: usize) -> Result<String, crate::Error> {
        let rows = self.rows(l);
        let payload = rows
            .iter()
            .find_map(|r| {
                if let Row::Qr(p) = r {
                    Some(p.clone())
                } else {
                    None
                }
            })
            .unwrap_or_default();
        let text: String = layout(&rows, width.max(24))
            .into_iter()
            .filter(|(_, s)| !matches!(s, Style::Qr(_)))
            .map(|(line, _)| xml(&line) + "\n")
            .collect();
        let qr = crate::qr::qr_svg(&payload)?;
        let qr = qr
            .split_once("?>")
            .map_or(qr.as_str(), |(_, rest)| rest)
            .trim();
        Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"az\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body><pre style=\"font-family:monospace\">{text}</pre>\n<p><a href=\"{}\">{}</a></p>\n{qr}\n</body></html>\n",
            xml(&self.document.id().short()),
            xml(&payload),
            xml(&payload),
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Qr(String),
}

/// Lays rows out at `width` columns: every line at most `width` characters, long texts
/// wrapped at spaces, values right-aligned.
fn layout(rows: &[Row], width: usize) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    for row in rows {
        match row {
            Row::Center { text, bold } => {
                for part in wrap(text, width) {
                    let pad = (width - part.chars().count()) / 2;
                    let line = format!("{}{part}", " ".repeat(pad));
                    out.push((line, if *bold { Style::Bold } else { Style::Plain }));
                }
            }
            Row::Text(t) => out.extend(wrap(t, width).into_iter().map(|l| (l, Style::Plain))),
            Row::Rule => out.push(("-".repeat(width), Style::Plain)),
            Row::Pair(label, value) => {
                let (lw, vw) = (label.chars().count(), value.chars().count());
                if lw + 1 + vw <= width {
                    out.push((
                        format!("{label}{}{value}", " ".repeat(width - lw - vw)),
                        Style::Plain,
                    ));
                } else {
                    out.extend(wrap(label, width).into_iter().map(|l| (l, Style::Plain)));
                    for v in wrap(value, width) {
                        let n = v.chars().count();
                        out.push((format!("{}{v}", " ".repeat(width - n)), Style::Plain));
                    }
                }
            }
            Row::Qr(payload) => {
                out.push((String::new(), Style::Qr(payload.clone())));
                // The payload in words too, for a customer who cannot scan (RC-09).
                out.extend(
                    hard_wrap(payload, width)
                        .into_iter()
                        .map(|l| (l, Style::Plain)),
                );
            }
        }
    }
    out
}

/// Word wrap at spaces; a word longer than the width is split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        for piece in hard_wrap(word, width) {
            let needed = if cur.is_empty() {
                piece.chars().count()
            } else {
                cur.chars().count() + 1 + piece.chars().count()
            };
            if needed > width && !cur.is_empty() {
                lines.push(core::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(&piece);
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn hard_wrap(word: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars
        .chunks(width.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

/// ASCII for printers without Azerbaijani (or Cyrillic) letters.
pub fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let r = match c {
            'ə' => "e",
            'Ə' => "E",
            'ğ' => "g",
            'Ğ' => "G",
            'ı' => "i",
            'İ' => "I",
            'ö' => "o",
            'Ö' => "O",
            'ü' => "u",
            'Ü' => "U",
            'ş' => "s",
            'Ş' => "S",
            'ç' => "c",
            'Ç' => "C",
            '№' => "N",
            '×' => "x",
            '–' | '—' => "-",
            '«' | '»' | '“' | '”' => "\"",
            '‘' | '’' => "'",
            '²' => "2",
            '³' => "3",
            '₼' => "AZN",
            c if c.is_ascii() => {
                out.push(c);
                continue;
            }
            _ => "?",
        };
        out.push_str(r);
    }
    out
}

fn escpos_qr(out: &mut Vec<u8>, data: &[u8]) {
    // GS ( k: model 2; module size 6; error correction M; store; print.
    out.extend_from_slice(&[0x1d, b'(', b'k', 4, 0, 49, 65, 50, 0]);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 67, 6]);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 69, 49]);
    let n = data.len() + 3;
    out.extend_from_slice(&[
        0x1d,
        b'(',
        b'k',
        (n % 256) as u8,
        (n / 256) as u8,
        49,
        80,
        48,
    ]);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 81, 48, b'\n']);
}

#[cfg(feature = "qr")]
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width() {
        assert_eq!(
            wrap("Çörək ağ dilimlənmiş 500 qram", 12),
            ["Çörək ağ", "dilimlənmiş", "500 qram"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        let rows = [Row::Pair(
            "Növbə ərzində vurulmuş çek sayı".into(),
            "12".into(),
        )];
        let lines = layout(&rows, 32);
        // 31 + 1 + 2 > 32: the label gets its own line, the value is right-aligned below.
        assert_eq!(lines[0].0, "Növbə ərzində vurulmuş çek sayı");
        assert_eq!(lines[1].0, format!("{}12", " ".repeat(30)));
        assert_eq!(
            layout(&[Row::Pair("Cəmi".into(), "15.29".into())], 32)[0].0,
            format!("Cəmi{}15.29", " ".repeat(23))
        );
    }

    #[test]
    fn transliteration_is_ascii() {
        assert_eq!(
            to_ascii("Çörək şəkər İlqar ğ №5 ₼"),
            "Corek seker Ilqar g N5 AZN"
        );
        assert!(to_ascii("Хлеб").chars().all(|c| c == '?'));
    }

    #[test]
    fn escpos_qr_command_frames_the_payload() {
        let mut out = Vec::new();
        escpos_qr(&mut out, b"abc");
        // Store: GS ( k pL pH 49 80 48 d… with pL + 256 pH = 3 + 3.
        let store = [0x1d, b'(', b'k', 6, 0, 49, 80, 48, b'a', b'b', b'c'];
        assert!(out.windows(store.len()).any(|w| w == store));
    }
}
