//! The README's main command: builds a few requests from the JSON deployed POS software
//! sends, validates them, and prints each with its totals, taxes and payments. (The device
//! issue grows this into issuing, signing and verifying fiscal documents.)

use fiscal_core::{CivilDate, RateTable, Request, ValidationContext};

const REQUESTS: &[(&str, &str)] = &[
    (
        "Sale: VAT 18%, VAT 0%, exempt and a weighed item, cash with change and card",
        r#"{"doc_type":"sale","data":{"cashier":"Aysel Məmmədova","currency":"AZN",
          "items":[
            {"itemName":"Çörək","itemCodeType":2,"itemCode":"4006381333931","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},
            {"itemName":"Süd 1 l","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18},
            {"itemName":"Pendir","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18},
            {"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00},
            {"itemName":"Eksport mal","itemQuantity":1,"itemPrice":3.00,"itemVatPercent":0}],
          "cashSum":10.29,"cashlessSum":5.00,"incomingSum":20.00}}"#,
    ),
    (
        "Catering at simplified tax 8%",
        r#"{"doc_type":"sale","data":{"cashier":"Rəşad",
          "items":[{"itemName":"Plov","itemQuantity":1,"itemPrice":12.50,"itemVatPercent":8},
                   {"itemName":"Çay (dəm)","itemQuantity":2,"itemPrice":1.25,"itemVatPercent":8}],
          "cashlessSum":15.00}}"#,
    ),
    (
        "Credit sale: 180.00 now, 1000.00 on credit",
        r#"{"doc_type":"sale","data":{"cashier":"Aysel Məmmədova",
          "items":[{"itemName":"Televizor 55\"","itemQuantity":1,"itemPrice":1180.00,"itemVatPercent":18}],
          "cashSum":180.00,"creditSum":1000.00,"creditContract":"KR-2026/117"}}"#,
    ),
    (
        "Apples with VAT on the trade margin, fuel paid by fuel card",
        r#"{"doc_type":"sale","data":{"cashier":"Elvin","vehiclePlate":"10-AB-123",
          "items":[{"itemName":"Alma","itemQuantityType":1,"itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0.59},
                   {"itemName":"Aİ-92","itemQuantityType":2,"itemQuantity":35.123,"itemPrice":1.0000,"itemVatPercent":18}],
          "cashSum":3.00,"fuelCardSum":35.12}}"#,
    ),
    (
        "Return of one Süd",
        r#"{"doc_type":"money_back","data":{"cashier":"Aysel Məmmədova","parentDocument":"7bzWXgWvSKx4",
          "items":[{"itemName":"Süd 1 l","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18}],"cashSum":2.35}}"#,
    ),
    (
        "A request with mistakes: every problem is reported",
        r#"{"doc_type":"sale","data":{"cashier":"Aysel",
          "items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemSum":1.30,"itemVatPercent":18},
                   {"itemName":"Şəkər","itemQuantity":"bir","itemPrice":1.10,"itemVatPercent":20}],
          "cashlessSum":5.00,"incomingSum":10.00}}"#,
    ),
];

fn main() {
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap_or(CivilDate::MIN),
    };
    for (title, json) in REQUESTS {
        println!("=== {title}");
        match Request::from_json(json, &ctx) {
            Ok(request) => print_request(&request),
            Err(err) => {
                println!("REFUSED:");
                for p in err.problems().iter() {
                    println!("  {p}");
                }
            }
        }
        println!();
    }
}

fn print_request(r: &Request) {
    println!(
        "{:<30} {}",
        "Sənəd növü (doc_type):",
        r.doc_type().wire_name()
    );
    println!("{:<30} {}", "Kassir:", r.cashier());
    let Some(b) = r.body() else {
        println!("{:<30} {}", "Məbləğ:", r.total());
        return;
    };
    for l in b.lines() {
        println!("  {}", l.name());
        let pct = l.treatment().percent().map_or_else(
            || "azad".to_string(),
            |p| format!("{}%", p.as_decimal().normalize()),
        );
        println!(
            "    {} {} × {} = {:>10}   {} {:>6} ({})",
            l.quantity().as_decimal().normalize(),
            l.unit().as_str(),
            l.price().as_decimal().normalize(),
            l.total().to_string(),
            l.treatment().kind().as_str(),
            l.tax().to_string(),
            pct
        );
    }
    let t = b.totals();
    println!("{:<30} {:>10}", "Cəmi:", t.total().to_string());
    for g in t.tax_groups() {
        let pct = g.key.percent.map_or(String::new(), |p| {
            format!(" {}%", p.as_decimal().normalize())
        });
        println!(
            "  {:<28} {:>10}  vergi {:>8}",
            format!("{}{pct}", g.key.category.as_str()),
            g.gross.to_string(),
            g.tax.to_string()
        );
    }
    println!("{:<30} {:>10}", "Toplam vergi:", t.tax_total().to_string());
    let p = b.payments();
    for (label, v) in [
        ("Nağd:", p.cash),
        ("Nağdsız:", p.cashless),
        ("Bonus:", p.bonus),
        ("Hədiyyə kartı:", p.gift_card),
        ("Yanacaq kartı:", p.fuel_card),
        ("Avans (beh):", p.prepayment),
        ("Nisyə:", p.credit),
        ("Alınan nağd:", p.tendered),
        ("Qalıq (change):", p.change),
    ] {
        if !v.is_zero() {
            println!("{label:<30} {:>10}", v.to_string());
        }
    }
    println!("{:<30} {:>10}", "sum (paid now):", t.sum().to_string());
}
