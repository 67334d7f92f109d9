//! Cases from a seeded generator (tcIds 17–316): random lines, treatments and payment splits.

use serde_json::json;

use super::Case;

/// A small deterministic generator (xorshift64*), so the vectors are the same on every run.
pub(super) struct Rng(pub(super) u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn dec(units: u64, scale: u32) -> String {
    let s = 10u64.pow(scale);
    if scale == 0 {
        units.to_string()
    } else {
        format!(
            "{}.{:0width$}",
            units / s,
            units % s,
            width = scale as usize
        )
    }
}

/// `n` cases from the seeded generator, with tcIds `first_id`, `first_id + 1`, … in order.
pub(super) fn cases(rng: &mut Rng, n: usize, first_id: u64) -> Vec<Case> {
    let treatments: [(&str, Option<u32>); 6] = [
        ("vat", Some(18)),
        ("vat", Some(0)),
        ("vat_exempt", None),
        ("simplified", Some(2)),
        ("simplified", Some(8)),
        ("vat_margin", Some(18)),
    ];
    let mut out = Vec::new();
    while out.len() < n {
        let lines = 1 + rng.below(12) as usize;
        let mut items = Vec::new();
        let mut total: u64 = 0;
        let mut flags = vec!["random"];
        for i in 0..lines {
            let qscale = rng.below(4) as u32; // 0..=3 decimals
            let q = 1 + rng.below(if qscale == 0 {
                20
            } else {
                5 * 10u64.pow(qscale)
            });
            let pscale = [0u32, 2, 2, 2, 4][rng.below(5) as usize];
            let p = rng.below(200 * 10u64.pow(pscale)) + 1;
            let (kind, pct) = treatments[rng.below(6) as usize];
            // Line total as SPEC §5.2 (computed here in integers: q·10^-qs × p·10^-ps).
            let num = u128::from(q) * u128::from(p); // scale qs + ps
            let shift = qscale + pscale;
            let t = if shift >= 2 {
                let d = 10u128.pow(shift - 2);
                ((2 * num + d) / (2 * d)) as u64
            } else {
                (num * 10u128.pow(2 - shift)) as u64
            };
            total += t;
            let mut item = json!({"itemName": format!("Mal {}", i + 1), "itemQuantity": dec(q, qscale), "itemPrice": dec(p, pscale), "taxTreatment": kind});
            if let Some(pct) = pct {
                item["itemVatPercent"] = json!(pct);
            }
            if kind == "vat_margin" {
                item["itemMarginSum"] = json!(dec(t * rng.below(101) / 100, 2));
                flags.push("margin");
            }
            items.push(item);
        }
        if total == 0 {
            continue;
        }
        // Split the total over the forms; sometimes cash with change, advance or credit.
        let kind = rng.below(10);
        let (doc, payment) = match kind {
            0 => ("prepay", json!({"cashSum": dec(total, 2)})),
            1 => (
                "money_back",
                json!({"parentDocument": "7bzWXgWvSKx4", "cashlessSum": dec(total, 2)}),
            ),
            _ => {
                let credit = if rng.below(4) == 0 {
                    rng.below(total + 1)
                } else {
                    0
                };
                let advance = if rng.below(5) == 0 {
                    rng.below(total - credit + 1)
                } else {
                    0
                };
                let card = rng.below(total - credit - advance + 1);
                let cash = total - credit - advance - card;
                let mut p = json!({"cashSum": dec(cash, 2), "cashlessSum": dec(card, 2)});
                if credit > 0 {
                    p["creditSum"] = json!(dec(credit, 2));
                    flags.push("deferred");
                }
                if advance > 0 {
                    p["prepaymentSum"] = json!(dec(advance, 2));
                    p["parents"] = json!(["7bzWXgWvSKx4"]);
                    flags.push("deferred");
                }
                if cash > 0 && rng.below(2) == 0 {
                    p["incomingSum"] = json!(dec(cash + rng.below(5000), 2));
                }
                ("sale", p)
            }
        };
        let mut data = json!({"cashier": "Kassir", "items": items});
        for (k, v) in payment.as_object().unwrap() {
            data[k] = v.clone();
        }
        let input = json!({"doc_type": doc, "data": data});
        let rules: &[&'static str] = match doc {
            "prepay" => &["RC-05", "RC-11"],
            "money_back" => &["RC-05", "RC-17"],
            _ => &["RC-05", "RC-10", "RC-12", "RC-14"],
        };
        flags.dedup();
        out.push(Case {
            id: first_id + out.len() as u64,
            comment: format!("random {doc} of {lines} lines"),
            rules: rules.to_vec(),
            flags,
            input,
        });
    }
    out
}
