-- Turnover per VÖEN per day.
-- The money booked is each document's `sum` (SPEC.md §5.4: on a sale the part paid now; an
-- advance, an instalment and a correction count whole): sales, advances (prepay), credit
-- instalments (creditpay) and corrections in; returns (money_back) and cancels (rollback)
-- out. Cash in and out of the drawer (deposit, withdraw) are not turnover.
SELECT
    date,
    voen,
    count(*) FILTER (WHERE is_receipt) AS receipts,
    coalesce(sum("sum") FILTER (WHERE kind IN ('sale', 'prepay', 'creditpay', 'correction')), 0) AS sales,
    coalesce(sum("sum") FILTER (WHERE kind = 'money_back'), 0) AS returns,
    coalesce(sum("sum") FILTER (WHERE kind = 'rollback'), 0) AS cancels,
    coalesce(sum(CASE
        WHEN kind IN ('sale', 'prepay', 'creditpay', 'correction') THEN "sum"
        WHEN kind IN ('money_back', 'rollback') THEN -"sum"
    END), 0) AS turnover
FROM documents
WHERE voen IS NOT NULL
GROUP BY date, voen
ORDER BY date, voen;
