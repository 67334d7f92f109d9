-- VAT (and simplified tax) by rate and treatment.
-- From the counted tax groups (SPEC.md §5.4: what each document counts, the groups its
-- Z-report adds up), signed as in turnover_per_voen_day: sales, advances, instalments and
-- corrections in, returns and cancels out. `treatment` is the group's category (vat,
-- vat_margin, simplified, vat_exempt, margin_remainder); `percent` NULL for the untaxed ones.
-- Add `WHERE date BETWEEN '2026-11-01' AND '2026-11-30'` for one month.
SELECT
    category AS treatment,
    percent,
    count(DISTINCT (device, number)) AS documents,
    sum(CASE
        WHEN kind IN ('sale', 'prepay', 'creditpay', 'correction') THEN gross
        WHEN kind IN ('money_back', 'rollback') THEN -gross
    END) AS gross,
    sum(CASE
        WHEN kind IN ('sale', 'prepay', 'creditpay', 'correction') THEN tax
        WHEN kind IN ('money_back', 'rollback') THEN -tax
    END) AS tax
FROM tax_groups
WHERE counted
GROUP BY category, percent
ORDER BY category, percent DESC NULLS LAST;
